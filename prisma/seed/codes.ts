/**
 * The demo seed's code tables: what only the seed reads to make its synthetic records (用法, the
 * usual 用法 and 1回量 of each product, typical reactions per allergen group, the conditions it picks
 * from, 特定健診 items, procedures, and how it flags its generated values). The tables that runtime
 * code reads are lib/terminology. Plain typed arrays and maps only: no database access, no randomness.
 *
 * Provenance (be honest about what is real):
 * - ICD-10 codes are the real WHO/MHLW (2013) codes. MEDIS 病名管理番号/交換用コード are real only
 *   where `` (from the JP Core / JP-CLINS examples); the rest are format-valid
 *   stand-ins, to be replaced from the MEDIS 標準病名マスター before any real use.
 * - 用法 codes are JAMI 16-digit 標準用法コード where known (the ones in the JP-CLINS examples and
 *   their obvious siblings); local "U.." codes otherwise.
 * - 特定健診 item codes are the published ones as best known; their ranges are the 特定健診
 *   保健指導判定値; the labs' ranges (lib/terminology/lab-tests.ts) follow the JCCLS 共用基準範囲.
 */

import { ALLERGEN_BY_GROUP, type Allergen, type AllergyGroup } from "../../lib/terminology/allergens";
import { DRUG_BY_KEY, type Drug as Product, type SensitivityCode } from "../../lib/terminology/drugs";
import type { LabTest } from "../../lib/terminology/lab-tests";

// ---------------------------------------------------------------------------------------------
// 用法 (usage)

export type UsageKey =
  | "M1" | "E1" | "B2" | "T3" | "HS" | "EMPTY1" | "WEEKLY"
  | "PRN_PAIN" | "PRN_FEVER" | "PRN_CHEST" | "PATCH1" | "PATCH2" | "INHALE1";

export interface Usage {
  key: UsageKey;
  code: string;
  text: string;
  /** doses per day (for quantity), 0 for as-needed */
  perDay: number;
  asNeeded: boolean;
}

export const USAGES: readonly Usage[] = [
  { key: "M1", code: "1011000400000000", text: "1日1回朝食後", perDay: 1, asNeeded: false },
  { key: "E1", code: "1011040000000000", text: "1日1回夕食後", perDay: 1, asNeeded: false },
  { key: "B2", code: "1012040400000000", text: "1日2回朝夕食後", perDay: 2, asNeeded: false },
  { key: "T3", code: "1013044400000000", text: "1日3回毎食後", perDay: 3, asNeeded: false },
  { key: "HS", code: "1011100000000000", text: "1日1回就寝前", perDay: 1, asNeeded: false },
  { key: "EMPTY1", code: "U01", text: "1日1回空腹時（食後2時間以降）", perDay: 1, asNeeded: false },
  { key: "WEEKLY", code: "U02", text: "週1回起床時（水180mLで服用、30分は横にならない）", perDay: 1, asNeeded: false },
  { key: "PRN_PAIN", code: "U03", text: "疼痛時（頓用）", perDay: 0, asNeeded: true },
  { key: "PRN_FEVER", code: "1050710000000000", text: "発熱時（頓用）", perDay: 0, asNeeded: true },
  { key: "PRN_CHEST", code: "U04", text: "胸痛発作時 舌下（頓用）", perDay: 0, asNeeded: true },
  { key: "PATCH1", code: "U05", text: "1日1回 患部に貼付", perDay: 1, asNeeded: false },
  { key: "PATCH2", code: "U06", text: "1日1回 胸部・背部・上腕のいずれかに貼付", perDay: 1, asNeeded: false },
  { key: "INHALE1", code: "U07", text: "1日1回1吸入（吸入後うがい）", perDay: 1, asNeeded: false },
];

export const USAGE_BY_KEY: ReadonlyMap<UsageKey, Usage> = new Map(USAGES.map((u) => [u.key, u]));
export function usage(key: UsageKey): Usage {
  const u = USAGE_BY_KEY.get(key);
  if (!u) throw new Error(`unknown usage ${key}`);
  return u;
}

// ---------------------------------------------------------------------------------------------
// Drugs as the seed prescribes them: the product and its usual 用法 and 1回量

