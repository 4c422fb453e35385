import type { Tx } from "../db/client";
import { getDb } from "../db/client";
import { transactionWithConnection } from "../db/transaction-connection";
import { now } from "../clock";
import { decide, decideUnstatedPurpose, type Decision, type Purpose } from "../access/decide";
import { consentInForce } from "../access/consent-in-force";
import { auditActorOf, recordAudit, type AuditAction } from "../audit";
import { actorFacts, type Actor } from "../auth/to-actor";
import { PatientNotFoundError, type RefusalReason } from "./errors";
import { refuse } from "./refuse";
import { readOnReplica } from "./replica";
import { readAccessFacts } from "./access-facts";
import type { HeaderRow } from "./identity";

export { actorFacts };

export type Allowed = Extract<Decision, { allow: true }>;

export interface GuardedRead<T> {
  action: AuditAction;
  /** what was looked at, for the patient's access report */
  what: string;
  detail?: Record<string, unknown>;
  /** `header`: the patient's header row, read with the access facts when `header` below asks for it */
  read: (tx: Tx, decision: Allowed, header: HeaderRow | null) => Promise<T>;
  /** the page shows the patient header: its row is read in the guard's statement, saving a round trip */
  header?: boolean;
  /**
   * the read writes nothing and may see a read replica's copy (DATABASE_REPLICA_URL): the decision
   * and the audit row stay on the primary (lib/record/replica.ts)
   */
  replica?: boolean;
  /**
   * a refusal of what was asked under the decision made (lib/access, e.g. scopeRefusal): audited and
   * thrown like a refusal of the patient, before anything is read
   */
  refuseWhen?: (decision: Allowed) => RefusalReason | null;
  /** what the read let out, for the audit row (e.g. how many resources a page returned: a read by id that finds nothing it may show is no read of that record) */
  disclosed?: (value: T) => Record<string, unknown>;
}

/** A purpose the caller states, or UNSTATED: lib/access picks it (decideUnstatedPurpose, the FHIR API). */
export type ReadPurpose = Purpose | "UNSTATED";

/**
 * The one way in to a patient's data: decide with lib/access, then read and write the audit event in
 * the same transaction. A refusal is audited too (in its own transaction) and thrown as a typed error.
 */
export async function withPatientAccess<T>(actor: Actor, patientId: string, stated: ReadPurpose, op: GuardedRead<T>): Promise<T> {
  const db = await getDb();
  const at = now();
  // its statements are hand-written: sent past Prisma's per-call machinery (lib/db/direct-raw)
  const outcome = await transactionWithConnection(db, async (tx) => {
    // The patient's consents (every facility's: their withheld categories hold under break-glass),
    // this user's grants and the withheld facilities: one statement.
    const read = await readAccessFacts(tx, patientId, actor.userId, op.header);
    if (!read) return { notFound: true as const };
    const facts = { actor: actorFacts(actor), patientId, consents: read.consents, grants: read.grants, withheldFacilities: read.withheldFacilities, now: at };
    const decided = stated === "UNSTATED" ? decideUnstatedPurpose(facts) : { purpose: stated, decision: decide({ ...facts, purpose: stated }) };
    const { decision, purpose } = decided;
    if (!decision.allow) return { denied: decision.reason as RefusalReason, purpose };
    const refused = op.refuseWhen?.(decision);
    if (refused) return { denied: refused, purpose };
    const value = op.replica ? await readOnReplica(tx, (r) => op.read(r, decision, read.header)) : await op.read(tx, decision, read.header);
    if (decision.recordedBySelf || decision.recordedByClinician) {
      // flagged once: later reads find it marked (no statement of their own)
      const consent = consentInForce(read.consents, actor.facilityId, at).consent!;
      if (!consent.useFlagged) await flagSelfUse(tx, patientId, consent.id, at);
    }
    await recordAudit(tx, {
      actor: auditActorOf(actor),
      action: op.action,
      outcome: "ALLOW",
      patientId,
      purpose,
      at,
      detail: { what: op.what, scope: decision.scope, basis: decision.basis, ...(decision.recordedBySelf ? { recordedBySelf: true } : {}), ...(decision.recordedByClinician ? { recordedByClinician: true } : {}), ...op.detail, ...op.disclosed?.(value) },
    });
    return { value };
  });
  if ("notFound" in outcome) throw new PatientNotFoundError(patientId);
  if ("denied" in outcome) return refuse(actor, { action: "RECORD_VIEW_DENIED", reason: outcome.denied!, patientId, purpose: outcome.purpose!, what: op.what, at });
  return outcome.value as T;
}

/**
 * The consent in force was recorded by the user now reading under it: mark it for the administrator's
 * review (once; later reads find it marked). The person who wants the access should not be the only
 * witness that the patient agreed.
 */
async function flagSelfUse(tx: Tx, patientId: string, consentId: string, at: Date) {
  await tx.consent.updateMany({ where: { patientId, id: consentId, selfUseAt: null }, data: { selfUseAt: at } });
}
