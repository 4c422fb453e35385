/**
 * English glosses of the JP-CLINS-specific invariants, written here from reading each constraint's
 * Japanese `human` text and its FHIRPath (the packages themselves carry Japanese only). Keyed by
 * constraint.key. Most base FHIR invariants need none (their `human` is English, or "日本語 / English");
 * the few that JP-CLINS copied with a Japanese-only (machine-translated) text get one at the end.
 */

export const INVARIANT_GLOSSES: Readonly<Record<string, string>> = {
  // JP_Bundle_CLINS (the 5-information Bundle)
  "bundle-profile-is-JP-Bundle-CLINS": "the Bundle must declare the JP_Bundle_CLINS profile in meta.profile",
  "bundle-meta-tag-resourceType-exists": "Bundle.meta.tag must state the resourceType the Bundle carries (BundleResourceType_CS)",
  "bundle-meta-tag-resourceType-valid": "the resourceType in Bundle.meta.tag must be AllergyIntolerance, Observation or Condition",
  "mustHaveOneMoreResources-with-designatedResourceType": "the Bundle must contain at least one resource of the type named in Bundle.meta.tag",
  "valid-system-bundleIdenfifier": "Bundle.identifier.system must be http://jpfhir.jp/fhir/clins/bundle-identifier",
  "valid-value-bundleIdenfifier": "Bundle.identifier.value must be <10-digit institution number>^<year 20xx>^<up to 36 letters, digits or hyphens>",
  "all-entries-needs-extension-of-institutionNumber": "every entry resource other than the first (the Patient) needs the institution-number extension",
  "all-entries-needs-valid-institutionNumber": "every entry resource other than the Patient needs an institution number of 10 digits",
  "condition-needs-contained-of-Encounter": "every Condition needs a contained JP_Encounter",
  "condition-needs-extension-of-Department": "every Condition needs the department (診療科) extension",
  "condition-needs-onsetDateTime": "every Condition needs onsetDateTime",
  "observation-needs-contained-of-Encounter": "every Observation needs a contained JP_Encounter",
  "observation-needs-extension-of-Department": "every Observation needs the department (診療科) extension",
  "first-bundle-entry-is-Patient": "the first entry must be a Patient",
  "patients-profile-is-JP-Patient-eCS": "the first entry's Patient must declare the JP_Patient_eCS profile",
  "validEntryProfile-AllergyIntolerance": "AllergyIntolerance entries must declare a version of JP_AllergyIntolerance_eCS",
  "validEntryProfile-Condition": "Condition entries must declare a version of JP_Condition_eCS",
  "validEntryProfile-MedicationRequest": "MedicationRequest entries must declare a version of JP_MedicationRequest_eCS",
  "validEntryProfile-ObservationLabResult": "Observation entries must declare a version of JP_Observation_LabResult_eCS",
  // Document Compositions (診療情報提供書, 退院時サマリー)
  "checkExist-CDASection-or-CompositionSection": "exactly one of the CDA-document section (code 200) and the structured sections (code 300) must be present",
  "checkExist-CDASection-or-structuredSection": "exactly one of the CDA-document section (code 200) and the structured sections (code 300) must be present",
  // JP_MedicationRequest_eCS and its Dosage
  "needs-anyOfStandardCode-medication": "medicationCodeableConcept needs exactly one YJ code, MHLW general-name code or the 'no standard code' code (other codes may be added)",
  "validUsage-MedicationUsage-codesystem": "the dosage timing must use exactly one of the MHLW e-prescription usage code and the uncoded dummy usage code",
  "invalidUsage-MedicationUsage-codesystem": "the MHLW e-prescription usage code and the uncoded dummy usage code must not both be used",
  // JP_Observation_LabResult_eCS
  "resource-needs-extension-of-institutionNumber": "the resource needs the institution-number extension",
  // JP_Patient_eCS
  "valid-system-local-patientID": "a local patient ID's identifier.system must be urn:oid:1.2.392.100495.20.3.51.1<10-digit institution number>",
  "valid-system-insurance-patientIdentifier": "exactly one insured-person identifier (system JP_Insurance_memberID) is required",
  "valid-value-insurance-patientIdentifier": "the insured-person identifier must read <insurer number, 8 digits>:<symbol>:<number>:<branch, empty or 2 digits>, without blanks",
  "kanjiName-kanaName-donot-contain-ZenkakuKuuhaku": "kanji and kana patient names must not contain a full-width space (separate family and given name by a half-width space or not at all)",
  // JP_eCS_InstitutionNumber extension
  "valid-value-institutionNumberExtension": "the institution number must be 2-digit prefecture + 1-digit kind (1|2|3) + 7-digit medical institution code",
  // Base FHIR, where the JP-CLINS copies have Japanese text only
  "dom-2": "a contained resource must not itself contain resources",
  "dom-3": "a contained resource must be referred to from elsewhere in the resource, or refer to it",
  "dom-4": "a contained resource must not have meta.versionId or meta.lastUpdated",
  "dom-5": "a contained resource must not have security labels",
  "dom-6": "a resource should have a narrative (text) for robust management",
  "ele-1": "every element must have a value or children",
  "ext-1": "an extension must have either nested extensions or a value[x], not both",
};

/** The rule number a JP-CLINS `human` opens with ("R2152:…", "R1113- …"), if any. */
export function ruleNumber(human: string): string | undefined {
  return /^\s*(R\d+[A-Z]*)\s*[:：\-]/.exec(human)?.[1];
}
