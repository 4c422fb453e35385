import type { Db } from "../db/client";
import { auditCheckpointFile, auditKey } from "../env";
import { GENESIS_HASH, eventHash } from "./hash";
import { chainHeads } from "./chains";
import { checkpointMacValid, readCheckpoints, type Checkpoint } from "./checkpoint";

/**
 * Verification of the audit trail: every hash chain recomputed event by event, then held against
 * the keyed checkpoints. A chain alone catches a clumsy edit; only the checkpoints catch a truncated
 * tail or a chain rewritten and re-hashed by someone without the key. Chains are independent, so
 * they are verified side by side, and a problem in one says nothing about the others.
 */

export type FindingKind = "edited" | "deleted" | "inserted" | "truncated" | "rehashed" | "bad-checkpoint" | "no-checkpoint";

export interface Finding {
  kind: FindingKind;
  /** the chain it is in (-1 for a checkpoint line that names none) */
  chain: number;
  /** the first position in that chain that is wrong */
  position: bigint;
  /** the network-wide seq of the event at that position, when there is one */
  seq?: bigint;
  message: string;
}

type Row = Parameters<typeof eventHash>[0] & { hash: string; seq: bigint };

interface ChainWalk {
  chain: number;
  checked: number;
  /** the chain's first problem, after which nothing it says can be trusted */
  finding?: Finding;
  /** stored hashes of verified events at the positions asked for */
  hashes: Map<bigint, string>;
}

async function* eventsInOrder(db: Db, chain: number, pageSize: number): AsyncGenerator<Row> {
  let after: bigint | undefined;
  for (;;) {
    const page = await db.auditEvent.findMany({ where: after === undefined ? { chain } : { chain, chainSeq: { gt: after } }, orderBy: { chainSeq: "asc" }, take: pageSize });
    if (page.length === 0) return;
    yield* page;
    after = page[page.length - 1]!.chainSeq;
  }
}

/**
 * Why event `r` does not follow the verified prefix of its chain (`last` and `beforeLast` are its
 * last two hashes, `next` the event after r, if any). Each test names the cheapest explanation
 * consistent with the rows.
 */
function classify(r: Row, expected: bigint, last: string, beforeLast: string | null, next: Row | undefined): Omit<Finding, "chain"> | null {
  const p = r.chainSeq;
  const at = (position: bigint, seq: bigint | undefined, kind: FindingKind, message: string) => ({ kind, position, ...(seq === undefined ? {} : { seq }), message });
  if (p < expected) return at(p, r.seq, "inserted", `event #${p} is numbered before the chain starts`);
  if (p > expected) {
    const gap = p - expected;
    return at(expected, undefined, "deleted", `event${gap > 1n ? `s #${expected}–#${p - 1n} are` : ` #${expected} is`} missing from the chain`);
  }
  const selfOk = eventHash(r) === r.hash;
  if (selfOk && r.prevHash === last) return null;
  if (next && next.prevHash === last) return at(p, r.seq, "inserted", `event #${p} does not belong: the event after it links past it`);
  if (beforeLast !== null && r.prevHash === beforeLast) return at(p - 1n, undefined, "inserted", `event #${p - 1n} does not belong: event #${p} links past it`);
  if (!selfOk && eventHash({ ...r, chainSeq: p + 1n }) === r.hash) return at(p, undefined, "deleted", `an event before #${p} was removed and the later ones renumbered (event #${p} was written as #${p + 1n})`);
  if (!selfOk) return at(p, r.seq, "edited", `event #${p} was changed: its contents do not match its hash`);
  return at(p - 1n, undefined, "edited", `event #${p - 1n} was changed and re-hashed: event #${p} still links to the original`);
}

async function walkChain(db: Db, chain: number, wanted: Set<bigint>, pageSize: number): Promise<ChainWalk> {
  const hashes = new Map<bigint, string>();
  let expected = 1n;
  let last = GENESIS_HASH;
  let beforeLast: string | null = null;
  let checked = 0;
  let pending: Row | undefined;
  // one event of look-ahead: an inserted event shows itself in the link of the event after it
  const judge = (r: Row, next: Row | undefined): Finding | null => {
    const f = classify(r, expected, last, beforeLast, next);
    if (f) return { ...f, chain };
    if (wanted.has(r.chainSeq)) hashes.set(r.chainSeq, r.hash);
    beforeLast = last;
    last = r.hash;
    expected += 1n;
    checked += 1;
    return null;
  };
  for await (const next of eventsInOrder(db, chain, pageSize)) {
    const f = pending && judge(pending, next);
    if (f) return { chain, checked, finding: f, hashes };
    pending = next;
  }
  const f = pending && judge(pending, undefined);
  return { chain, checked, finding: f || undefined, hashes };
}

/** Runs `work` over `items` with at most `width` at a time, results in the items' order. */
async function inParallel<T, R>(items: T[], width: number, work: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await work(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, lane));
  return out;
}

export interface VerifyOptions {
  file?: string;
  key?: string;
  pageSize?: number;
  /** how many chains are walked at once (each holds one connection while it reads a page) */
  parallel?: number;
}

const DEFAULT_PARALLEL = 4;

async function walkAll(db: Db, chains: number[], wanted: Map<number, Set<bigint>>, opts: VerifyOptions): Promise<ChainWalk[]> {
  return inParallel(chains, opts.parallel ?? DEFAULT_PARALLEL, (c) => walkChain(db, c, wanted.get(c) ?? new Set(), opts.pageSize ?? 2000));
}

