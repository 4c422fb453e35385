/**
 * Small code tables used by the demo seed and, as display tables, by the UI. Plain typed arrays and
 * maps only: no database access, no randomness.
 *
 * Provenance (be honest about what is real):
 * - Drugs with `` were checked against the MEDIS HOT code master (2026-09 edition) or
 *   the JP-CLINS examples in ../shared/fixtures: HOT9, YJ and 販売名 are the real ones.
 *   For the others the YJ ingredient part (first 7 characters: 薬効分類 4 + 成分 3) is the real one for
 *   that ingredient, but the product digits and the HOT9 are plausible stand-ins.
 * - ICD-10 codes are the real WHO/MHLW (2013) codes. MEDIS 病名管理番号/交換用コード are real only
 *   where `` (from the JP Core / JP-CLINS examples); the rest are format-valid
 *   stand-ins, to be replaced from the MEDIS 標準病名マスター before any real use.
 * - JLAC10 and 特定健診 item codes are the published ones as best known; reference ranges follow the
 *   JCCLS 共用基準範囲 (labs) and the 特定健診 保健指導判定値 (checkups).
 * - 用法 codes are JAMI 16-digit 標準用法コード where known (the ones in the JP-CLINS examples and
 *   their obvious siblings); local "U.." codes otherwise.
 */

import { CODE_SYSTEM } from "./code-systems";

export { CODE_SYSTEM };

export type SensitivityCode = "NORMAL" | "PSYCHIATRIC" | "INFECTIOUS" | "GENETIC" | "REPRODUCTIVE";

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
// Allergen groups (shared by drugs and allergy records, so a UI can match one against the other)

export type AllergyGroup =
  | "PENICILLIN" | "CEPHEM" | "NSAIDS" | "IODINE_CONTRAST" | "QUINOLONE"
  | "EGG" | "MILK" | "WHEAT" | "BUCKWHEAT" | "PEANUT" | "SHRIMP" | "CRAB" | "MACKEREL" | "KIWI"
  | "CEDAR_POLLEN" | "HOUSE_DUST" | "LATEX";

export interface Allergen {
  group: AllergyGroup;
  kind: "DRUG" | "FOOD" | "ENVIRONMENT" | "CONTRAINDICATION";
  display: string;
  codeSystem: string;
  code: string;
  /** typical reactions to pick from */
  reactions: readonly string[];
  /** drugs whose YJ ingredient (first 7) belongs to the group */
  yjIngredients?: readonly string[];
}

