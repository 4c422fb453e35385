/**
 * Route of administration and substance, read from a YJ ingredient (characters 1–7: 薬効分類 4 + 成分 3).
 *
 * Route: the 3-digit ingredient number is 001–399 for 内用薬, 400–699 for 注射薬 and 700–999 for 外用薬
 * (the numbering of the 薬価基準収載医薬品コード). So it is the ingredient part, not the dosage-form
 * letter (character 8: F 錠, K 舌下錠, S テープ in the seed), that tells a tablet from a tape: ロキソニン錠
 * is 1149019F…, ロキソニンテープ 2649734S…, and ニトロペン舌下錠 2171018K… is 内用.
 *
 * Substance: the same substance by another route gets another class and ingredient number (loxoprofen
 * is 1149019 as a tablet, 2649734 as a tape), so the 7-character key alone never sees them as one. The
 * table below links such codes to one substance. It is partial: it names the pairs sorted out so far
 * (the seed's loxoprofen, checked against lib/terminology/drugs.ts, and nitroglycerin); any other
 * ingredient is its own substance, which is what the checks assumed before.
 */
export type Route = "INTERNAL" | "INJECTION" | "EXTERNAL";

export function routeOf(ingredient: string): Route | null {
  const n = Number(ingredient.slice(4, 7));
  if (!/^\d{3}$/.test(ingredient.slice(4, 7)) || n < 1) return null;
  return n < 400 ? "INTERNAL" : n < 700 ? "INJECTION" : "EXTERNAL";
}

/** ingredient code by another route → the code that names the substance (its 内用 one) */
const SAME_SUBSTANCE: Readonly<Record<string, string>> = {
  "2649734": "1149019", // loxoprofen: ロキソニンテープ/パップ → ロキソニン錠
  "2171701": "2171018", // nitroglycerin: 貼付剤 → ニトロペン舌下錠
};

/** The substance an ingredient is: the same key for one substance whatever its route. */
export function substanceOf(ingredient: string): string {
  const i = ingredient.slice(0, 7);
  return SAME_SUBSTANCE[i] ?? i;
}
