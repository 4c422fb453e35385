/**
 * Lab tests by JLAC10 code: name, unit, reference range and the precision a result is printed at.
 * Runtime terminology (units and ranges on the screens, the emergency dataset's tests).
 *
 * Provenance:
 * - JLAC10 and 特定健診 item codes are the published ones as best known; reference ranges follow the
 *   JCCLS 共用基準範囲 (labs) and the 特定健診 保健指導判定値 (checkups).
 */

export interface LabTest {
  key: string;
  code: string;
  display: string;
  unit: string;
  refLow?: number;
  refHigh?: number;
  /** female ranges where JCCLS gives sex-specific ones */
  refLowF?: number;
  refHighF?: number;
  /** decimals for display/rounding */
  decimals: number;
}

export const LAB_TESTS: readonly LabTest[] = [
  { key: "hba1c", code: "3D046000001906202", display: "HbA1c（NGSP）", unit: "%", refLow: 4.6, refHigh: 6.2, decimals: 1 },
  { key: "glu", code: "3D010000001926101", display: "血糖（空腹時）", unit: "mg/dL", refLow: 73, refHigh: 109, decimals: 0 },
  { key: "egfr", code: "8A065000002391901", display: "eGFR", unit: "mL/min/1.73m2", refLow: 60, decimals: 1 },
  { key: "cre", code: "3C015000002327101", display: "クレアチニン", unit: "mg/dL", refLow: 0.65, refHigh: 1.07, refLowF: 0.46, refHighF: 0.79, decimals: 2 },
  { key: "bun", code: "3C025000002327101", display: "尿素窒素", unit: "mg/dL", refLow: 8, refHigh: 20, decimals: 1 },
  { key: "ua", code: "3C020000002327101", display: "尿酸", unit: "mg/dL", refLow: 3.7, refHigh: 7.8, refLowF: 2.6, refHighF: 5.5, decimals: 1 },
  { key: "ldl", code: "3F077000002327101", display: "LDLコレステロール", unit: "mg/dL", refLow: 65, refHigh: 163, decimals: 0 },
  { key: "hdl", code: "3F070000002327101", display: "HDLコレステロール", unit: "mg/dL", refLow: 38, refHigh: 90, refLowF: 48, refHighF: 103, decimals: 0 },
  { key: "tg", code: "3F015000002327101", display: "中性脂肪", unit: "mg/dL", refLow: 40, refHigh: 234, refLowF: 30, refHighF: 117, decimals: 0 },
  { key: "ast", code: "3B035000002327201", display: "AST", unit: "U/L", refLow: 13, refHigh: 30, decimals: 0 },
  { key: "alt", code: "3B045000002327201", display: "ALT", unit: "U/L", refLow: 10, refHigh: 42, refLowF: 7, refHighF: 23, decimals: 0 },
  { key: "ggt", code: "3B090000002327201", display: "γ-GT", unit: "U/L", refLow: 13, refHigh: 64, refLowF: 9, refHighF: 32, decimals: 0 },
  { key: "alb", code: "3A015000001827101", display: "アルブミン", unit: "g/dL", refLow: 4.1, refHigh: 5.1, decimals: 1 },
  { key: "na", code: "3H010000002326101", display: "ナトリウム", unit: "mmol/L", refLow: 138, refHigh: 145, decimals: 0 },
  { key: "k", code: "3H015000002326101", display: "カリウム", unit: "mmol/L", refLow: 3.6, refHigh: 4.8, decimals: 1 },
  { key: "crp", code: "5C070000002306001", display: "CRP", unit: "mg/dL", refLow: 0, refHigh: 0.14, decimals: 2 },
  { key: "wbc", code: "2A990000001930101", display: "白血球数", unit: "10^3/μL", refLow: 3.3, refHigh: 8.6, decimals: 1 },
  { key: "hb", code: "2A030000001930101", display: "ヘモグロビン", unit: "g/dL", refLow: 13.7, refHigh: 16.8, refLowF: 11.6, refHighF: 14.8, decimals: 1 },
  { key: "plt", code: "2A050000001930101", display: "血小板数", unit: "10^4/μL", refLow: 15.8, refHigh: 34.8, decimals: 1 },
  // the code JP-CLINS's core lab set gives PT-INR (凝固時間測定, 血漿); a ratio, so no unit. The range is a
  // typical one without anticoagulation: a patient on warfarin is expected above it (target 2–3)
  { key: "ptinr", code: "2B030000002231157", display: "PT-INR", unit: "", refLow: 0.9, refHigh: 1.1, decimals: 2 },
];

export const LAB_BY_KEY: ReadonlyMap<string, LabTest> = new Map(LAB_TESTS.map((x) => [x.key, x]));
export const LAB_BY_CODE: ReadonlyMap<string, LabTest> = new Map(LAB_TESTS.map((x) => [x.code, x]));
/**
 * A result as its test reports it: a number with the test's decimals (HbA1c 7.0, not 7: a float column
 * drops the trailing zero that says how precise the value is; a test not in the table is shown as
 * stored), else the result's text, else a dash.
 */
export function measuredText(code: string, value: number | null, text?: string | null): string {
  if (value === null) return text ?? "—";
  const decimals = LAB_BY_CODE.get(code)?.decimals;
  return decimals === undefined ? String(value) : value.toFixed(decimals);
}

export function labTest(key: string): LabTest {
  const x = LAB_BY_KEY.get(key);
  if (!x) throw new Error(`unknown lab test ${key}`);
  return x;
}
