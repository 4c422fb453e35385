import type { Tx } from "../db/client";

/**
 * When this user last identified this patient for `what` (the audit trail's PATIENT_IDENTIFY events
 * name the patient shown): the evidence lib/access/identification asks for.
 */
export async function lastIdentification(tx: Tx, userId: string, patientId: string, what: "access-report" | "emergency-identify"): Promise<Date | null> {
  const e = await tx.auditEvent.findFirst({
    where: { actorId: userId, patientId, action: "PATIENT_IDENTIFY", outcome: "SUCCESS", detail: { path: ["what"], equals: what } },
    orderBy: { seq: "desc" },
    select: { at: true },
  });
  return e?.at ?? null;
}
