import fs from "node:fs";
import path from "node:path";
import { createHmac, timingSafeEqual } from "node:crypto";
import type { Db } from "../db/client";
import { auditCheckpointFile, auditKey, env } from "../env";
import { chainHeads, type ChainHead } from "./chains";

/**
 * Keyed checkpoints of the audit chains, kept outside the database. The chains' hashes are unkeyed,
 * so whoever can write the table (its owner, a superuser, a restored backup) can rewrite history and
 * re-hash it into consistent chains. A checkpoint is an HMAC over chain heads (chain, position,
 * hash) with a key the database never sees, appended to a file the database cannot reach: a
 * rewritten chain no longer matches it, and a chain shorter than its latest checkpointed head has
 * lost its tail. Each line holds the heads of the chains that moved since the line before, so
 * taken together the lines cover every chain's head.
 */

export interface Checkpoint {
  /** sorted by chain, one per chain */
  heads: ChainHead[];
  /** when it was written (not covered by the HMAC: it only schedules the next one) */
  at: Date;
  mac: string;
  /** a line written before there were several chains: one head, chain 0, the first MAC format */
  legacy?: true;
}

export const CHECKPOINT_MAX_AGE_MS = 60 * 60 * 1000;

// A fixed label so this key's MACs can never be confused with another use of the same secret; the
// second format's label differs, so a one-head line can never be replayed as the other format.
function macOf(key: string, heads: ChainHead[], legacy: boolean): string {
  const mac = createHmac("sha256", key);
  if (legacy) return mac.update(`tsunagu-audit-checkpoint\n${heads[0]!.chainSeq}\n${heads[0]!.hash}`).digest("hex");
  mac.update("tsunagu-audit-checkpoint-v2\n");
  for (const h of heads) mac.update(`${h.chain} ${h.chainSeq} ${h.hash}\n`);
  return mac.digest("hex");
}

const byChain = (a: ChainHead, b: ChainHead) => a.chain - b.chain;

export function signCheckpoint(key: string, heads: ChainHead[], at: Date): Checkpoint {
  const sorted = [...heads].sort(byChain);
  return { heads: sorted, at, mac: macOf(key, sorted, false) };
}

export function checkpointMacValid(key: string, cp: Checkpoint): boolean {
  const want = Buffer.from(macOf(key, cp.heads, cp.legacy === true), "hex");
  const got = Buffer.from(cp.mac, "hex");
  return got.length === want.length && timingSafeEqual(got, want);
}

/** One line of the checkpoint file, or the reason it cannot be read. */
export type CheckpointLine = { line: number; checkpoint: Checkpoint } | { line: number; unreadable: string };

const HASH = /^[0-9a-f]{64}$/;

function parseHeads(v: unknown): ChainHead[] | null {
  if (!Array.isArray(v) || v.length === 0) return null;
  const heads: ChainHead[] = [];
  for (const h of v) {
    if (!Array.isArray(h) || h.length !== 3) return null;
    const [chain, seq, hash] = h as unknown[];
    if (!Number.isInteger(chain) || (chain as number) < 0 || typeof seq !== "string" || !/^\d+$/.test(seq) || typeof hash !== "string" || !HASH.test(hash)) return null;
    heads.push({ chain: chain as number, chainSeq: BigInt(seq), hash });
  }
  const sorted = [...heads].sort(byChain);
  // a chain twice, or out of order, is not what signCheckpoint writes
  return sorted.every((h, i) => i === 0 || h.chain > sorted[i - 1]!.chain) && sorted.every((h, i) => h === heads[i]) ? heads : null;
}

export function parseCheckpointLine(text: string, line: number): CheckpointLine {
  let j: Record<string, unknown>;
  try {
    j = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return { line, unreadable: "not JSON" };
  }
  if (typeof j !== "object" || j === null || typeof j.mac !== "string" || typeof j.at !== "string") return { line, unreadable: "missing at or mac" };
  const at = new Date(j.at);
  if (j.heads !== undefined) {
    const heads = parseHeads(j.heads);
    return heads ? { line, checkpoint: { heads, at, mac: j.mac } } : { line, unreadable: "heads are not [chain, position, hash] triples in chain order" };
  }
  if (typeof j.seq === "string" && /^\d+$/.test(j.seq) && typeof j.hash === "string") {
    return { line, checkpoint: { heads: [{ chain: 0, chainSeq: BigInt(j.seq), hash: j.hash }], at, mac: j.mac, legacy: true } };
  }
  return { line, unreadable: "missing heads (or seq and hash)" };
}

function parseLines(text: string, firstLine: number): CheckpointLine[] {
  return text
    .split("\n")
    .map((t, i) => ({ t, line: firstLine + i }))
    .filter(({ t }) => t.trim() !== "")
    .map(({ t, line }) => parseCheckpointLine(t, line));
}

