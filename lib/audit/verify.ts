import type { Db } from "../db/client";
import { auditCheckpointFile, auditKey } from "../env";
import { GENESIS_HASH, eventHash } from "./hash";
import { checkpointMacValid, readCheckpoints, type Checkpoint } from "./checkpoint";

/**
 * Verification of the audit trail: the hash chain recomputed event by event, then held against the
 * keyed checkpoints. The chain alone catches a clumsy edit; only the checkpoints catch a truncated
 * tail or a chain rewritten and re-hashed by someone without the key.
 */

export type FindingKind = "edited" | "deleted" | "inserted" | "truncated" | "rehashed" | "bad-checkpoint" | "no-checkpoint";

export interface Finding {
  kind: FindingKind;
  /** the first sequence number that is wrong */
  seq: bigint;
  message: string;
}

type Row = Parameters<typeof eventHash>[0] & { hash: string };

interface ChainWalk {
  checked: number;
  /** the chain's first problem, after which nothing it says can be trusted */
  finding?: Finding;
  /** stored hashes of verified events at the sequence numbers asked for */
  hashes: Map<bigint, string>;
}

async function* eventsInOrder(db: Db, pageSize: number): AsyncGenerator<Row> {
  let after: bigint | undefined;
  for (;;) {
    const page = await db.auditEvent.findMany({ where: after === undefined ? {} : { seq: { gt: after } }, orderBy: { seq: "asc" }, take: pageSize });
    if (page.length === 0) return;
    yield* page;
    after = page[page.length - 1]!.seq;
  }
}

/**
 * Why event `r` does not follow the verified prefix (`last` and `beforeLast` are its last two hashes,
 * `next` the event after r, if any). Each test names the cheapest explanation consistent with the rows.
 */
function classify(r: Row, expected: bigint, last: string, beforeLast: string | null, next: Row | undefined): Finding | null {
  if (r.seq < expected) return { kind: "inserted", seq: r.seq, message: `event ${r.seq} is numbered before the chain starts` };
  if (r.seq > expected) {
    const gap = r.seq - expected;
    return { kind: "deleted", seq: expected, message: `event${gap > 1n ? `s ${expected}–${r.seq - 1n} are` : ` ${expected} is`} missing from the chain` };
  }
  const selfOk = eventHash(r) === r.hash;
  if (selfOk && r.prevHash === last) return null;
  if (next && next.prevHash === last) return { kind: "inserted", seq: r.seq, message: `event ${r.seq} does not belong: the event after it links past it` };
  if (beforeLast !== null && r.prevHash === beforeLast) return { kind: "inserted", seq: r.seq - 1n, message: `event ${r.seq - 1n} does not belong: event ${r.seq} links past it` };
  if (!selfOk && eventHash({ ...r, seq: r.seq + 1n }) === r.hash) return { kind: "deleted", seq: r.seq, message: `an event before ${r.seq} was removed and the later ones renumbered (event ${r.seq} was written as ${r.seq + 1n})` };
  if (!selfOk) return { kind: "edited", seq: r.seq, message: `event ${r.seq} was changed: its contents do not match its hash` };
  return { kind: "edited", seq: r.seq - 1n, message: `event ${r.seq - 1n} was changed and re-hashed: event ${r.seq} still links to the original` };
}

async function walkChain(db: Db, wanted: Set<bigint>, pageSize: number): Promise<ChainWalk> {
  const hashes = new Map<bigint, string>();
  let expected = 1n;
  let last = GENESIS_HASH;
  let beforeLast: string | null = null;
  let checked = 0;
  let pending: Row | undefined;
  // one event of look-ahead: an inserted event shows itself in the link of the event after it
  const judge = (r: Row, next: Row | undefined): Finding | null => {
    const f = classify(r, expected, last, beforeLast, next);
    if (f) return f;
    if (wanted.has(r.seq)) hashes.set(r.seq, r.hash);
    beforeLast = last;
    last = r.hash;
    expected += 1n;
    checked += 1;
    return null;
  };
  for await (const next of eventsInOrder(db, pageSize)) {
    const f = pending && judge(pending, next);
    if (f) return { checked, finding: f, hashes };
    pending = next;
  }
  const f = pending && judge(pending, undefined);
  return { checked, finding: f || undefined, hashes };
}

export interface ChainVerification {
  ok: boolean;
  checked: number;
  /** first sequence number whose stored hash does not match */
  brokenAt?: bigint;
}

