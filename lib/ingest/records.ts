import { createHash } from "node:crypto";
import type { Tx } from "../db/client";
import type { Prisma } from "../db/generated/client";
import type { RecordRows } from "./record-rows";

/**
 * What one source document produced, as kept on its IngestDocument: a resend replaces exactly these
 * rows and a deletion removes exactly these, whatever the format (SS-MIX2 file, FHIR Bundle).
 */
export type RecordTable = "LabResult" | "Prescription" | "Condition" | "Allergy" | "Document" | "Encounter" | "EncounterEnd" | "PatientContact";
/**
 * `EncounterEnd` is not a row of its own: a discharge that completed an admission filed by another
 * document (its `endedAt`, kept as `at`), undone by reopening that Encounter. `visit` is the visit number
 * (PV1-19) an Encounter was filed with, and `fillsOrder` the order (kind|order number) a dispense fills:
 * what later documents match against, through the ledger, never by guessing.
 */
export type Rec = { table: RecordTable; id: string; visit?: string; at?: string; fillsOrder?: string };
export type Recs = Rec[];

/** Record ids from the source key: the same document always makes the same ids, so a re-import is exact. */
export const recordId = (prefix: "ss2" | "fhir", facilityId: string, sourceKey: string, n: string) =>
  `${prefix}-${createHash("sha256").update(`${facilityId}\u0000${sourceKey}`).digest("hex").slice(0, 24)}-${n}`;

export async function removeRecords(tx: Tx, patientId: string, recs: Recs) {
  const ids = (t: RecordTable) => recs.filter((r) => r.table === t).map((r) => r.id);
  if (ids("LabResult").length) await tx.labResult.deleteMany({ where: { patientId, id: { in: ids("LabResult") } } });
  if (ids("Condition").length) await tx.condition.deleteMany({ where: { patientId, id: { in: ids("Condition") } } });
  if (ids("Allergy").length) await tx.allergy.deleteMany({ where: { patientId, id: { in: ids("Allergy") } } });
  if (ids("Document").length) await tx.document.deleteMany({ where: { patientId, id: { in: ids("Document") } } });
  if (ids("PatientContact").length) await tx.patientContact.deleteMany({ where: { patientId, id: { in: ids("PatientContact") } } });
  if (ids("Encounter").length) await tx.encounter.deleteMany({ where: { patientId, id: { in: ids("Encounter") } } });
  // a discharge undone: the stay it completed is open again (a no-op when the stay itself is gone)
  if (ids("EncounterEnd").length) await tx.encounter.updateMany({ where: { patientId, id: { in: ids("EncounterEnd") } }, data: { endedAt: null } });
  if (ids("Prescription").length) {
    // a dispense that filled a removed prescription no longer points at it (relinked if it is filed again)
    await tx.prescription.updateMany({ where: { patientId, fillsId: { in: ids("Prescription") } }, data: { fillsId: null } });
    await tx.prescriptionItem.deleteMany({ where: { patientId, prescriptionId: { in: ids("Prescription") } } });
    await tx.prescription.deleteMany({ where: { patientId, id: { in: ids("Prescription") } } });
  }
}

/** A prescription (or dispense) and its items, filed with the document's other rows (lib/ingest/record-rows). */
export function addPrescription(rows: RecordRows, rx: Prisma.PrescriptionCreateManyInput, items: Omit<Prisma.PrescriptionItemCreateManyInput, "patientId" | "prescriptionId">[]) {
  rows.add("Prescription", [rx]);
  rows.add("PrescriptionItem", items.map((i) => ({ ...i, patientId: rx.patientId, prescriptionId: rx.id })));
}