export const ALLERGENS: readonly Allergen[] = [
  { group: "PENICILLIN", kind: "DRUG", display: "ペニシリン系抗菌薬", codeSystem: CODE_SYSTEM.LOCAL_ALLERGEN, code: "PENICILLIN",
    reactions: ["アナフィラキシー", "全身性蕁麻疹", "薬疹（播種状紅斑丘疹型）"], yjIngredients: ["6131001", "6131008"] },
  { group: "CEPHEM", kind: "DRUG", display: "セフェム系抗菌薬", codeSystem: CODE_SYSTEM.LOCAL_ALLERGEN, code: "CEPHEM",
    reactions: ["薬疹", "蕁麻疹", "肝機能障害"], yjIngredients: ["6132016", "6132013"] },
  { group: "NSAIDS", kind: "DRUG", display: "非ステロイド性抗炎症薬（NSAIDs）", codeSystem: CODE_SYSTEM.LOCAL_ALLERGEN, code: "NSAIDS",
    reactions: ["喘息発作（アスピリン喘息）", "蕁麻疹・血管性浮腫", "胃潰瘍出血"], yjIngredients: ["1149019", "1147002", "1149037", "2649734"] },
  { group: "QUINOLONE", kind: "DRUG", display: "ニューキノロン系抗菌薬", codeSystem: CODE_SYSTEM.LOCAL_ALLERGEN, code: "QUINOLONE",
    reactions: ["光線過敏症", "薬疹"], yjIngredients: ["6241013"] },
  { group: "IODINE_CONTRAST", kind: "CONTRAINDICATION", display: "ヨード造影剤", codeSystem: CODE_SYSTEM.LOCAL_ALLERGEN, code: "IODINE_CONTRAST",
    reactions: ["造影CT後に全身性蕁麻疹・血圧低下", "造影後の遅発性発疹"] },
  { group: "EGG", kind: "FOOD", display: "卵", codeSystem: CODE_SYSTEM.LOCAL_ALLERGEN, code: "EGG", reactions: ["蕁麻疹", "口腔内違和感", "嘔吐"] },
  { group: "MILK", kind: "FOOD", display: "牛乳", codeSystem: CODE_SYSTEM.LOCAL_ALLERGEN, code: "MILK", reactions: ["蕁麻疹", "下痢"] },
  { group: "WHEAT", kind: "FOOD", display: "小麦", codeSystem: CODE_SYSTEM.LOCAL_ALLERGEN, code: "WHEAT", reactions: ["運動誘発アナフィラキシー", "蕁麻疹"] },
  { group: "BUCKWHEAT", kind: "FOOD", display: "そば", codeSystem: CODE_SYSTEM.LOCAL_ALLERGEN, code: "BUCKWHEAT", reactions: ["蕁麻疹・呼吸困難", "アナフィラキシー"] },
  { group: "PEANUT", kind: "FOOD", display: "落花生", codeSystem: CODE_SYSTEM.LOCAL_ALLERGEN, code: "PEANUT", reactions: ["アナフィラキシー", "蕁麻疹"] },
  { group: "SHRIMP", kind: "FOOD", display: "えび", codeSystem: CODE_SYSTEM.LOCAL_ALLERGEN, code: "SHRIMP", reactions: ["蕁麻疹", "口唇腫脹"] },
  { group: "CRAB", kind: "FOOD", display: "かに", codeSystem: CODE_SYSTEM.LOCAL_ALLERGEN, code: "CRAB", reactions: ["蕁麻疹"] },
  // these two food codes are the real JFAGY codes from the JP-CLINS examples
  { group: "MACKEREL", kind: "FOOD", display: "さば", codeSystem: CODE_SYSTEM.JFAGY_FOOD, code: "J9FC11310000", reactions: ["蕁麻疹", "嘔吐"] },
  { group: "KIWI", kind: "FOOD", display: "キウイフルーツ", codeSystem: CODE_SYSTEM.JFAGY_FOOD, code: "J9FA32540000", reactions: ["口腔アレルギー症候群"] },
  { group: "CEDAR_POLLEN", kind: "ENVIRONMENT", display: "スギ花粉", codeSystem: CODE_SYSTEM.LOCAL_ALLERGEN, code: "CEDAR_POLLEN", reactions: ["鼻汁・くしゃみ・眼掻痒"] },
  { group: "HOUSE_DUST", kind: "ENVIRONMENT", display: "ハウスダスト", codeSystem: CODE_SYSTEM.LOCAL_ALLERGEN, code: "HOUSE_DUST", reactions: ["喘息発作", "鼻炎"] },
  { group: "LATEX", kind: "ENVIRONMENT", display: "ラテックス", codeSystem: CODE_SYSTEM.LOCAL_ALLERGEN, code: "LATEX", reactions: ["接触蕁麻疹", "アナフィラキシー"] },
];

export const ALLERGEN_BY_GROUP: ReadonlyMap<AllergyGroup, Allergen> = new Map(ALLERGENS.map((a) => [a.group, a]));
export function allergen(group: AllergyGroup): Allergen {
  const a = ALLERGEN_BY_GROUP.get(group);
  if (!a) throw new Error(`unknown allergen ${group}`);
  return a;
}

// ---------------------------------------------------------------------------------------------
// Drugs