/** The chain alone: any clumsy edit, insertion or removal breaks it (a re-hashed chain does not; see verifyAuditTrail). */
export async function verifyChain(db: Db, pageSize = 2000): Promise<ChainVerification> {
  const w = await walkChain(db, new Set(), pageSize);
  return w.finding ? { ok: false, checked: w.checked, brokenAt: w.finding.seq } : { ok: true, checked: w.checked };
}

export interface AuditVerification {
  ok: boolean;
  checked: number;
  /** the newest event in the table */
  newestSeq: bigint;
  /** the newest checkpoint whose HMAC is valid */
  checkpointSeq: bigint | null;
  findings: Finding[];
}

export interface VerifyOptions {
  file?: string;
  key?: string;
  pageSize?: number;
}

/** The chain against the keyed checkpoints (npm run audit:verify). */
export async function verifyAuditTrail(db: Db, opts: VerifyOptions = {}): Promise<AuditVerification> {
  const key = opts.key ?? auditKey();
  const findings: Finding[] = [];
  const valid: Checkpoint[] = [];
  for (const l of readCheckpoints(opts.file ?? auditCheckpointFile())) {
    if ("unreadable" in l) findings.push({ kind: "bad-checkpoint", seq: 0n, message: `checkpoint file line ${l.line} is unreadable (${l.unreadable})` });
    else if (!checkpointMacValid(key, l.checkpoint)) findings.push({ kind: "bad-checkpoint", seq: l.checkpoint.seq, message: `checkpoint file line ${l.line} (event ${l.checkpoint.seq}) has a wrong HMAC: forged, or TSUNAGU_AUDIT_KEY differs` });
    else valid.push(l.checkpoint);
  }
  valid.sort((a, b) => (a.seq < b.seq ? -1 : a.seq > b.seq ? 1 : 0));

  const walk = await walkChain(db, new Set(valid.map((c) => c.seq)), opts.pageSize ?? 2000);
  if (walk.finding) findings.push(walk.finding);
  const newestSeq = (await db.auditEvent.findFirst({ orderBy: { seq: "desc" }, select: { seq: true } }))?.seq ?? 0n;
  const latest = valid.at(-1) ?? null;

  if (!latest) {
    if (newestSeq > 0n) findings.push({ kind: "no-checkpoint", seq: 1n, message: `no valid keyed checkpoint covers events 1–${newestSeq}: a truncation or re-hash would go unseen` });
  } else if (newestSeq < latest.seq) {
    // an empty table is the extreme case: everything up to the checkpoint is gone
    findings.push({ kind: "truncated", seq: newestSeq + 1n, message: `the chain ends at event ${newestSeq}, but a checkpoint records event ${latest.seq}: events ${newestSeq + 1n}–${latest.seq} are gone` });
  }

  // Checkpoints inside the verified prefix must match it. A mismatch there, on a chain that links
  // cleanly, means it was rewritten and re-hashed by someone without the key.
  const stop = walk.finding?.seq ?? newestSeq + 1n;
  let matched = 0n;
  for (const cp of valid) {
    if (cp.seq >= stop) break;
    const stored = walk.hashes.get(cp.seq);
    if (stored === cp.hash) {
      matched = cp.seq;
      continue;
    }
    findings.push({
      kind: "rehashed",
      seq: matched + 1n,
      message: `the chain links cleanly but does not match the keyed checkpoint of event ${cp.seq}: events ${matched + 1n}–${cp.seq} were rewritten and re-hashed without the key`,
    });
    break;
  }
  return { ok: findings.length === 0, checked: walk.checked, newestSeq, checkpointSeq: latest?.seq ?? null, findings };
}

/** One line per finding, for the command line and the logs. */
export function describeFinding(f: Finding): string {
  const ja: Record<FindingKind, string> = {
    edited: "改ざん（編集）",
    deleted: "改ざん（削除）",
    inserted: "改ざん（挿入）",
    truncated: "改ざん（末尾の切り捨て）",
    rehashed: "改ざん（鍵なしの再計算）",
    "bad-checkpoint": "チェックポイント不正",
    "no-checkpoint": "チェックポイントなし",
  };
  return `AUDIT ${f.kind.toUpperCase()} at seq ${f.seq}: ${f.message} [${ja[f.kind]}]`;
}
