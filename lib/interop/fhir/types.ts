/**
 * What the FHIR readers return: the JP Core / JP-CLINS content as the sender coded it, in the shapes
 * the importer files. Dates are Dates (the instant), except birthDate, which is a calendar date.
 */

export interface FhirIssue {
  severity: "error" | "warning";
  code: "structure" | "required" | "value" | "invalid" | "not-supported" | "conflict";
  /** a FHIRPath-style location, e.g. "Bundle.entry[3].resource.code.coding[0].code" */
  expression: string;
  ja: string;
  en: string;
}

export type FhirReadResult = { ok: true; doc: FhirDocument; warnings: FhirIssue[] } | { ok: false; issues: FhirIssue[] };

/** meta.tag of http://jpfhir.jp/fhir/clins/CodeSystem/JP_ehrshrs_indication: 未提供, 未告知, 長期保存 */
export type Tag = "UNDELIVERED" | "UNINFORMED" | "LTS";

export interface FhirLocalId {
  system: string;
  value: string;
  /** the 10-digit 医療機関コード of a JP patient id system (urn:oid:1.2.392.100495.20.3.51.1 + code), else null */
  facilityCode: string | null;
}

/** 被保険者個人識別子 保険者番号:記号:番号:枝番, NFKC-normalised (１８７ → 187) and trimmed */
export interface FhirInsured {
  insurerNumber: string;
  symbol: string | null;
  number: string;
  /** 枝番: names one member of an insured family, so two branches are two people */
  branch: string | null;
}

export interface FhirPatient {
  /** where the patient was read: the Patient resource, or the subject.identifier of a lone resource */
  at: string;
  localIds: FhirLocalId[];
  insured: FhirInsured | null;
  /** the kanji name (HumanName with iso21090-EN-representation IDE, or the one without that extension) */
  familyName: string | null;
  givenName: string | null;
  /** the SYL name, through normaliseKana */
  familyNameKana: string | null;
  givenNameKana: string | null;
  /** YYYY-MM-DD; a partial birth date is reported and left null */
  birthDate: string | null;
  sex: "MALE" | "FEMALE" | "OTHER" | "UNKNOWN";
}

interface FhirRecord {
  /** the expression of the resource, e.g. "Bundle.entry[5].resource" */
  at: string;
  /** the resource's own identifier as system|value (resourceInstance-identifier first), else null */
  identifier: string | null;
  tags: Tag[];
  occurredAt: Date | null;
}

export interface FhirCondition extends FhirRecord {
  /** the onset was sent as a year or a month only (null: a day or more) */
  occurredPrecision: "YEAR" | "MONTH" | null;
  endedAt: Date | null;
  /** the MEDIS 病名 coding when there is one (canonical system); empty strings when the name is text only */
  codeSystem: string;
  code: string;
  /** code.text (the name as the doctor wrote it, with its modifiers), else the coding's display */
  display: string;
  icd10: string | null;
  /** verificationStatus unconfirmed/provisional/differential, or a 「疑い」 postfix modifier */
  suspected: boolean;
  /** clinicalStatus active, recurrence or relapse (absent: true, with a warning) */
  active: boolean;
  /** resolved → CURED, inactive → STOPPED (中止), remission → 軽快 (as SS-MIX2 senders write it); else null */
  outcome: string | null;
  major: false;
}

export interface FhirAllergy extends FhirRecord {
  occurredPrecision: "YEAR" | "MONTH" | null;
  kind: "DRUG" | "FOOD" | "ENVIRONMENT";
  codeSystem: string | null;
  code: string | null;
  display: string;
  reaction: string | null;
  severity: "SEVERE" | "MODERATE" | "MILD" | "UNKNOWN";
  active: boolean;
}

export interface FhirLab extends FhirRecord {
  /** the JLAC10 coding when there is one (canonical system), else the first coding */
  codeSystem: string;
  code: string;
  display: string;
  valueNumeric: number | null;
  valueText: string | null;
  unit: string | null;
  refLow: number | null;
  refHigh: number | null;
  refText: string | null;
  flag: "H" | "L" | "N" | "A" | null;
}

export interface FhirMedication extends FhirRecord {
  /** a MedicationDispense (調剤: filed as a dispense), not a MedicationRequest (処方) */
  dispensed: boolean;
  /** the prescriber (MedicationRequest.requester), or the pharmacist who dispensed (MedicationDispense.performer) */
  prescriberName: string | null;
  department: string | null;
  /** the RP number (identifier Medication-RPGroupNumber) */
  rp: number | null;
  /** HOT when coded, else YJ, else 一般名処方コード, else the first coding (canonical system) */
  codeSystem: string;
  code: string;
  display: string;
  hotCode: string | null;
  yjCode: string | null;
  /** 1回量; null when the dose is not stated or is uneven across the day (the text says it then) */
  dose: number | null;
  doseUnit: string | null;
  /** the JAMI 16-digit 用法 code (or the same code from the 電子処方箋 用法 master) */
  usageCode: string | null;
  /** the 用法 text; when the dose is null, dosageInstruction.text (what the prescriber wrote in full) */
  usageText: string | null;
  /** dispenseRequest.expectedSupplyDuration in days, else timing.repeat.boundsDuration; null for 頓用 counts */
  days: number | null;
  asNeeded: boolean;
  timesPerDay: number | null;
}

/** A visit (Encounter), as Tsunagu writes one: read from transaction Bundles only (see records.ts). */
export interface FhirEncounter extends FhirRecord {
  class: "OUTPATIENT" | "INPATIENT" | "EMERGENCY" | "HOME";
  endedAt: Date | null;
  /** serviceType (診療科) */
  department: string | null;
  reason: string | null;
}

/** A letter or report sent as a DocumentReference with its text attached: read from transaction Bundles only. */
export interface FhirLetter extends FhirRecord {
  kind: "REFERRAL" | "DISCHARGE_SUMMARY" | "CHECKUP_REPORT" | "IMAGING_REPORT" | "PATHOLOGY_REPORT" | "RADIOLOGY_EXAM" | "ENDOSCOPY_EXAM" | "PHYSIOLOGY_REPORT" | "PROGRESS_NOTE" | "CLINICAL_DOCUMENT";
  title: string;
  /** the sender's own type code, beside the kind's LOINC code */
  codeSystem: string | null;
  code: string | null;
  codeDisplay: string | null;
  authorName: string | null;
  recipient: string | null;
  body: string;
}

export interface FhirComposition {
  kind: "REFERRAL" | "DISCHARGE_SUMMARY";
  title: string | null;
  occurredAt: Date | null;
  authorName: string | null;
  recipient: string | null;
  /** every section's text in order, nested ones included, as plain text under 【heading】 lines */
  body: string;
}

export interface FhirDocument {
  shape: "document" | "collection" | "transaction" | "resource";
  /** the resend key: Bundle.identifier system|value; a lone resource's type|system|value; never fullUrl or id */
  key: string | null;
  timestamp: string | null;
  patient: FhirPatient | null;
  conditions: FhirCondition[];
  allergies: FhirAllergy[];
  labs: FhirLab[];
  medications: FhirMedication[];
  encounters: FhirEncounter[];
  letters: FhirLetter[];
  document: FhirComposition | null;
  /** transaction DELETE entries: request.url as sent (a conditional url or Type/id) */
  deletes: string[];
  notImported: { at: string; reason: string }[];
}