export function readCheckpoints(file = auditCheckpointFile()): CheckpointLine[] {
  if (!fs.existsSync(file)) return [];
  return parseLines(fs.readFileSync(file, "utf8"), 1);
}

export function appendCheckpoint(cp: Checkpoint, file = auditCheckpointFile()): void {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const line = cp.legacy
    ? { seq: cp.heads[0]!.chainSeq.toString(), hash: cp.heads[0]!.hash, at: cp.at.toISOString(), mac: cp.mac }
    : { at: cp.at.toISOString(), heads: cp.heads.map((h) => [h.chain, h.chainSeq.toString(), h.hash]), mac: cp.mac };
  // One line per write with O_APPEND: concurrent writers on one machine never interleave.
  fs.appendFileSync(file, JSON.stringify(line) + "\n", { flag: "a", mode: 0o640 });
}

/** What the file has checkpointed so far: per chain the furthest head, and when the last line was written. */
interface Covered {
  furthest: Map<number, bigint>;
  lastAt: Date | null;
}

// The schedule reads the file after every burst of events, so it reads only what was appended since
// it last looked. It starts over when the file is not the one it read (another inode, shorter, or
// different where its last line was): a test or an operator may replace it.
interface Cursor {
  file: string;
  ino: number;
  size: number;
  lines: number;
  lastLine: Buffer;
  state: Covered;
}
let cursor: Cursor | undefined;

function readRange(fd: number, from: number, to: number): Buffer {
  const buf = Buffer.alloc(to - from);
  fs.readSync(fd, buf, 0, buf.length, from);
  return buf;
}

function coveredSoFar(file: string): Covered {
  if (!fs.existsSync(file)) {
    cursor = undefined;
    return { furthest: new Map(), lastAt: null };
  }
  const st = fs.statSync(file);
  const fd = fs.openSync(file, "r");
  try {
    const same = cursor && cursor.file === file && cursor.ino === st.ino && st.size >= cursor.size && readRange(fd, cursor.size - cursor.lastLine.length, cursor.size).equals(cursor.lastLine);
    if (!same) cursor = { file, ino: st.ino, size: 0, lines: 0, lastLine: Buffer.alloc(0), state: { furthest: new Map(), lastAt: null } };
    const c = cursor!;
    if (st.size > c.size) {
      const added = readRange(fd, c.size, st.size);
      // only whole lines: a line still being appended is read next time
      const end = added.lastIndexOf(0x0a) + 1;
      if (end > 0) {
        const whole = added.subarray(0, end);
        for (const l of parseLines(whole.toString("utf8"), c.lines + 1)) {
          if (!("checkpoint" in l)) continue;
          for (const h of l.checkpoint.heads) if (h.chainSeq > (c.state.furthest.get(h.chain) ?? 0n)) c.state.furthest.set(h.chain, h.chainSeq);
          if (!c.state.lastAt || l.checkpoint.at > c.state.lastAt) c.state.lastAt = l.checkpoint.at;
        }
        const lastStart = whole.lastIndexOf(0x0a, end - 2) + 1;
        c.lastLine = Buffer.from(whole.subarray(lastStart, end));
        c.size += end;
        c.lines += whole.toString("utf8").split("\n").length - 1;
      }
    }
    return c.state;
  } finally {
    fs.closeSync(fd);
  }
}

export interface CheckpointOptions {
  now?: Date;
  every?: number;
  file?: string;
  key?: string;
  /** write one for every moved chain even if it is not due yet */
  force?: boolean;
}

/**
 * Writes a checkpoint of the chains that moved when one is due: the first events ever, `every`
 * events (over all chains) after the last checkpoint, or new events and an hour since it. Reads
 * outside any transaction on purpose: a checkpoint of an event whose transaction later rolled back
 * would look like a truncated tail.
 */
export async function checkpointIfDue(db: Db, opts: CheckpointOptions = {}): Promise<Checkpoint | null> {
  const file = opts.file ?? auditCheckpointFile();
  const now = opts.now ?? new Date();
  const heads = await chainHeads(db);
  const { furthest, lastAt } = coveredSoFar(file);
  const moved = heads.filter((h) => h.chainSeq > (furthest.get(h.chain) ?? 0n));
  if (moved.length === 0) return null;
  const pending = moved.reduce((n, h) => n + h.chainSeq - (furthest.get(h.chain) ?? 0n), 0n);
  const due =
    opts.force ||
    !lastAt ||
    pending >= BigInt(opts.every ?? env().TSUNAGU_AUDIT_CHECKPOINT_EVERY) ||
    now.getTime() - lastAt.getTime() >= CHECKPOINT_MAX_AGE_MS;
  if (!due) return null;
  const cp = signCheckpoint(opts.key ?? auditKey(), moved, now);
  appendCheckpoint(cp, file);
  return cp;
}
