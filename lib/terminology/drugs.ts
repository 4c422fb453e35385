/**
 * The drug products the network's rules know (duplicate therapy by YJ ingredient, 一般名 by ingredient,
 * a HOT9 resolved to its YJ on import), with their HOT9, YJ and 販売名. Runtime terminology: no
 * database, no randomness. The demo seed's usual 用法 and 1回量 per product are prisma/seed/codes.ts.
 *
 * Provenance (be honest about what is real):
 * - Drugs with `` were checked against the MEDIS HOT code master (2026-09 edition) or
 *   the JP-CLINS examples in ../shared/fixtures: HOT9, YJ and 販売名 are the real ones.
 *   For the others the YJ ingredient part (first 7 characters: 薬効分類 4 + 成分 3) is the real one for
 *   that ingredient, but the product digits and the HOT9 are plausible stand-ins.
 */
import type { AllergyGroup } from "./allergens";

export type SensitivityCode = "NORMAL" | "PSYCHIATRIC" | "INFECTIOUS" | "GENETIC" | "REPRODUCTIVE";

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
  d({ key: "norvasc5", hot9: "103299401", yj: "2171022F2025", display: "ノルバスク錠5mg", ingredient: "アムロジピンベシル酸塩", drugClass: "Ca拮抗薬", unit: "錠" }),
  d({ key: "amlodin5", hot9: "103300702", yj: "2171022F2041", display: "アムロジン錠5mg", ingredient: "アムロジピンベシル酸塩", drugClass: "Ca拮抗薬", unit: "錠" }),
  d({ key: "amlodipineOd10", hot9: "121431401", yj: "2171022F6276", display: "アムロジピンOD錠10mg", ingredient: "アムロジピンベシル酸塩", drugClass: "Ca拮抗薬", unit: "錠", verified: true }),
  d({ key: "adalatCr20", hot9: "103216101", yj: "2171014G4029", display: "アダラートCR錠20mg", ingredient: "ニフェジピン", drugClass: "Ca拮抗薬", unit: "錠" }),
  // ARB / β遮断薬 / 利尿薬
  d({ key: "blopress8", hot9: "114564702", yj: "2149040F3022", display: "ブロプレス錠8", ingredient: "カンデサルタン シレキセチル", drugClass: "ARB", unit: "錠" }),
  d({ key: "micardis40", hot9: "115879002", yj: "2149042F2026", display: "ミカルディス錠40mg", ingredient: "テルミサルタン", drugClass: "ARB", unit: "錠" }),
  d({ key: "maintate2_5", hot9: "112387602", yj: "2123016F2020", display: "メインテート錠2.5mg", ingredient: "ビソプロロールフマル酸塩", drugClass: "β遮断薬", unit: "錠" }),
  d({ key: "lasix20", hot9: "102679701", yj: "2139005F1026", display: "ラシックス錠20mg", ingredient: "フロセミド", drugClass: "ループ利尿薬", unit: "錠" }),
  // 狭心症
  d({ key: "nitropen", hot9: "103262801", yj: "2171018K1039", display: "ニトロペン舌下錠0.3mg", ingredient: "ニトログリセリン", drugClass: "硝酸薬", unit: "錠" }),
  d({ key: "sigmart5", hot9: "103252901", yj: "2171017F2024", display: "シグマート錠5mg", ingredient: "ニコランジル", drugClass: "冠血管拡張薬", unit: "錠" }),
  d({ key: "bayaspirin100", hot9: "107632602", yj: "3399007H1021", display: "バイアスピリン錠100mg", ingredient: "アスピリン", drugClass: "抗血小板薬", unit: "錠" }),
  d({ key: "plavix75", hot9: "117133801", yj: "3399008F2020", display: "プラビックス錠75mg", ingredient: "クロピドグレル硫酸塩", drugClass: "抗血小板薬", unit: "錠" }),
  d({ key: "warfarin1", hot9: "105383802", yj: "3332001F1033", display: "ワーファリン錠1mg", ingredient: "ワルファリンカリウム", drugClass: "抗凝固薬", unit: "錠" }),
  // 糖尿病
  d({ key: "metgluco250", hot9: "120251701", yj: "3962002F1067", display: "メトグルコ錠250mg", ingredient: "メトホルミン塩酸塩", drugClass: "ビグアナイド系", unit: "錠" }),
  d({ key: "januvia50", hot9: "119436202", yj: "3969010F2024", display: "ジャヌビア錠50mg", ingredient: "シタグリプチンリン酸塩水和物", drugClass: "DPP-4阻害薬", unit: "錠" }),
  d({ key: "amaryl1", hot9: "112645402", yj: "3961008F1026", display: "アマリール1mg錠", ingredient: "グリメピリド", drugClass: "スルホニルウレア系", unit: "錠" }),
  // 脂質異常症 / 高尿酸血症
  d({ key: "crestor2_5", hot9: "116814601", yj: "2189017F1022", display: "クレストール錠2.5mg", ingredient: "ロスバスタチンカルシウム", drugClass: "スタチン", unit: "錠" }),
  d({ key: "lipitor10", hot9: "113387402", yj: "2189015F2029", display: "リピトール錠10mg", ingredient: "アトルバスタチンカルシウム水和物", drugClass: "スタチン", unit: "錠" }),
  d({ key: "feburic20", hot9: "120927602", yj: "3949003F2025", display: "フェブリク錠20mg", ingredient: "フェブキソスタット", drugClass: "尿酸生成抑制薬", unit: "錠" }),
  // 消化器
  d({ key: "takepronOd15", hot9: "115022301", yj: "2329023F1020", display: "タケプロンOD錠15", ingredient: "ランソプラゾール", drugClass: "PPI", unit: "錠" }),
  d({ key: "pariet10", hot9: "112648502", yj: "2329022F1029", display: "パリエット錠10mg", ingredient: "ラベプラゾールナトリウム", drugClass: "PPI", unit: "錠" }),
  d({ key: "gasterD20", hot9: "109453302", yj: "2325003F4021", display: "ガスターD錠20mg", ingredient: "ファモチジン", drugClass: "H2受容体拮抗薬", unit: "錠" }),
  d({ key: "mucosta100", hot9: "106362402", yj: "2329021F1021", display: "ムコスタ錠100mg", ingredient: "レバミピド", drugClass: "胃粘膜保護薬", unit: "錠" }),
  d({ key: "magmitt330", hot9: "107218402", yj: "2344009F2024", display: "マグミット錠330mg", ingredient: "酸化マグネシウム", drugClass: "緩下剤", unit: "錠" }),
  d({ key: "miyaBm", hot9: "104195801", yj: "2316009F1022", display: "ミヤBM錠", ingredient: "酪酸菌", drugClass: "整腸剤", unit: "錠", verified: true }),
  // 鎮痛 — two loxoprofen products (same ingredient 1149019) and diclofenac / celecoxib (same class)
  d({ key: "loxonin60", hot9: "100988001", yj: "1149019F1560", display: "ロキソニン錠60mg", ingredient: "ロキソプロフェンナトリウム水和物", drugClass: "NSAIDs", unit: "錠", allergyGroup: "NSAIDS" }),
  d({ key: "loxoprofenYd60", hot9: "100989702", yj: "1149019F1609", display: "ロキソプロフェンNa錠60mg「YD」", ingredient: "ロキソプロフェンナトリウム水和物", drugClass: "NSAIDs", unit: "錠", allergyGroup: "NSAIDS" }),
  d({ key: "voltaren25", hot9: "100795402", yj: "1147002F1560", display: "ボルタレン錠25mg", ingredient: "ジクロフェナクナトリウム", drugClass: "NSAIDs", unit: "錠", allergyGroup: "NSAIDS" }),
  d({ key: "celecox100", hot9: "118355301", yj: "1149037F1020", display: "セレコックス錠100mg", ingredient: "セレコキシブ", drugClass: "NSAIDs", unit: "錠", allergyGroup: "NSAIDS" }),
  d({ key: "loxoninTape100", hot9: "120117901", yj: "2649734S2024", display: "ロキソニンテープ100mg", ingredient: "ロキソプロフェンナトリウム水和物", drugClass: "NSAIDs外用", unit: "枚", allergyGroup: "NSAIDS" }),
  d({ key: "calonal500", hot9: "123812902", yj: "1141007F3023", display: "カロナール錠500", ingredient: "アセトアミノフェン", drugClass: "解熱鎮痛薬", unit: "錠", verified: true }),
  d({ key: "calonalFine20", hot9: "101174402", yj: "1141007C1075", display: "カロナール細粒20%", ingredient: "アセトアミノフェン", drugClass: "解熱鎮痛薬", unit: "g" }),
  // 呼吸器 / アレルギー
  d({ key: "carbocisteineSw250", hot9: "103831601", yj: "2233002F1280", display: "カルボシステイン錠250mg「サワイ」", ingredient: "L-カルボシステイン", drugClass: "去痰薬", unit: "錠", verified: true }),
  d({ key: "singulair10", hot9: "114613002", yj: "4490026F1027", display: "シングレア錠10mg", ingredient: "モンテルカストナトリウム", drugClass: "ロイコトリエン受容体拮抗薬", unit: "錠" }),
  d({ key: "relvar100", hot9: "122742001", yj: "2290801G1023", display: "レルベア100エリプタ30吸入用", ingredient: "ビランテロール・フルチカゾンフランカルボン酸エステル", drugClass: "吸入ステロイド/LABA", unit: "吸入" }),
  d({ key: "hokunalinTape1", hot9: "113937101", yj: "2259707S2024", display: "ホクナリンテープ1mg", ingredient: "ツロブテロール", drugClass: "β2刺激薬", unit: "枚" }),
  d({ key: "allegra60", hot9: "112816402", yj: "4490023F2026", display: "アレグラ錠60mg", ingredient: "フェキソフェナジン塩酸塩", drugClass: "抗ヒスタミン薬", unit: "錠" }),
  // 抗菌薬
  d({ key: "sawacillin250", hot9: "100702302", yj: "6131001M2062", display: "サワシリンカプセル250", ingredient: "アモキシシリン水和物", drugClass: "ペニシリン系抗菌薬", unit: "カプセル", allergyGroup: "PENICILLIN" }),
  d({ key: "flomox100", hot9: "110863402", yj: "6132016F2024", display: "フロモックス錠100mg", ingredient: "セフカペン ピボキシル塩酸塩水和物", drugClass: "セフェム系抗菌薬", unit: "錠", allergyGroup: "CEPHEM" }),
  d({ key: "cravit500", hot9: "119197401", yj: "6241013F3026", display: "クラビット錠500mg", ingredient: "レボフロキサシン水和物", drugClass: "ニューキノロン系抗菌薬", unit: "錠", allergyGroup: "QUINOLONE" }),
  // 精神科 (PSYCHIATRIC) / 睡眠
  d({ key: "jzoloft25", hot9: "116218101", yj: "1179046F1024", display: "ジェイゾロフト錠25mg", ingredient: "塩酸セルトラリン", drugClass: "SSRI", unit: "錠", sensitivity: "PSYCHIATRIC" }),
  d({ key: "lexapro10", hot9: "121376101", yj: "1179054F1022", display: "レクサプロ錠10mg", ingredient: "エスシタロプラムシュウ酸塩", drugClass: "SSRI", unit: "錠", sensitivity: "PSYCHIATRIC" }),
  d({ key: "myslee5", hot9: "113388102", yj: "1129009F1025", display: "マイスリー錠5mg", ingredient: "ゾルピデム酒石酸塩", drugClass: "睡眠薬（非BZ系）", unit: "錠" }),
  // 感染症 (INFECTIOUS)
  d({ key: "baraclude0_5", hot9: "117386601", yj: "6250029F1024", display: "バラクルード錠0.5mg", ingredient: "エンテカビル水和物", drugClass: "抗HBV薬（核酸アナログ）", unit: "錠", sensitivity: "INFECTIOUS" }),
  d({ key: "biktarvy", hot9: "126326301", yj: "6250121F1021", display: "ビクタルビ配合錠", ingredient: "ビクテグラビル・エムトリシタビン・テノホビル アラフェナミド", drugClass: "抗HIV薬", unit: "錠", sensitivity: "INFECTIOUS" }),
  // 骨・泌尿器・血液
  d({ key: "edirol0_75", hot9: "120924601", yj: "3112004M2022", display: "エディロールカプセル0.75μg", ingredient: "エルデカルシトール", drugClass: "活性型ビタミンD3", unit: "カプセル" }),
  d({ key: "bonalon35", hot9: "117009201", yj: "3999018F2029", display: "ボナロン錠35mg", ingredient: "アレンドロン酸ナトリウム水和物", drugClass: "ビスホスホネート", unit: "錠" }),
  d({ key: "harnalD0_2", hot9: "112386402", yj: "2590008F2027", display: "ハルナールD錠0.2mg", ingredient: "タムスロシン塩酸塩", drugClass: "α1遮断薬", unit: "錠" }),
  d({ key: "feromia50", hot9: "108245002", yj: "3222012F1022", display: "フェロミア錠50mg", ingredient: "クエン酸第一鉄ナトリウム", drugClass: "鉄剤", unit: "錠" }),
];

export const DRUG_BY_KEY: ReadonlyMap<string, Drug> = new Map(DRUGS.map((x) => [x.key, x]));
export const DRUG_BY_YJ: ReadonlyMap<string, Drug> = new Map(DRUGS.map((x) => [x.yj, x]));
export const DRUG_BY_HOT9: ReadonlyMap<string, Drug> = new Map(DRUGS.map((x) => [x.hot9, x]));
