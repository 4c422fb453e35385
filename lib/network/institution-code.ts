import { prefectureOfNumber, type Prefecture } from "./prefectures";

/**
 * 医療機関コード: 10 digits = prefecture number 2 (01–47) + 点数表番号 1 + institution number 7 (郡市区 2,
 * 機関番号 4, 検証番号 1). The 検証番号 is computed over all ten digits (checkDigitHolds). It is not a
 * hard rule of the form: the code the published JP-CLINS examples use (1318814790, the demo's FHIR
 * hospital) does not satisfy it, so a code that fails it needs the administrator's explicit word.
 */
export type FacilityKind = "HOSPITAL" | "CLINIC" | "DENTAL_CLINIC" | "PHARMACY" | "CARE_FACILITY";

/** 点数表番号: 1 医科, 3 歯科, 4 調剤, 6 訪問看護. */
const TABLE_OF_KIND: Record<FacilityKind, readonly string[]> = {
  HOSPITAL: ["1"],
  CLINIC: ["1"],
  DENTAL_CLINIC: ["3"],
  PHARMACY: ["4"],
  // a care facility joins under the code of the medical or 訪問看護 service it runs
  CARE_FACILITY: ["1", "3", "6"],
};
const TABLES = new Set(Object.values(TABLE_OF_KIND).flat());

/**
 * The 検証番号 (last digit) agrees with the other nine: from the last digit leftwards, weights 1 and 2 in
 * turn, a two-digit product counted as the sum of its digits, the total a multiple of 10 (the same rule
 * as the 保険者番号's). Catches every single mistyped digit and most swaps of neighbours — the slip
 * that otherwise registers the same hospital twice under two codes.
 */
export function checkDigitHolds(code: string): boolean {
  if (!/^\d{10}$/.test(code)) return false;
  let sum = 0;
  for (let i = 0; i < 10; i++) {
    const n = Number(code[9 - i]) * (i % 2 ? 2 : 1);
    sum += n > 9 ? n - 9 : n;
  }
  return sum % 10 === 0;
}

/**
 * A 医療機関コード as typed, as the network stores and searches it: NFKC turns full-width digits
 * (１３１２３４５６７８, what many Japanese input methods type) into ASCII ones; spaces around it go.
 * The form and the facility search both use this, so a code found by one is accepted by the other.
 */
export const normaliseInstitutionCode = (typed: string): string => typed.normalize("NFKC").trim();

export type InstitutionCodeProblem = "CODE_FORMAT" | "CODE_PREFECTURE" | "CODE_TABLE" | "CODE_TABLE_KIND" | "CODE_PREFECTURE_MISMATCH";

/**
 * What is wrong with a code for a facility of this kind in this prefecture, most basic first, or
 * null when it is a well-formed code that fits them. Pure, so the form and its tests share it.
 */
export function institutionCodeProblem(code: string, kind: FacilityKind | null, prefecture: Prefecture | null): InstitutionCodeProblem | null {
  if (!/^\d{10}$/.test(code)) return "CODE_FORMAT";
  const pref = prefectureOfNumber(code.slice(0, 2));
  if (!pref) return "CODE_PREFECTURE";
  const table = code.slice(2, 3);
  if (!TABLES.has(table)) return "CODE_TABLE";
  if (kind && !TABLE_OF_KIND[kind].includes(table)) return "CODE_TABLE_KIND";
  if (prefecture && prefecture !== pref) return "CODE_PREFECTURE_MISMATCH";
  return null;
}
