/**
 * JP Core's own packages publish differentials only (no snapshot), so JP Core profiles carry no
 * invariants to check. JP-CLINS's eCS profiles are JP Core's with a snapshot: FHIR's base invariants
 * (ele-1, dom-6, con-4, ait-1, obs-6 …) and JP-CLINS's own rules (R5020 用法, R901101 医療機関番号).
 * Each resource is checked against the eCS profile of its type, the strictest set the packages hold.
 */
const ECS: Record<string, string> = {
  Patient: "JP_Patient_eCS", Condition: "JP_Condition_eCS", AllergyIntolerance: "JP_AllergyIntolerance_eCS", MedicationRequest: "JP_MedicationRequest_eCS",
  Encounter: "JP_Encounter_eCS", Procedure: "JP_Procedure_eCS", DocumentReference: "JP_DocumentReference_eCS",
};
const ecsProfile = (r: { resourceType: string; category?: { coding: { code: string }[] }[] }) =>
  r.resourceType === "Observation" ? (r.category?.[0]?.coding[0]?.code === "laboratory" ? "JP_Observation_LabResult_eCS" : "JP_Observation_Common_eCS") : ECS[r.resourceType];
export function asEcs<T>(b: T): T {
  const copy = JSON.parse(JSON.stringify(b));
  for (const e of copy.entry) {
    const p = ecsProfile(e.resource);
    if (p) e.resource.meta.profile = [`http://jpfhir.jp/fhir/eCS/StructureDefinition/${p}`];
  }
  return copy;
}
