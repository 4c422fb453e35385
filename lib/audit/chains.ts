import { createHash } from "node:crypto";
import type { Db } from "../db/client";

/**
 * The audit trail is many hash chains, not one. A single chain needs a single writer: every audited
 * read in the network waited on one lock held through its COMMIT, which capped the whole network at
 * one audited view per commit latency. Events are chained per bucket of their patient instead, so
 * reads of different patients (almost always) take different locks; events without a patient
 * (logins, refusals, administration) have chain 0 to themselves.
 *
 * The bucket count may change later without breaking anything already written: each chain is
 * verified on its own, identified by its number. It only changes which chain new events join.
 * For Citus, AuditEvent is distributed by "chain", so one chain's head and its rows share a shard.
 */
export const PATIENT_CHAINS = 64;

// Any constant works; with the chain number it serialises the writers of one chain, so that its
// positions and links never fork. Writers of other chains do not wait.
export const CHAIN_LOCK = 7_263_001;

/** The chain of an event about `patientId` (0 when there is none). */
export function chainOf(patientId: string | null | undefined): number {
  if (!patientId) return 0;
  const h = createHash("sha256").update(patientId).digest();
  return 1 + (h.readUInt32BE(0) % PATIENT_CHAINS);
}

export interface ChainHead {
  chain: number;
  /** the head's position in its chain */
  chainSeq: bigint;
  hash: string;
}

/**
 * The newest committed event of every chain: one index probe per chain number, not a scan of the
 * table (DISTINCT ON would read every row).
 */
export async function chainHeads(db: Db): Promise<ChainHead[]> {
  const rows = await db.$queryRaw<{ chain: number; chainSeq: bigint; hash: string }[]>`
    SELECT c.chain, h."chainSeq", h.hash
      FROM generate_series(0, (SELECT coalesce(max(chain), -1) FROM "AuditEvent")) AS c(chain)
      CROSS JOIN LATERAL (
        SELECT "chainSeq", hash FROM "AuditEvent" e WHERE e.chain = c.chain ORDER BY "chainSeq" DESC LIMIT 1
      ) h
     ORDER BY c.chain`;
  return rows.map((r) => ({ chain: Number(r.chain), chainSeq: BigInt(r.chainSeq), hash: r.hash }));
}
