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
