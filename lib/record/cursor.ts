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
  /**
   * The export's pages are of resources: where the row has items (a prescription's drugs), the last
   * item shown, by its place in the row (Rp number) and id; the row's items come in that order.
   */
  item?: { rank: number; id: string };
}

const head = [z.iso.datetime(), z.enum(RECORD_KINDS), z.string().min(1).max(200)] as const;
const cursorShape = z.union([z.tuple([...head]), z.tuple([...head, z.number().int(), z.string().min(1).max(200)])]);

export function encodeCursor(c: Cursor): string {
  const item = c.item ? [c.item.rank, c.item.id] : [];
  return Buffer.from(JSON.stringify([c.at.toISOString(), c.kind, c.id, ...item])).toString("base64url");
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
  const [at, kind, id, rank, item] = r.data;
  return { at: new Date(at), kind, id, ...(rank !== undefined && item !== undefined ? { item: { rank, id: item } } : {}) };
}
