/**
 * The code systems Tsunagu reads and shows, by their FHIR system URI, and the short names clinicians
 * know them by. A module of its own (the drug and lab-test tables are drugs.ts and lab-tests.ts) so that
 * client components can name a system without shipping those tables to the browser.
 */
export const CODE_SYSTEM = {
  HOT9: "http://medis.or.jp/CodeSystem/master-HOT9",
  /** MEDIS 医薬品基準番号 HOT13 (包装単位) and 処方用番号 HOT7 */
  HOT13: "http://medis.or.jp/CodeSystem/master-HOT13",
  HOT7: "http://medis.or.jp/CodeSystem/master-HOT7",
  YJ: "http://capstandard.jp/iyaku.info/CodeSystem/YJ-code",
  /** MEDIS ICD10対応標準病名マスター 病名交換用コード */
  MEDIS_DISEASE: "urn:oid:1.2.392.200119.4.101.6",
  /** MEDIS 病名管理番号 (8 digits, 20058911 狭心症): a code system of its own, not the 交換用コード above */
  MEDIS_DISEASE_KEY: "urn:oid:1.2.392.200119.4.101.2",
  ICD10: "http://jpfhir.jp/fhir/core/mhlw/CodeSystem/ICD10-2013-full",
  JLAC10: "urn:oid:1.2.392.200119.4.504",
  /** 特定健診 項目コード */
  CHECKUP: "urn:oid:1.2.392.200119.6.1005",
  /** 診療報酬 手術・処置 (K/J/L codes) */
  PROCEDURE: "urn:oid:1.2.392.100495.20.2.41",
  JAMI_USAGE: "urn:oid:1.2.392.200250.2.2.20.20",
  /** SS-MIX2 統一診療科コード (JP Core JP_Department_SsMix_CS; lib/terminology/departments.ts names them) */
  SSMIX_DEPARTMENT: "urn:oid:1.2.392.200250.2.2.2",
  /** 電子処方箋管理サービス 処方用法マスタ: the same 16-digit codes as JAMI, a different publisher */
  EPRESCRIPTION_USAGE: "http://jpfhir.jp/fhir/core/mhlw/CodeSystem/MedicationUsage_ePrescription",
  /** 一般名処方マスタ (【般】 names) */
  GENERAL_NAME: "http://jpfhir.jp/fhir/core/mhlw/CodeSystem/MedicationGeneralOrderCode",
  JFAGY_FOOD: "http://jpfhir.jp/fhir/core/CodeSystem/JP_JfagyFoodAllergen_CS",
  /** JFAGY's drug allergen table, as the JP-CLINS examples send it */
  JFAGY_DRUG: "http://jpfhir.jp/fhir/core/CodeSystem/GCM/JP_JfagyMedicationAllergen_CS",
  /** this network's own allergen groups (no national code exists for "ペニシリン系" as a group) */
  LOCAL_ALLERGEN: "urn:tsunagu:allergen-group",
} as const;

/** Short names clinicians know for the systems above; the full URI stays available as a tooltip. */
const SYSTEM_NAMES: Record<string, string> = {
  [CODE_SYSTEM.HOT9]: "HOT9",
  [CODE_SYSTEM.HOT13]: "HOT13",
  [CODE_SYSTEM.HOT7]: "HOT7",
  [CODE_SYSTEM.YJ]: "YJ",
  [CODE_SYSTEM.MEDIS_DISEASE]: "MEDIS",
  [CODE_SYSTEM.MEDIS_DISEASE_KEY]: "MEDIS",
  [CODE_SYSTEM.ICD10]: "ICD-10",
  [CODE_SYSTEM.JLAC10]: "JLAC10",
  [CODE_SYSTEM.CHECKUP]: "特定健診",
  [CODE_SYSTEM.PROCEDURE]: "K/J/L",
  [CODE_SYSTEM.JAMI_USAGE]: "JAMI",
  [CODE_SYSTEM.EPRESCRIPTION_USAGE]: "電子処方箋",
  [CODE_SYSTEM.GENERAL_NAME]: "一般名",
  [CODE_SYSTEM.JFAGY_FOOD]: "JFAGY",
  [CODE_SYSTEM.JFAGY_DRUG]: "JFAGY",
  [CODE_SYSTEM.LOCAL_ALLERGEN]: "local",
};

/** A code system's short name; an unknown system is shown as it came (never blank). */
export function codeSystemName(system: string): string {
  return SYSTEM_NAMES[system] ?? system;
}
