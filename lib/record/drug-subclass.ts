/**
 * Sub-classes inside a YJ 薬効分類 (characters 1–4) that is too coarse for duplicate-therapy warnings.
 *
 * YJ class 2171 (血管拡張剤) holds calcium-channel blockers, nitrates and nicorandil together, so a
 * class-level check warns ノルバスク (amlodipine) + ニトロペン (nitroglycerin) as duplicate therapy, which
 * is the usual angina regimen, not a duplicate. Two dihydropyridines (amlodipine + nifedipine) are a
 * real duplicate and must still warn.
 *
 * The table is partial on purpose: it names only the ingredients (YJ characters 1–7) sorted out so far.
 * Every ingredient not listed keeps its 4-character class, so the check never becomes quieter for a
 * drug nobody has looked at. The prefixes of the seed's products (lib/terminology/drugs.ts: ノルバスク /
 * アムロジン / アムロジピンOD 2171022, アダラートCR 2171014, ニトロペン 2171018, シグマート 2171017) were
 * checked against those codes; ニトロペン舌下錠0.3mg is 2171018K1039 in the 薬価基準 list. An
 * ingredient's 3-digit number is 001–399 for 内用, 400–699 for 注射, 700–999 for 外用, so nitroglycerin has two: 2171018 (舌下錠) and 2171701 (貼付剤).
 */
const SUBCLASS: Readonly<Record<string, string>> = {
  // Ca拮抗薬, dihydropyridine
  "2171014": "2171:DHP-CCB", // nifedipine
  "2171021": "2171:DHP-CCB", // benidipine
  "2171022": "2171:DHP-CCB", // amlodipine
  // Ca拮抗薬, benzothiazepine (rate-limiting: its own group, not a duplicate of a dihydropyridine)
  "2171006": "2171:BTZ-CCB", // diltiazem
  // 硝酸薬
  "2171011": "2171:NITRATE", // isosorbide dinitrate
  "2171018": "2171:NITRATE", // nitroglycerin (舌下錠, the seed's ニトロペン)
  "2171701": "2171:NITRATE", // nitroglycerin (貼付剤)
  // K channel opener with a nitrate moiety, given with nitrates on purpose
  "2171017": "2171:NICORANDIL", // nicorandil
};

/**
 * The group within which different ingredients count as the same therapy: the sub-class where the
 * table has one, else the YJ class (characters 1–4).
 */
export function therapeuticGroup(ingredient: string): string {
  return SUBCLASS[ingredient.slice(0, 7)] ?? ingredient.slice(0, 4);
}