export interface Drug extends Product {
  usage: UsageKey;
  /** usual 1回量 in `unit` */
  dose: number;
}

const USUAL: Readonly<Record<string, { usage: UsageKey; dose: number }>> = {
  norvasc5: { usage: "M1", dose: 1 },
  amlodin5: { usage: "M1", dose: 1 },
  amlodipineOd10: { usage: "M1", dose: 1 },
  adalatCr20: { usage: "M1", dose: 1 },
  blopress8: { usage: "M1", dose: 1 },
  micardis40: { usage: "M1", dose: 1 },
  maintate2_5: { usage: "M1", dose: 1 },
  lasix20: { usage: "M1", dose: 1 },
  nitropen: { usage: "PRN_CHEST", dose: 1 },
  sigmart5: { usage: "T3", dose: 1 },
  bayaspirin100: { usage: "M1", dose: 1 },
  plavix75: { usage: "M1", dose: 1 },
  warfarin1: { usage: "M1", dose: 2 },
  metgluco250: { usage: "B2", dose: 2 },
  januvia50: { usage: "M1", dose: 1 },
  amaryl1: { usage: "M1", dose: 1 },
  crestor2_5: { usage: "E1", dose: 1 },
  lipitor10: { usage: "M1", dose: 1 },
  feburic20: { usage: "M1", dose: 1 },
  takepronOd15: { usage: "M1", dose: 1 },
  pariet10: { usage: "M1", dose: 1 },
  gasterD20: { usage: "B2", dose: 1 },
  mucosta100: { usage: "T3", dose: 1 },
  magmitt330: { usage: "T3", dose: 1 },
  miyaBm: { usage: "T3", dose: 1 },
  loxonin60: { usage: "T3", dose: 1 },
  loxoprofenYd60: { usage: "T3", dose: 1 },
  voltaren25: { usage: "T3", dose: 1 },
  celecox100: { usage: "B2", dose: 1 },
  loxoninTape100: { usage: "PATCH1", dose: 1 },
  calonal500: { usage: "PRN_PAIN", dose: 1 },
  calonalFine20: { usage: "PRN_FEVER", dose: 0.5 },
  carbocisteineSw250: { usage: "T3", dose: 2 },
  singulair10: { usage: "HS", dose: 1 },
  relvar100: { usage: "INHALE1", dose: 1 },
  hokunalinTape1: { usage: "PATCH2", dose: 1 },
  allegra60: { usage: "B2", dose: 1 },
  sawacillin250: { usage: "T3", dose: 1 },
  flomox100: { usage: "T3", dose: 1 },
  cravit500: { usage: "M1", dose: 1 },
  jzoloft25: { usage: "E1", dose: 2 },
  lexapro10: { usage: "E1", dose: 1 },
  myslee5: { usage: "HS", dose: 1 },
  baraclude0_5: { usage: "EMPTY1", dose: 1 },
  biktarvy: { usage: "M1", dose: 1 },
  edirol0_75: { usage: "M1", dose: 1 },
  bonalon35: { usage: "WEEKLY", dose: 1 },
  harnalD0_2: { usage: "M1", dose: 1 },
  feromia50: { usage: "B2", dose: 1 },
};

export function drug(key: string): Drug {
  const x = DRUG_BY_KEY.get(key);
  const usual = USUAL[key];
  if (!x || !usual) throw new Error(`unknown drug ${key}`);
  return { ...x, ...usual };
}

// ---------------------------------------------------------------------------------------------
// Allergen groups as the seed records them: the group and its typical reactions to pick from

