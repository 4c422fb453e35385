import type { Db } from "../../lib/db/client";

/** Every row of the patient in every record table an import files, as comparable JSON: "exactly as before" in one string. */
export async function recordSnapshot(db: Db, patientId: string): Promise<string> {
  const where = { where: { patientId }, orderBy: { id: "asc" as const } };
  return JSON.stringify({
    conditions: await db.condition.findMany(where),
    allergies: await db.allergy.findMany(where),
    labs: await db.labResult.findMany(where),
    prescriptions: await db.prescription.findMany(where),
    items: await db.prescriptionItem.findMany(where),
    documents: await db.document.findMany(where),
    encounters: await db.encounter.findMany(where),
    procedures: await db.procedure.findMany(where),
    checkups: await db.checkup.findMany(where),
    contacts: await db.patientContact.findMany(where),
  });
}
