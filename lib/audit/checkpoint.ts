import fs from "node:fs";
import path from "node:path";
import { createHmac, timingSafeEqual } from "node:crypto";
import type { Db } from "../db/client";
import { auditCheckpointFile, auditKey, env } from "../env";

/**
 * Keyed checkpoints of the audit chain, kept outside the database. The chain's hashes are unkeyed,
 * so whoever can write the table (its owner, a superuser, a restored backup) can rewrite history and
 * re-hash it into a consistent chain. A checkpoint is an HMAC over (seq, hash) with a key the
 * database never sees, appended to a file the database cannot reach: a rewritten chain no longer
 * matches it, and a chain shorter than the latest checkpoint has lost its tail.
 */

export interface Checkpoint {
  seq: bigint;
  hash: string;
  /** when it was written (not covered by the HMAC: it only schedules the next one) */
  at: Date;
  mac: string;
}

export const CHECKPOINT_MAX_AGE_MS = 60 * 60 * 1000;

function macOf(key: string, seq: bigint, hash: string): string {
  // a fixed label so this key's MACs can never be confused with another use of the same secret
  return createHmac("sha256", key).update(`tsunagu-audit-checkpoint\n${seq}\n${hash}`).digest("hex");
}

export function signCheckpoint(key: string, seq: bigint, hash: string, at: Date): Checkpoint {
  return { seq, hash, at, mac: macOf(key, seq, hash) };
}

export function checkpointMacValid(key: string, cp: Checkpoint): boolean {
  const want = Buffer.from(macOf(key, cp.seq, cp.hash), "hex");
  const got = Buffer.from(cp.mac, "hex");
  return got.length === want.length && timingSafeEqual(got, want);
}

/** One line of the checkpoint file, or the reason it cannot be read. */
export type CheckpointLine = { line: number; checkpoint: Checkpoint } | { line: number; unreadable: string };

export function readCheckpoints(file = auditCheckpointFile()): CheckpointLine[] {
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, "utf8")
    .split("\n")
    .map((text, i) => ({ text, line: i + 1 }))
    .filter(({ text }) => text.trim() !== "")
    .map(({ text, line }): CheckpointLine => {
      try {
        const j = JSON.parse(text) as Record<string, unknown>;
        if (typeof j.seq !== "string" || !/^\d+$/.test(j.seq) || typeof j.hash !== "string" || typeof j.mac !== "string" || typeof j.at !== "string") {
          return { line, unreadable: "missing seq, hash, at or mac" };
        }
        return { line, checkpoint: { seq: BigInt(j.seq), hash: j.hash, at: new Date(j.at), mac: j.mac } };
      } catch {
        return { line, unreadable: "not JSON" };
      }
    });
}

export function appendCheckpoint(cp: Checkpoint, file = auditCheckpointFile()): void {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  // One short line per write with O_APPEND: concurrent writers on one machine never interleave.
  fs.appendFileSync(file, JSON.stringify({ seq: cp.seq.toString(), hash: cp.hash, at: cp.at.toISOString(), mac: cp.mac }) + "\n", { flag: "a", mode: 0o640 });
}

function latestReadable(lines: CheckpointLine[]): Checkpoint | null {
  let latest: Checkpoint | null = null;
  for (const l of lines) if ("checkpoint" in l && (!latest || l.checkpoint.seq > latest.seq)) latest = l.checkpoint;
  return latest;
}

export interface CheckpointOptions {
  now?: Date;
  every?: number;
  file?: string;
  key?: string;
  /** write one for the newest event even if it is not due yet */
  force?: boolean;
}

/**
 * Writes a checkpoint for the newest committed event when one is due: the first event ever, `every`
 * events after the last checkpoint, or new events and an hour since it. Reads outside any
 * transaction on purpose: a checkpoint of an event whose transaction later rolled back would look
 * like a truncated tail.
 */
export async function checkpointIfDue(db: Db, opts: CheckpointOptions = {}): Promise<Checkpoint | null> {
  const file = opts.file ?? auditCheckpointFile();
  const now = opts.now ?? new Date();
  const newest = await db.auditEvent.findFirst({ orderBy: { seq: "desc" }, select: { seq: true, hash: true } });
  if (!newest) return null;
  const last = latestReadable(readCheckpoints(file));
  const pending = newest.seq - (last?.seq ?? 0n);
  const due =
    opts.force ||
    !last ||
    pending >= BigInt(opts.every ?? env().TSUNAGU_AUDIT_CHECKPOINT_EVERY) ||
    (pending > 0n && now.getTime() - last.at.getTime() >= CHECKPOINT_MAX_AGE_MS);
  if (!due || (last && pending <= 0n)) return null;
  const cp = signCheckpoint(opts.key ?? auditKey(), newest.seq, newest.hash, now);
  appendCheckpoint(cp, file);
  return cp;
}
