import type { Tx } from "../db/client";
import { getDb } from "../db/client";
import { now } from "../clock";
import { decide, type ActorFacts, type Decision, type Purpose } from "../access/decide";
import { auditActorOf, recordAudit, type AuditAction } from "../audit";
import type { Actor } from "../auth/actor";
import { AccessDeniedError, PatientNotFoundError } from "./errors";

/** The facts lib/access decides on, from the signed-in user as re-read this request. */
export function actorFacts(actor: Actor): ActorFacts {
  return {
    userId: actor.userId,
    profession: actor.profession,
    active: actor.active,
    credentialVerified: actor.credentialVerified,
    facilityId: actor.facilityId,
    facilityActive: actor.facilityStatus === "ACTIVE",
    facilityViews: actor.facilityViews,
    facilityCanBreakGlass: actor.facilityCanBreakGlass,
  };
}

export type Allowed = Extract<Decision, { allow: true }>;

export interface GuardedRead<T> {
  action: AuditAction;
  /** what was looked at, for the patient's access report */
  what: string;
  detail?: Record<string, unknown>;
  read: (tx: Tx, decision: Allowed) => Promise<T>;
}

/**
 * The one way in to a patient's data: decide with lib/access, then read and write the audit event in
 * the same transaction. A refusal is audited too (in its own transaction) and thrown as a typed error.
 */
export async function withPatientAccess<T>(actor: Actor, patientId: string, purpose: Purpose, op: GuardedRead<T>): Promise<T> {
  const db = await getDb();
  const at = now();
  const auditActor = auditActorOf(actor);
  const outcome = await db.$transaction(async (tx) => {
    // The patient with this facility's consents and this user's grants: one statement (relationJoins).
    const patient = await tx.patient.findUnique({
      where: { id: patientId },
      select: { id: true, consents: { where: { facilityId: actor.facilityId } }, breakGlasses: { where: { userId: actor.userId } } },
    });
    if (!patient) return { notFound: true as const };
    const decision = decide({
      actor: actorFacts(actor),
      patientId,
      purpose,
      consents: patient.consents,
      grants: patient.breakGlasses,
      now: at,
    });
    if (!decision.allow) return { denied: decision.reason };
    const value = await op.read(tx, decision);
    await recordAudit(tx, {
      actor: auditActor,
      action: op.action,
      outcome: "ALLOW",
      patientId,
      purpose,
      at,
      detail: { what: op.what, scope: decision.scope, basis: decision.basis, ...op.detail },
    });
    return { value };
  });
  if ("notFound" in outcome) throw new PatientNotFoundError(patientId);
  if ("denied" in outcome) {
    await db.$transaction((tx) =>
      recordAudit(tx, { actor: auditActor, action: "RECORD_VIEW_DENIED", outcome: "DENY", patientId, purpose, at, detail: { what: op.what, reason: outcome.denied } }),
    );
    throw new AccessDeniedError(outcome.denied!, patientId);
  }
  return outcome.value as T;
}