export interface Drug {
  key: string;
  /** HOT9 (MEDIS 基準番号) */
  hot9: string;
  /** YJ (個別医薬品コード, 12); the first 7 characters identify the ingredient */
  yj: string;
  /** 販売名 */
  display: string;
  /** 一般名 */
  ingredient: string;
  /** 薬効群, for same-class warnings */
  drugClass: string;
  unit: string;
  usage: UsageKey;
  /** usual 1回量 in `unit` */
  dose: number;
  sensitivity?: SensitivityCode;
  allergyGroup?: AllergyGroup;
  verified: boolean;
}

/** the YJ characters that identify the ingredient (duplicate-therapy key) */
export function yjIngredient(yj: string): string {
  return yj.slice(0, 7);
}

const d = (x: Omit<Drug, "verified"> & { verified?: boolean }): Drug => ({ verified: false, ...x });

export const DRUGS: readonly Drug[] = [
  // Ca拮抗薬 — three amlodipine products (same ingredient 2171022) and nifedipine (same class)
  d({ key: "norvasc5", hot9: "103299401", yj: "2171022F2025", display: "ノルバスク錠5mg", ingredient: "アムロジピンベシル酸塩", drugClass: "Ca拮抗薬", unit: "錠", usage: "M1", dose: 1 }),
  d({ key: "amlodin5", hot9: "103300702", yj: "2171022F2041", display: "アムロジン錠5mg", ingredient: "アムロジピンベシル酸塩", drugClass: "Ca拮抗薬", unit: "錠", usage: "M1", dose: 1 }),
  d({ key: "amlodipineOd10", hot9: "121431401", yj: "2171022F6276", display: "アムロジピンOD錠10mg", ingredient: "アムロジピンベシル酸塩", drugClass: "Ca拮抗薬", unit: "錠", usage: "M1", dose: 1, verified: true }),
  d({ key: "adalatCr20", hot9: "103216101", yj: "2171014G4029", display: "アダラートCR錠20mg", ingredient: "ニフェジピン", drugClass: "Ca拮抗薬", unit: "錠", usage: "M1", dose: 1 }),
  // ARB / β遮断薬 / 利尿薬
  d({ key: "blopress8", hot9: "114564702", yj: "2149040F3022", display: "ブロプレス錠8", ingredient: "カンデサルタン シレキセチル", drugClass: "ARB", unit: "錠", usage: "M1", dose: 1 }),
  d({ key: "micardis40", hot9: "115879002", yj: "2149042F2026", display: "ミカルディス錠40mg", ingredient: "テルミサルタン", drugClass: "ARB", unit: "錠", usage: "M1", dose: 1 }),
  d({ key: "maintate2_5", hot9: "112387602", yj: "2123016F2020", display: "メインテート錠2.5mg", ingredient: "ビソプロロールフマル酸塩", drugClass: "β遮断薬", unit: "錠", usage: "M1", dose: 1 }),
  d({ key: "lasix20", hot9: "102679701", yj: "2139005F1026", display: "ラシックス錠20mg", ingredient: "フロセミド", drugClass: "ループ利尿薬", unit: "錠", usage: "M1", dose: 1 }),
  // 狭心症
  d({ key: "nitropen", hot9: "103262801", yj: "2171018K1039", display: "ニトロペン舌下錠0.3mg", ingredient: "ニトログリセリン", drugClass: "硝酸薬", unit: "錠", usage: "PRN_CHEST", dose: 1 }),
  d({ key: "sigmart5", hot9: "103252901", yj: "2171017F2024", display: "シグマート錠5mg", ingredient: "ニコランジル", drugClass: "冠血管拡張薬", unit: "錠", usage: "T3", dose: 1 }),
  d({ key: "bayaspirin100", hot9: "107632602", yj: "3399007H1021", display: "バイアスピリン錠100mg", ingredient: "アスピリン", drugClass: "抗血小板薬", unit: "錠", usage: "M1", dose: 1 }),
  d({ key: "plavix75", hot9: "117133801", yj: "3399008F2020", display: "プラビックス錠75mg", ingredient: "クロピドグレル硫酸塩", drugClass: "抗血小板薬", unit: "錠", usage: "M1", dose: 1 }),
  d({ key: "warfarin1", hot9: "105383802", yj: "3332001F1033", display: "ワーファリン錠1mg", ingredient: "ワルファリンカリウム", drugClass: "抗凝固薬", unit: "錠", usage: "M1", dose: 2 }),
  // 糖尿病
  d({ key: "metgluco250", hot9: "120251701", yj: "3962002F1067", display: "メトグルコ錠250mg", ingredient: "メトホルミン塩酸塩", drugClass: "ビグアナイド系", unit: "錠", usage: "B2", dose: 2 }),
  d({ key: "januvia50", hot9: "119436202", yj: "3969010F2024", display: "ジャヌビア錠50mg", ingredient: "シタグリプチンリン酸塩水和物", drugClass: "DPP-4阻害薬", unit: "錠", usage: "M1", dose: 1 }),
  d({ key: "amaryl1", hot9: "112645402", yj: "3961008F1026", display: "アマリール1mg錠", ingredient: "グリメピリド", drugClass: "スルホニルウレア系", unit: "錠", usage: "M1", dose: 1 }),
  // 脂質異常症 / 高尿酸血症
  d({ key: "crestor2_5", hot9: "116814601", yj: "2189017F1022", display: "クレストール錠2.5mg", ingredient: "ロスバスタチンカルシウム", drugClass: "スタチン", unit: "錠", usage: "E1", dose: 1 }),
  d({ key: "lipitor10", hot9: "113387402", yj: "2189015F2029", display: "リピトール錠10mg", ingredient: "アトルバスタチンカルシウム水和物", drugClass: "スタチン", unit: "錠", usage: "M1", dose: 1 }),
  d({ key: "feburic20", hot9: "120927602", yj: "3949003F2025", display: "フェブリク錠20mg", ingredient: "フェブキソスタット", drugClass: "尿酸生成抑制薬", unit: "錠", usage: "M1", dose: 1 }),
  // 消化器
  d({ key: "takepronOd15", hot9: "115022301", yj: "2329023F1020", display: "タケプロンOD錠15", ingredient: "ランソプラゾール", drugClass: "PPI", unit: "錠", usage: "M1", dose: 1 }),
  d({ key: "pariet10", hot9: "112648502", yj: "2329022F1029", display: "パリエット錠10mg", ingredient: "ラベプラゾールナトリウム", drugClass: "PPI", unit: "錠", usage: "M1", dose: 1 }),
  d({ key: "gasterD20", hot9: "109453302", yj: "2325003F4021", display: "ガスターD錠20mg", ingredient: "ファモチジン", drugClass: "H2受容体拮抗薬", unit: "錠", usage: "B2", dose: 1 }),
  d({ key: "mucosta100", hot9: "106362402", yj: "2329021F1021", display: "ムコスタ錠100mg", ingredient: "レバミピド", drugClass: "胃粘膜保護薬", unit: "錠", usage: "T3", dose: 1 }),
  d({ key: "magmitt330", hot9: "107218402", yj: "2344009F2024", display: "マグミット錠330mg", ingredient: "酸化マグネシウム", drugClass: "緩下剤", unit: "錠", usage: "T3", dose: 1 }),
  d({ key: "miyaBm", hot9: "104195801", yj: "2316009F1022", display: "ミヤBM錠", ingredient: "酪酸菌", drugClass: "整腸剤", unit: "錠", usage: "T3", dose: 1, verified: true }),
  // 鎮痛 — two loxoprofen products (same ingredient 1149019) and diclofenac / celecoxib (same class)
  d({ key: "loxonin60", hot9: "100988001", yj: "1149019F1560", display: "ロキソニン錠60mg", ingredient: "ロキソプロフェンナトリウム水和物", drugClass: "NSAIDs", unit: "錠", usage: "T3", dose: 1, allergyGroup: "NSAIDS" }),
  d({ key: "loxoprofenYd60", hot9: "100989702", yj: "1149019F1609", display: "ロキソプロフェンNa錠60mg「YD」", ingredient: "ロキソプロフェンナトリウム水和物", drugClass: "NSAIDs", unit: "錠", usage: "T3", dose: 1, allergyGroup: "NSAIDS" }),
  d({ key: "voltaren25", hot9: "100795402", yj: "1147002F1560", display: "ボルタレン錠25mg", ingredient: "ジクロフェナクナトリウム", drugClass: "NSAIDs", unit: "錠", usage: "T3", dose: 1, allergyGroup: "NSAIDS" }),
  d({ key: "celecox100", hot9: "118355301", yj: "1149037F1020", display: "セレコックス錠100mg", ingredient: "セレコキシブ", drugClass: "NSAIDs", unit: "錠", usage: "B2", dose: 1, allergyGroup: "NSAIDS" }),
  d({ key: "loxoninTape100", hot9: "120117901", yj: "2649734S2024", display: "ロキソニンテープ100mg", ingredient: "ロキソプロフェンナトリウム水和物", drugClass: "NSAIDs外用", unit: "枚", usage: "PATCH1", dose: 1, allergyGroup: "NSAIDS" }),
  d({ key: "calonal500", hot9: "123812902", yj: "1141007F3023", display: "カロナール錠500", ingredient: "アセトアミノフェン", drugClass: "解熱鎮痛薬", unit: "錠", usage: "PRN_PAIN", dose: 1, verified: true }),
  d({ key: "calonalFine20", hot9: "101174402", yj: "1141007C1075", display: "カロナール細粒20%", ingredient: "アセトアミノフェン", drugClass: "解熱鎮痛薬", unit: "g", usage: "PRN_FEVER", dose: 0.5 }),
  // 呼吸器 / アレルギー
  d({ key: "carbocisteineSw250", hot9: "103831601", yj: "2233002F1280", display: "カルボシステイン錠250mg「サワイ」", ingredient: "L-カルボシステイン", drugClass: "去痰薬", unit: "錠", usage: "T3", dose: 2, verified: true }),
  d({ key: "singulair10", hot9: "114613002", yj: "4490026F1027", display: "シングレア錠10mg", ingredient: "モンテルカストナトリウム", drugClass: "ロイコトリエン受容体拮抗薬", unit: "錠", usage: "HS", dose: 1 }),
  d({ key: "relvar100", hot9: "122742001", yj: "2290801G1023", display: "レルベア100エリプタ30吸入用", ingredient: "ビランテロール・フルチカゾンフランカルボン酸エステル", drugClass: "吸入ステロイド/LABA", unit: "吸入", usage: "INHALE1", dose: 1 }),
  d({ key: "hokunalinTape1", hot9: "113937101", yj: "2259707S2024", display: "ホクナリンテープ1mg", ingredient: "ツロブテロール", drugClass: "β2刺激薬", unit: "枚", usage: "PATCH2", dose: 1 }),
  d({ key: "allegra60", hot9: "112816402", yj: "4490023F2026", display: "アレグラ錠60mg", ingredient: "フェキソフェナジン塩酸塩", drugClass: "抗ヒスタミン薬", unit: "錠", usage: "B2", dose: 1 }),
  // 抗菌薬
  d({ key: "sawacillin250", hot9: "100702302", yj: "6131001M2062", display: "サワシリンカプセル250", ingredient: "アモキシシリン水和物", drugClass: "ペニシリン系抗菌薬", unit: "カプセル", usage: "T3", dose: 1, allergyGroup: "PENICILLIN" }),
  d({ key: "flomox100", hot9: "110863402", yj: "6132016F2024", display: "フロモックス錠100mg", ingredient: "セフカペン ピボキシル塩酸塩水和物", drugClass: "セフェム系抗菌薬", unit: "錠", usage: "T3", dose: 1, allergyGroup: "CEPHEM" }),
  d({ key: "cravit500", hot9: "119197401", yj: "6241013F3026", display: "クラビット錠500mg", ingredient: "レボフロキサシン水和物", drugClass: "ニューキノロン系抗菌薬", unit: "錠", usage: "M1", dose: 1, allergyGroup: "QUINOLONE" }),
  // 精神科 (PSYCHIATRIC) / 睡眠
  d({ key: "jzoloft25", hot9: "116218101", yj: "1179046F1024", display: "ジェイゾロフト錠25mg", ingredient: "塩酸セルトラリン", drugClass: "SSRI", unit: "錠", usage: "E1", dose: 2, sensitivity: "PSYCHIATRIC" }),
  d({ key: "lexapro10", hot9: "121376101", yj: "1179054F1022", display: "レクサプロ錠10mg", ingredient: "エスシタロプラムシュウ酸塩", drugClass: "SSRI", unit: "錠", usage: "E1", dose: 1, sensitivity: "PSYCHIATRIC" }),
  d({ key: "myslee5", hot9: "113388102", yj: "1129009F1025", display: "マイスリー錠5mg", ingredient: "ゾルピデム酒石酸塩", drugClass: "睡眠薬（非BZ系）", unit: "錠", usage: "HS", dose: 1 }),
  // 感染症 (INFECTIOUS)
  d({ key: "baraclude0_5", hot9: "117386601", yj: "6250029F1024", display: "バラクルード錠0.5mg", ingredient: "エンテカビル水和物", drugClass: "抗HBV薬（核酸アナログ）", unit: "錠", usage: "EMPTY1", dose: 1, sensitivity: "INFECTIOUS" }),
  d({ key: "biktarvy", hot9: "126326301", yj: "6250121F1021", display: "ビクタルビ配合錠", ingredient: "ビクテグラビル・エムトリシタビン・テノホビル アラフェナミド", drugClass: "抗HIV薬", unit: "錠", usage: "M1", dose: 1, sensitivity: "INFECTIOUS" }),
  // 骨・泌尿器・血液
  d({ key: "edirol0_75", hot9: "120924601", yj: "3112004M2022", display: "エディロールカプセル0.75μg", ingredient: "エルデカルシトール", drugClass: "活性型ビタミンD3", unit: "カプセル", usage: "M1", dose: 1 }),
  d({ key: "bonalon35", hot9: "117009201", yj: "3999018F2029", display: "ボナロン錠35mg", ingredient: "アレンドロン酸ナトリウム水和物", drugClass: "ビスホスホネート", unit: "錠", usage: "WEEKLY", dose: 1 }),
  d({ key: "harnalD0_2", hot9: "112386402", yj: "2590008F2027", display: "ハルナールD錠0.2mg", ingredient: "タムスロシン塩酸塩", drugClass: "α1遮断薬", unit: "錠", usage: "M1", dose: 1 }),
  d({ key: "feromia50", hot9: "108245002", yj: "3222012F1022", display: "フェロミア錠50mg", ingredient: "クエン酸第一鉄ナトリウム", drugClass: "鉄剤", unit: "錠", usage: "B2", dose: 1 }),
];

export const DRUG_BY_KEY: ReadonlyMap<string, Drug> = new Map(DRUGS.map((x) => [x.key, x]));
export const DRUG_BY_YJ: ReadonlyMap<string, Drug> = new Map(DRUGS.map((x) => [x.yj, x]));
export const DRUG_BY_HOT9: ReadonlyMap<string, Drug> = new Map(DRUGS.map((x) => [x.hot9, x]));
export function drug(key: string): Drug {
  const x = DRUG_BY_KEY.get(key);
  if (!x) throw new Error(`unknown drug ${key}`);
  return x;
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
// Lab tests (JLAC10)

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