const REACTIONS: Readonly<Record<AllergyGroup, readonly string[]>> = {
  PENICILLIN: ["アナフィラキシー", "全身性蕁麻疹", "薬疹（播種状紅斑丘疹型）"],
  CEPHEM: ["薬疹", "蕁麻疹", "肝機能障害"],
  NSAIDS: ["喘息発作（アスピリン喘息）", "蕁麻疹・血管性浮腫", "胃潰瘍出血"],
  QUINOLONE: ["光線過敏症", "薬疹"],
  IODINE_CONTRAST: ["造影CT後に全身性蕁麻疹・血圧低下", "造影後の遅発性発疹"],
  EGG: ["蕁麻疹", "口腔内違和感", "嘔吐"],
  MILK: ["蕁麻疹", "下痢"],
  WHEAT: ["運動誘発アナフィラキシー", "蕁麻疹"],
  BUCKWHEAT: ["蕁麻疹・呼吸困難", "アナフィラキシー"],
  PEANUT: ["アナフィラキシー", "蕁麻疹"],
  SHRIMP: ["蕁麻疹", "口唇腫脹"],
  CRAB: ["蕁麻疹"],
  MACKEREL: ["蕁麻疹", "嘔吐"],
  KIWI: ["口腔アレルギー症候群"],
  CEDAR_POLLEN: ["鼻汁・くしゃみ・眼掻痒"],
  HOUSE_DUST: ["喘息発作", "鼻炎"],
  LATEX: ["接触蕁麻疹", "アナフィラキシー"],
};

export function allergen(group: AllergyGroup): Allergen & { reactions: readonly string[] } {
  const a = ALLERGEN_BY_GROUP.get(group);
  if (!a) throw new Error(`unknown allergen ${group}`);
  return { ...a, reactions: REACTIONS[group] };
}

// ---------------------------------------------------------------------------------------------
// Conditions (傷病名)

export interface ConditionCode {
  key: string;
  display: string;
  icd10: string;
  /** MEDIS 病名交換用コード (4) */
  medis: string;
  /** MEDIS 病名管理番号 (8) */
  medisNo: string;
  chronic: boolean;
  sensitivity: SensitivityCode;
  /** shown in the infection part of the safety banner */
  infection: boolean;
  department: string;
  verified: boolean;
}

const c = (x: Omit<ConditionCode, "verified" | "sensitivity" | "infection"> & Partial<Pick<ConditionCode, "verified" | "sensitivity" | "infection">>): ConditionCode => ({
  verified: false,
  sensitivity: "NORMAL",
  infection: false,
  ...x,
});

