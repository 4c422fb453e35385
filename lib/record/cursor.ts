import { z } from "zod";
import { RECORD_KINDS, type RecordKind } from "../format/record-kinds";
import { InvalidInputError } from "./errors";

/**
 * Timeline position. Entries are totally ordered by (occurredAt desc, kind desc, id desc), so a cursor
 * (the last entry shown) says exactly where the next page starts, across all record tables.
 */
export interface Cursor {
  at: Date;
  kind: RecordKind;
  id: string;
}

const cursorShape = z.tuple([z.iso.datetime(), z.enum(RECORD_KINDS), z.string().min(1).max(200)]);

export function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify([c.at.toISOString(), c.kind, c.id])).toString("base64url");
}

export function decodeCursor(raw: string | null | undefined): Cursor | null {
  if (!raw) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(raw, "base64url").toString("utf8"));
  } catch {
    throw new InvalidInputError("cursor", "malformed cursor");
  }
  const r = cursorShape.safeParse(parsed);
  if (!r.success) throw new InvalidInputError("cursor", "malformed cursor");
  return { at: new Date(r.data[0]), kind: r.data[1], id: r.data[2] };
}
