import { createHash } from "node:crypto";

/** JSON with object keys sorted, so a value hashes the same after a round trip through jsonb. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
}

export const GENESIS_HASH = "0".repeat(64);

export interface HashedFields {
  chain: number;
  /** position in the chain; hashed under the name "seq" (see eventHash) */
  chainSeq: bigint;
  at: Date;
  actorId: string | null;
  actorName: string | null;
  actorProfession: string | null;
  facilityId: string | null;
  action: string;
  patientId: string | null;
  purpose: string | null;
  outcome: string;
  detail: unknown;
  prevHash: string;
}

/**
 * hash_n = sha256(hash_{n-1} ‖ canonical(event_n)) within one chain: changing or removing any event
 * breaks every later link of its chain. Chain 0 is hashed without a "chain" key and with its
 * position as "seq", exactly as the single chain was before there were several, so events written
 * then still verify. The network-wide seq is not hashed: it is an identifier, and the order that
 * matters for integrity is the position in the chain.
 */
export function eventHash(e: HashedFields): string {
  return createHash("sha256").update(e.prevHash).update("\n").update(hashedBody(e)).digest("hex");
}

function hashedBody(e: Omit<HashedFields, "prevHash">): string {
  return canonicalJson({
    seq: e.chainSeq.toString(),
    chain: e.chain === 0 ? undefined : e.chain,
    at: e.at.toISOString(),
    actorId: e.actorId,
    actorName: e.actorName,
    actorProfession: e.actorProfession,
    facilityId: e.facilityId,
    action: e.action,
    patientId: e.patientId,
    purpose: e.purpose,
    outcome: e.outcome,
    detail: e.detail ?? null,
  });
}

/**
 * What the database appends to `<prevHash>\n` and before `<chainSeq>"}` to hash an event whose place
 * in its chain (position and previous hash) it finds itself, in the statement that writes it
 * (lib/audit recordAudit): "seq" is the last key of the canonical body, so the body is this prefix,
 * the position, and `"}`. Null if that ever stops being so; the caller then hashes here, as before.
 */
export function hashedBodyPrefix(e: Omit<HashedFields, "prevHash" | "chainSeq">): string | null {
  const probe = hashedBody({ ...e, chainSeq: 0n });
  const tail = '"seq":"0"}';
  return probe.endsWith(tail) ? probe.slice(0, -'0"}'.length) : null;
}