export interface ChainVerification {
  ok: boolean;
  checked: number;
  /** network-wide seq of the first event found wrong, where that event still exists */
  brokenAt?: bigint;
  findings: Finding[];
}

const firstFindings = (walks: ChainWalk[]) => walks.flatMap((w) => (w.finding ? [w.finding] : []));

/** The chains alone: any clumsy edit, insertion or removal breaks them (a re-hashed chain does not; see verifyAuditTrail). */
export async function verifyChain(db: Db, opts: VerifyOptions = {}): Promise<ChainVerification> {
  const chains = (await chainHeads(db)).map((h) => h.chain);
  const walks = await walkAll(db, chains, new Map(), opts);
  const checked = walks.reduce((n, w) => n + w.checked, 0);
  const findings = firstFindings(walks);
  if (findings.length === 0) return { ok: true, checked, findings };
  const withSeq = findings.map((f) => f.seq).filter((s): s is bigint => s !== undefined);
  return { ok: false, checked, findings, ...(withSeq.length ? { brokenAt: withSeq.reduce((a, b) => (a < b ? a : b)) } : {}) };
}

export interface AuditVerification {
  ok: boolean;
  checked: number;
  /** how many chains the table and the checkpoints name */
  chains: number;
  /** valid keyed checkpoint lines */
  checkpoints: number;
  /** when the newest valid checkpoint was written */
  checkpointAt: Date | null;
  findings: Finding[];
}

/** The chains against the keyed checkpoints (npm run audit:verify). */
export async function verifyAuditTrail(db: Db, opts: VerifyOptions = {}): Promise<AuditVerification> {
  const key = opts.key ?? auditKey();
  const findings: Finding[] = [];
  const valid: Checkpoint[] = [];
  for (const l of readCheckpoints(opts.file ?? auditCheckpointFile())) {
    if ("unreadable" in l) findings.push({ kind: "bad-checkpoint", chain: -1, position: 0n, message: `checkpoint file line ${l.line} is unreadable (${l.unreadable})` });
    else if (!checkpointMacValid(key, l.checkpoint)) {
      const h = l.checkpoint.heads[0]!;
      findings.push({ kind: "bad-checkpoint", chain: h.chain, position: h.chainSeq, message: `checkpoint file line ${l.line} has a wrong HMAC: forged, or TSUNAGU_AUDIT_KEY differs` });
    } else valid.push(l.checkpoint);
  }
  // per chain, the checkpointed heads in order of position
  const checkpointed = new Map<number, { chainSeq: bigint; hash: string }[]>();
  for (const cp of valid) for (const h of cp.heads) checkpointed.set(h.chain, [...(checkpointed.get(h.chain) ?? []), { chainSeq: h.chainSeq, hash: h.hash }]);
  for (const list of checkpointed.values()) list.sort((a, b) => (a.chainSeq < b.chainSeq ? -1 : a.chainSeq > b.chainSeq ? 1 : 0));

  const heads = new Map((await chainHeads(db)).map((h) => [h.chain, h.chainSeq]));
  const chains = [...new Set([...heads.keys(), ...checkpointed.keys()])].sort((a, b) => a - b);
  const wanted = new Map([...checkpointed].map(([c, list]) => [c, new Set(list.map((h) => h.chainSeq))]));
  const walks = await walkAll(db, chains, wanted, opts);

  for (const w of walks) {
    const c = w.chain;
    if (w.finding) findings.push(w.finding);
    const newest = heads.get(c) ?? 0n;
    const list = checkpointed.get(c) ?? [];
    const latest = list.at(-1);
    if (!latest) {
      if (newest > 0n) findings.push({ kind: "no-checkpoint", chain: c, position: 1n, message: `no valid keyed checkpoint covers events #1–#${newest} of chain ${c}: a truncation or re-hash would go unseen` });
    } else if (newest < latest.chainSeq) {
      // an emptied chain is the extreme case: everything up to the checkpoint is gone
      findings.push({ kind: "truncated", chain: c, position: newest + 1n, message: `chain ${c} ends at event #${newest}, but a checkpoint records event #${latest.chainSeq}: events #${newest + 1n}–#${latest.chainSeq} are gone` });
    }
    // Checkpoints inside the verified prefix must match it. A mismatch there, on a chain that links
    // cleanly, means it was rewritten and re-hashed by someone without the key.
    const stop = w.finding?.position ?? newest + 1n;
    let matched = 0n;
    for (const cp of list) {
      if (cp.chainSeq >= stop) break;
      if (w.hashes.get(cp.chainSeq) === cp.hash) {
        matched = cp.chainSeq;
        continue;
      }
      findings.push({
        kind: "rehashed",
        chain: c,
        position: matched + 1n,
        message: `chain ${c} links cleanly but does not match the keyed checkpoint of its event #${cp.chainSeq}: events #${matched + 1n}–#${cp.chainSeq} were rewritten and re-hashed without the key`,
      });
      break;
    }
  }
  return {
    ok: findings.length === 0,
    checked: walks.reduce((n, w) => n + w.checked, 0),
    chains: chains.length,
    checkpoints: valid.length,
    checkpointAt: valid.reduce<Date | null>((a, cp) => (!a || cp.at > a ? cp.at : a), null),
    findings,
  };
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
  const where = f.chain < 0 ? "in the checkpoint file" : `in chain ${f.chain} at #${f.position}${f.seq === undefined ? "" : ` (seq ${f.seq})`}`;
  return `AUDIT ${f.kind.toUpperCase()} ${where}: ${f.message} [${ja[f.kind]}]`;
}
