import { getDb } from "../db/client";
import type { Actor } from "../auth/actor";
import type { Resource } from "../interop/fhir/write-common";
import { allowedBy, readPatientHead } from "./export";
import { withPatientAccess } from "./guard";

/**
 * GET Coverage/{id}: an insurance a facility registered (SS-MIX2 IN1), which $everything writes
 * after the Patient, read as $everything reads it (readPatientHead): the same decision and the same
 * withholding (lib/access contactKinds: none under an emergency-only consent or break-glass; only
 * from facilities on the reader's record map), audited as a read ("fhir-read"). One the reader may
 * not see is the same null as an unknown id, so withholding cannot be probed.
 */

/** A FHIR id as Tsunagu writes them (write-common fhirId); anything else names no row. */
const FHIR_ID = /^[A-Za-z0-9.-]{1,64}$/;

/** The patient whose registered insurance this id names, before any decision (as patientOfResource does for the records); null for none. */
export async function patientOfCoverage(id: string): Promise<string | null> {
  if (!FHIR_ID.test(id)) return null;
  const db = await getDb();
  return (await db.patientContact.findFirst({ where: { id, kind: "INSURANCE" }, select: { patientId: true } }))?.patientId ?? null;
}

/** The Coverage as this clinician may see it (decided and audited), or null when there is none they may see. */
export function readCoverageById(actor: Actor, patientId: string, id: string): Promise<Resource | null> {
  return withPatientAccess(actor, patientId, "UNSTATED", {
    action: "RECORD_VIEW",
    what: "fhir-read",
    detail: { type: "Coverage", id },
    read: async (tx, decision) => (await readPatientHead(tx, actor, patientId, allowedBy(actor, decision))).coverages.find((c) => c.id === id) ?? null,
  });
}