export const CONDITIONS: readonly ConditionCode[] = [
  c({ key: "htn", display: "本態性高血圧症", icd10: "I10", medis: "8KPJ", medisNo: "20061223", chronic: true, department: "内科" }),
  c({ key: "t2dm", display: "2型糖尿病", icd10: "E11.9", medis: "NKPF", medisNo: "20064578", chronic: true, department: "内科" }),
  c({ key: "dyslipidemia", display: "脂質異常症", icd10: "E78.5", medis: "Q3KL", medisNo: "20085112", chronic: true, department: "内科" }),
  c({ key: "hyperuricemia", display: "高尿酸血症", icd10: "E79.0", medis: "JM5S", medisNo: "20062470", chronic: true, department: "内科" }),
  c({ key: "ckd", display: "慢性腎臓病", icd10: "N18.9", medis: "SC2H", medisNo: "20089213", chronic: true, department: "腎臓内科" }),
  c({ key: "esrd", display: "末期腎不全", icd10: "N18.5", medis: "S8C6", medisNo: "20071964", chronic: true, department: "腎臓内科" }),
  c({ key: "angina", display: "狭心症", icd10: "I20.9", medis: "EVQ1", medisNo: "20058911", chronic: true, department: "循環器内科", verified: true }),
  c({ key: "af", display: "心房細動", icd10: "I48", medis: "DQ7E", medisNo: "20061846", chronic: true, department: "循環器内科" }),
  c({ key: "chf", display: "慢性心不全", icd10: "I50.0", medis: "GVJ0", medisNo: "20062813", chronic: true, department: "循環器内科" }),
  c({ key: "cerebralInfarction", display: "脳梗塞", icd10: "I63.9", medis: "K2N4", medisNo: "20068352", chronic: true, department: "脳神経内科" }),
  c({ key: "asthma", display: "気管支喘息", icd10: "J45.9", medis: "B1SR", medisNo: "20060311", chronic: true, department: "内科" }),
  c({ key: "copd", display: "慢性閉塞性肺疾患", icd10: "J44.9", medis: "M4A9", medisNo: "20087315", chronic: true, department: "呼吸器内科" }),
  c({ key: "gerd", display: "逆流性食道炎", icd10: "K21.0", medis: "SJ3A", medisNo: "20066802", chronic: true, department: "消化器内科" }),
  c({ key: "gastricUlcer", display: "胃潰瘍", icd10: "K25.9", medis: "KP82", medisNo: "20058421", chronic: false, department: "消化器内科" }),
  c({ key: "duodenalUlcer", display: "十二指腸潰瘍", icd10: "K26.9", medis: "RPA7", medisNo: "20064049", chronic: false, department: "消化器内科", verified: true }),
  c({ key: "gallstone", display: "胆石症", icd10: "K80.2", medis: "F3QH", medisNo: "20065386", chronic: false, department: "外科" }),
  c({ key: "acuteCholecystitis", display: "急性胆嚢炎", icd10: "K81.0", medis: "UC9L", medisNo: "20058363", chronic: false, department: "外科" }),
  c({ key: "appendicitis", display: "急性化膿性虫垂炎", icd10: "K35.8", medis: "HR19", medisNo: "20058257", chronic: false, department: "外科" }),
  c({ key: "colonPolyp", display: "大腸ポリープ", icd10: "K63.5", medis: "T9D3", medisNo: "20068953", chronic: false, department: "消化器内科" }),
  c({ key: "gastroenteritis", display: "急性胃腸炎", icd10: "A09", medis: "UQ1F", medisNo: "20058358", chronic: false, department: "内科" }),
  c({ key: "uri", display: "急性上気道炎", icd10: "J06.9", medis: "K0A6", medisNo: "20058344", chronic: false, department: "内科" }),
  c({ key: "bronchitis", display: "急性気管支炎", icd10: "J20.9", medis: "N7CN", medisNo: "20058166", chronic: false, department: "内科" }),
  c({ key: "pneumonia", display: "肺炎", icd10: "J18.9", medis: "HLE5", medisNo: "20076217", chronic: false, department: "呼吸器内科" }),
  c({ key: "influenza", display: "インフルエンザ", icd10: "J11.1", medis: "S2EE", medisNo: "20058995", chronic: false, department: "内科" }),
  c({ key: "cystitis", display: "急性膀胱炎", icd10: "N30.0", medis: "A8LR", medisNo: "20058200", chronic: false, department: "内科" }),
  c({ key: "zoster", display: "帯状疱疹", icd10: "B02.9", medis: "PAE1", medisNo: "20069314", chronic: false, department: "皮膚科" }),
  c({ key: "kneeOa", display: "変形性膝関節症", icd10: "M17.9", medis: "CG0N", medisNo: "20071286", chronic: true, department: "整形外科" }),
  c({ key: "lumbago", display: "腰痛症", icd10: "M54.5", medis: "EDDS", medisNo: "20085737", chronic: false, department: "整形外科" }),
  c({ key: "osteoporosis", display: "骨粗鬆症", icd10: "M81.9", medis: "VK0V", medisNo: "20061478", chronic: true, department: "整形外科" }),
  c({ key: "hipFracture", display: "大腿骨頚部骨折", icd10: "S72.0", medis: "MM8P", medisNo: "20069532", chronic: false, department: "整形外科" }),
  c({ key: "bph", display: "前立腺肥大症", icd10: "N40", medis: "LJ9S", medisNo: "20069016", chronic: true, department: "泌尿器科" }),
  c({ key: "ida", display: "鉄欠乏性貧血", icd10: "D50.9", medis: "CJ4B", medisNo: "20069874", chronic: false, department: "内科" }),
  c({ key: "migraine", display: "片頭痛", icd10: "G43.9", medis: "KB1T", medisNo: "20070133", chronic: true, department: "脳神経内科" }),
  c({ key: "insomnia", display: "不眠症", icd10: "G47.0", medis: "HQ6H", medisNo: "20070088", chronic: true, department: "内科" }),
  c({ key: "allergicRhinitis", display: "アレルギー性鼻炎", icd10: "J30.4", medis: "CAPS", medisNo: "20057918", chronic: true, department: "耳鼻咽喉科" }),
  c({ key: "atopicDermatitis", display: "アトピー性皮膚炎", icd10: "L20.9", medis: "P1TV", medisNo: "20057945", chronic: true, department: "小児科" }),
  c({ key: "otitisMedia", display: "急性中耳炎", icd10: "H66.9", medis: "GMUS", medisNo: "20058259", chronic: false, department: "小児科" }),
  c({ key: "cataract", display: "老人性白内障", icd10: "H25.9", medis: "DLGH", medisNo: "20084617", chronic: true, department: "眼科" }),
  // PSYCHIATRIC
  c({ key: "depression", display: "うつ病", icd10: "F32.9", medis: "JVF9", medisNo: "20057766", chronic: true, department: "精神科", sensitivity: "PSYCHIATRIC" }),
  c({ key: "panic", display: "パニック障害", icd10: "F41.0", medis: "Q1MK", medisNo: "20072361", chronic: true, department: "精神科", sensitivity: "PSYCHIATRIC" }),
  // INFECTIOUS (shown in the banner; withheld only if the patient withholds INFECTIOUS)
  c({ key: "hbv", display: "B型慢性肝炎", icd10: "B18.1", medis: "DS37", medisNo: "20060137", chronic: true, department: "消化器内科", sensitivity: "INFECTIOUS", infection: true }),
  c({ key: "hcv", display: "C型慢性肝炎", icd10: "B18.2", medis: "GHT6", medisNo: "20060138", chronic: true, department: "消化器内科", sensitivity: "INFECTIOUS", infection: true }),
  c({ key: "hiv", display: "HIV感染症", icd10: "B24", medis: "N0E2", medisNo: "20063211", chronic: true, department: "感染症内科", sensitivity: "INFECTIOUS", infection: true }),
];

