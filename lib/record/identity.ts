import type { Tx } from "../db/client";

/** Who a patient is, as every patient list and header shows it (no clinical data). */
export interface PatientBasics {
  id: string;
  familyName: string;
  givenName: string;
  familyNameKana: string;
  givenNameKana: string;
  sex: string;
  /** calendar date, YYYY-MM-DD */
  birthDate: string;
}

export function patientBasics(p: Omit<PatientBasics, "birthDate"> & { birthDate: Date }): PatientBasics {
  return {
    id: p.id,
    familyName: p.familyName,
    givenName: p.givenName,
    familyNameKana: p.familyNameKana,
    givenNameKana: p.givenNameKana,
    sex: p.sex,
    birthDate: p.birthDate.toISOString().slice(0, 10),
  };
}

export interface PatientIdentity extends PatientBasics {
  insurerNumber: string | null;
  insuredSymbol: string | null;
  insuredNumber: string | null;
  /** facilities holding this patient's records (from the patient links) */
  facilities: { id: string; name: string; localPatientId: string }[];
}

/** The header every patient page shows: who, insurance, and where they have records. */
export async function readIdentity(tx: Tx, patientId: string): Promise<PatientIdentity> {
  const p = await tx.patient.findUniqueOrThrow({
    where: { id: patientId },
    include: { links: { include: { facility: { select: { name: true } } }, orderBy: { facilityId: "asc" } } },
  });
  return {
    ...patientBasics(p),
    insurerNumber: p.insurerNumber,
    insuredSymbol: p.insuredSymbol,
    insuredNumber: p.insuredNumber,
    facilities: p.links.map((l) => ({ id: l.facilityId, name: l.facility.name, localPatientId: l.localPatientId })),
  };
}
