import { coding, compact, concept, dateAtPrecision, referenceTo, resourceBase, type Resource, type RowMeta } from "./write-common";

export interface AllergyRow extends RowMeta {
  id: string;
  patientId: string;
  occurredAt: Date;
  occurredPrecision: string | null;
  kind: "DRUG" | "FOOD" | "ENVIRONMENT" | "CONTRAINDICATION";
  codeSystem: string | null;
  code: string | null;
  display: string;
  reaction: string | null;
  severity: "MILD" | "MODERATE" | "SEVERE" | "UNKNOWN";
  active: boolean;
}

const CLINICAL = "http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical";
const VERIFICATION = "http://terminology.hl7.org/CodeSystem/allergyintolerance-verification";
/** FHIR has no category for a 薬剤禁忌: it is a medication intolerance (type says so, category medication). */
const CATEGORY = { DRUG: "medication", FOOD: "food", ENVIRONMENT: "environment", CONTRAINDICATION: "medication" } as const;
const SEVERITY = { MILD: "mild", MODERATE: "moderate", SEVERE: "severe", UNKNOWN: null } as const;
/** "no information": the manifestation is required in a reaction that states only a severity */
const NO_INFORMATION = { coding: [{ system: "http://terminology.hl7.org/CodeSystem/v3-NullFlavor", code: "NI" }] };

/** JP_AllergyIntolerance: the allergen as stored, the kind as category, the reaction and its severity. */
export function writeAllergy(a: AllergyRow): Resource {
  const severity = SEVERITY[a.severity];
  return compact({
    ...resourceBase("AllergyIntolerance", a.id, "JP_AllergyIntolerance", a, `${a.display}${a.reaction ? `（${a.reaction}）` : ""}`),
    clinicalStatus: concept(CLINICAL, a.active ? "active" : "inactive"),
    verificationStatus: concept(VERIFICATION, "confirmed"),
    type: a.kind === "CONTRAINDICATION" ? "intolerance" : "allergy",
    category: [CATEGORY[a.kind]],
    code: compact({ coding: a.code ? [coding(a.codeSystem, a.code, a.display)] : [], text: a.display }),
    patient: referenceTo("Patient", a.patientId),
    onsetDateTime: dateAtPrecision(a.occurredAt, a.occurredPrecision),
    reaction: a.reaction || severity ? [compact({ manifestation: [a.reaction ? { text: a.reaction } : NO_INFORMATION], severity })] : null,
  });
}