export const CONDITION_BY_KEY: ReadonlyMap<string, ConditionCode> = new Map(CONDITIONS.map((x) => [x.key, x]));
export function condition(key: string): ConditionCode {
  const x = CONDITION_BY_KEY.get(key);
  if (!x) throw new Error(`unknown condition ${key}`);
  return x;
}

// ---------------------------------------------------------------------------------------------
// Lab values as the seed makes them

/** reference range for a sex */
export function labRange(t: LabTest, sex: "MALE" | "FEMALE" | string): { low?: number; high?: number } {
  const female = sex === "FEMALE";
  return { low: female && t.refLowF !== undefined ? t.refLowF : t.refLow, high: female && t.refHighF !== undefined ? t.refHighF : t.refHigh };
}

/** H / L / N against a range (undefined bound = open) */
export function flagFor(value: number, low?: number, high?: number): "H" | "L" | "N" {
  if (high !== undefined && value > high) return "H";
  if (low !== undefined && value < low) return "L";
  return "N";
}

// ---------------------------------------------------------------------------------------------
// 特定健診 items (codeSystem urn:oid:1.2.392.200119.6.1005). Ranges are the 保健指導判定値.

export interface CheckupItemCode {
  key: string;
  code: string;
  display: string;
  unit?: string;
  refLow?: number;
  refHigh?: number;
  refHighF?: number;
  /** qualitative items (尿糖, 尿蛋白) carry valueText */
  qualitative?: boolean;
  decimals: number;
}

export const CHECKUP_ITEMS: readonly CheckupItemCode[] = [
  { key: "height", code: "9N001000000000001", display: "身長", unit: "cm", decimals: 1 },
  { key: "weight", code: "9N006000000000001", display: "体重", unit: "kg", decimals: 1 },
  { key: "bmi", code: "9N011000000000001", display: "BMI", unit: "kg/m2", refLow: 18.5, refHigh: 24.9, decimals: 1 },
  { key: "waist", code: "9N016160100000001", display: "腹囲（実測）", unit: "cm", refHigh: 84.9, refHighF: 89.9, decimals: 1 },
  { key: "sbp", code: "9A751000000000001", display: "収縮期血圧（1回目）", unit: "mmHg", refHigh: 129, decimals: 0 },
  { key: "dbp", code: "9A761000000000001", display: "拡張期血圧（1回目）", unit: "mmHg", refHigh: 84, decimals: 0 },
  { key: "tg", code: "3F015000002327101", display: "中性脂肪（空腹時）", unit: "mg/dL", refHigh: 149, decimals: 0 },
  { key: "hdl", code: "3F070000002327101", display: "HDLコレステロール", unit: "mg/dL", refLow: 40, decimals: 0 },
  { key: "ldl", code: "3F077000002327101", display: "LDLコレステロール", unit: "mg/dL", refHigh: 119, decimals: 0 },
  { key: "ast", code: "3B035000002327201", display: "AST（GOT）", unit: "U/L", refHigh: 30, decimals: 0 },
  { key: "alt", code: "3B045000002327201", display: "ALT（GPT）", unit: "U/L", refHigh: 30, decimals: 0 },
  { key: "ggt", code: "3B090000002327101", display: "γ-GT（γ-GTP）", unit: "U/L", refHigh: 50, decimals: 0 },
  { key: "fpg", code: "3D010000001926101", display: "空腹時血糖", unit: "mg/dL", refHigh: 99, decimals: 0 },
  { key: "hba1c", code: "3D046000001906202", display: "HbA1c（NGSP値）", unit: "%", refHigh: 5.5, decimals: 1 },
  { key: "uglu", code: "1A020000000190111", display: "尿糖", qualitative: true, decimals: 0 },
  { key: "upro", code: "1A010000000190111", display: "尿蛋白", qualitative: true, decimals: 0 },
];

