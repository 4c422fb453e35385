import { createHash } from "node:crypto";
import type { Tx } from "../db/client";

/**
 * What one source document produced, as kept on its IngestDocument: a resend replaces exactly these
 * rows and a deletion removes exactly these, whatever the format (SS-MIX2 file, FHIR Bundle).
 */
export type RecordTable = "LabResult" | "Prescription" | "Condition" | "Allergy" | "Document";
export type Recs = { table: RecordTable; id: string }[];

/** Record ids from the source key: the same document always makes the same ids, so a re-import is exact. */
export const recordId = (prefix: "ss2" | "fhir", facilityId: string, sourceKey: string, n: string) =>
  `${prefix}-${createHash("sha256").update(`${facilityId}\u0000${sourceKey}`).digest("hex").slice(0, 24)}-${n}`;

export async function removeRecords(tx: Tx, patientId: string, recs: Recs) {
  const ids = (t: RecordTable) => recs.filter((r) => r.table === t).map((r) => r.id);
  if (ids("LabResult").length) await tx.labResult.deleteMany({ where: { patientId, id: { in: ids("LabResult") } } });
  if (ids("Condition").length) await tx.condition.deleteMany({ where: { patientId, id: { in: ids("Condition") } } });
  if (ids("Allergy").length) await tx.allergy.deleteMany({ where: { patientId, id: { in: ids("Allergy") } } });
  if (ids("Document").length) await tx.document.deleteMany({ where: { patientId, id: { in: ids("Document") } } });
  if (ids("Prescription").length) {
    await tx.prescriptionItem.deleteMany({ where: { patientId, prescriptionId: { in: ids("Prescription") } } });
    await tx.prescription.deleteMany({ where: { patientId, id: { in: ids("Prescription") } } });
  }
}
