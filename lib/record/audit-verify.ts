import { getDb } from "../db/client";
import { now } from "../clock";
import { auditActorOf, recordAuditNow, verifyAuditTrail, type Finding } from "../audit";
import type { Actor } from "../auth/actor";
import { requireAuditSearch } from "./audit-search";

/** The result of a verification as the administrator's screen shows it (bigints as text). */
export interface AuditVerificationView {
  ok: boolean;
  checked: number;
  chains: number;
  checkpoints: number;
  checkpointAt: string | null;
  /** the network-wide seq of the first event found wrong, where that event still exists */
  firstBrokenSeq: string | null;
  findings: { kind: Finding["kind"]; chain: number; position: string; seq: string | null; message: string }[];
  verifiedAt: string;
}

/**
 * The network administrator runs `npm run audit:verify` from the screen: every chain recomputed and
 * held against the keyed checkpoints (lib/audit/verify). The run and its result are audited.
 */
export async function verifyAuditTrailFor(actor: Actor): Promise<AuditVerificationView> {
  await requireAuditSearch(actor, "AUDIT_VERIFIED", "audit-verify");
  const db = await getDb();
  const v = await verifyAuditTrail(db);
  const seqs = v.findings.flatMap((f) => (f.seq === undefined ? [] : [f.seq]));
  const firstBrokenSeq = seqs.length ? seqs.reduce((a, b) => (a < b ? a : b)).toString() : null;
  const at = now();
  await recordAuditNow(db, {
    actor: auditActorOf(actor),
    action: "AUDIT_VERIFIED",
    outcome: v.ok ? "SUCCESS" : "FAILURE",
    purpose: "ADMINISTRATION",
    at,
    detail: { what: "audit-verify", checked: v.checked, chains: v.chains, checkpoints: v.checkpoints, findings: v.findings.length, ...(firstBrokenSeq ? { firstBrokenSeq } : {}) },
  });
  return {
    ok: v.ok,
    checked: v.checked,
    chains: v.chains,
    checkpoints: v.checkpoints,
    checkpointAt: v.checkpointAt?.toISOString() ?? null,
    firstBrokenSeq,
    findings: v.findings.map((f) => ({ kind: f.kind, chain: f.chain, position: f.position.toString(), seq: f.seq === undefined ? null : f.seq.toString(), message: f.message })),
    verifiedAt: at.toISOString(),
  };
}