export const CHECKUP_ITEM_BY_KEY: ReadonlyMap<string, CheckupItemCode> = new Map(CHECKUP_ITEMS.map((x) => [x.key, x]));

/** 定性 results, in order of severity; anything past "±" is flagged abnormal ("A") */
export const QUALITATIVE = ["－", "±", "＋", "２＋", "３＋"] as const;

// ---------------------------------------------------------------------------------------------
// Procedures (手術 K, 処置 J, 麻酔 L, 輸血 K920)

export type ProcedureKindCode = "SURGERY" | "ANESTHESIA" | "TRANSFUSION" | "DIALYSIS" | "IMPLANT" | "OTHER";

export interface ProcedureCode {
  key: string;
  kind: ProcedureKindCode;
  code: string;
  display: string;
}

export const PROCEDURES: readonly ProcedureCode[] = [
  { key: "lapChole", kind: "SURGERY", code: "K672-2", display: "腹腔鏡下胆嚢摘出術" },
  { key: "lapAppe", kind: "SURGERY", code: "K718-2", display: "腹腔鏡下虫垂切除術" },
  { key: "polypectomy", kind: "SURGERY", code: "K721", display: "内視鏡的大腸ポリープ・粘膜切除術" },
  { key: "femurOrif", kind: "SURGERY", code: "K046", display: "骨折観血的手術（大腿）" },
  { key: "shunt", kind: "SURGERY", code: "K610-3", display: "内シャント設置術" },
  { key: "tka", kind: "IMPLANT", code: "K082", display: "人工関節置換術（膝）" },
  { key: "bhp", kind: "IMPLANT", code: "K081", display: "人工骨頭挿入術（股）" },
  { key: "pacemaker", kind: "IMPLANT", code: "K597", display: "ペースメーカー移植術" },
  { key: "pci", kind: "IMPLANT", code: "K549", display: "経皮的冠動脈ステント留置術" },
  { key: "iol", kind: "IMPLANT", code: "K282", display: "水晶体再建術（眼内レンズを挿入する場合）" },
  { key: "generalAnesthesia", kind: "ANESTHESIA", code: "L008", display: "全身麻酔（閉鎖循環式全身麻酔）" },
  { key: "spinalAnesthesia", kind: "ANESTHESIA", code: "L004", display: "脊椎麻酔" },
  { key: "rbcTransfusion", kind: "TRANSFUSION", code: "K920", display: "赤血球液輸血（Ir-RBC-LR）" },
  { key: "ffpTransfusion", kind: "TRANSFUSION", code: "K920", display: "新鮮凍結血漿輸血（FFP-LR）" },
  { key: "hemodialysis", kind: "DIALYSIS", code: "J038", display: "人工腎臓（慢性維持透析）" },
  { key: "gastroscopy", kind: "OTHER", code: "D308", display: "上部消化管内視鏡検査" },
];

export const PROCEDURE_BY_KEY: ReadonlyMap<string, ProcedureCode> = new Map(PROCEDURES.map((x) => [x.key, x]));
export function procedure(key: string): ProcedureCode {
  const x = PROCEDURE_BY_KEY.get(key);
  if (!x) throw new Error(`unknown procedure ${key}`);
  return x;
}
