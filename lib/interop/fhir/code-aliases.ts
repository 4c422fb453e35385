import { CODE_SYSTEM } from "../../terminology/code-systems";

/**
 * The URIs senders use for one code system. JP Core moved from OID to URL forms (JP-CLINS 1.5.0) and
 * both are in the field, so a JLAC10 code must compare equal whichever form it came in: every alias
 * reads as the one canonical URI in CODE_SYSTEM. Systems not listed are kept exactly as sent.
 * Sources: the JP-CLINS IG's table "コード表のsystem値の変更表（OID形式→URL形式）" and JP Core's NamingSystems
 * (every uniqueId of JP Core 1.1.2's for these systems: a test reads the package and holds this table to it).
 */
const SAME_SYSTEM: readonly (readonly [canonical: string, aliases: readonly string[]])[] = [
  [CODE_SYSTEM.JLAC10, [
    "http://medis.or.jp/CodeSystem/master-JLAC10-17digits",
    // JP-CLINS's 核心検査 list: a subset of JLAC10 17-digit codes, not codes of its own
    "http://jpfhir.jp/fhir/clins/CodeSystem/JLAC10/JP_CLINS_ObsLabResult_CoreLabo_CS",
    "http://jpfhir.jp/fhir/core/CodeSystem/JP_ObservationLabResultCode_CS",
  ]],
  [CODE_SYSTEM.MEDIS_DISEASE_KEY, ["http://medis.or.jp/CodeSystem/master-disease-keyNumber"]],
  [CODE_SYSTEM.MEDIS_DISEASE, ["http://medis.or.jp/CodeSystem/master-disease-exCode"]],
  [CODE_SYSTEM.HOT9, ["urn:oid:1.2.392.200119.4.403.1", "urn:oid:1.2.392.100495.20.2.74", "http://jpfhir.jp/fhir/core/CodeSystem/JP_MedicationCodeHOT9_CS"]],
  [CODE_SYSTEM.HOT13, ["urn:oid:1.2.392.200119.4.402.1", "http://jpfhir.jp/fhir/core/CodeSystem/JP_MedicationCodeHOT13_CS"]],
  [CODE_SYSTEM.HOT7, ["urn:oid:1.2.392.200119.4.403.2", "http://jpfhir.jp/fhir/core/CodeSystem/JP_MedicationCodeHOT7_CS"]],
  // JP Core's NamingSystem for YJ and for 一般名 is 1.2.392.100495.20.1.73 / .20.1.81 (JP-CLINS before 1.5,
  // the 電子処方箋 specification, and R2012 of today's IG write them so); 20.2.x is the older tables' number
  [CODE_SYSTEM.YJ, ["urn:oid:1.2.392.100495.20.1.73", "urn:oid:1.2.392.100495.20.2.73", "http://jpfhir.jp/fhir/core/CodeSystem/JP_MedicationCodeYJ_CS"]],
  [CODE_SYSTEM.ICD10, [
    "http://jpfhir.jp/fhir/core/CodeSystem/JP_ICD10",
    "http://hl7.org/fhir/sid/icd-10",
    "http://jpfhir.jp/fhir/core/CodeSystem/JP_ConditionDiseaseCodeICD10_CS",
    "http://jpfhir.jp/fhir/core/mhlw/CodeSystem/ICD10-2013-3digits",
    "http://www.mhlw.go.jp/toukei/sippei/2013/ICD10-JP",
  ]],
  [CODE_SYSTEM.JAMI_USAGE, ["http://jami.jp/CodeSystem/MedicationUsage", "urn:oid:1.2.392.200250.2.2.20", "http://jpfhir.jp/fhir/core/CodeSystem/JP_MedicationUsageJAMI_CS"]],
  [CODE_SYSTEM.GENERAL_NAME, ["urn:oid:1.2.392.100495.20.1.81", "urn:oid:1.2.392.100495.20.2.81", "http://jpfhir.jp/fhir/core/CodeSystem/JP_MedicationCodeCommon_CS"]],
  [CODE_SYSTEM.SSMIX_DEPARTMENT, ["http://jpfhir.jp/fhir/core/CodeSystem/JP_Department_SsMix_CS"]],
];

const CANONICAL: ReadonlyMap<string, string> = new Map(SAME_SYSTEM.flatMap(([canonical, aliases]) => [[canonical, canonical] as const, ...aliases.map((a) => [a, canonical] as const)]));

/** The canonical URI of a known system in any of its forms; any other system as sent. */
export function canonicalSystem(system: string): string {
  return CANONICAL.get(system.trim()) ?? system.trim();
}
