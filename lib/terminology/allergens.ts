/**
 * Allergen groups, shared by drugs and allergy records so that a warning can match one against the
 * other (the safety banner reads which YJ ingredients a group covers). Runtime terminology; the demo
 * seed's typical reactions per group are prisma/seed/codes.ts.
 */
import { CODE_SYSTEM } from "./code-systems";

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
  /** drugs whose YJ ingredient (first 7) belongs to the group */
  yjIngredients?: readonly string[];
}

export const ALLERGENS: readonly Allergen[] = [
  { group: "PENICILLIN", kind: "DRUG", display: "ペニシリン系抗菌薬", codeSystem: CODE_SYSTEM.LOCAL_ALLERGEN, code: "PENICILLIN", yjIngredients: ["6131001", "6131008"] },
  { group: "CEPHEM", kind: "DRUG", display: "セフェム系抗菌薬", codeSystem: CODE_SYSTEM.LOCAL_ALLERGEN, code: "CEPHEM", yjIngredients: ["6132016", "6132013"] },
  { group: "NSAIDS", kind: "DRUG", display: "非ステロイド性抗炎症薬（NSAIDs）", codeSystem: CODE_SYSTEM.LOCAL_ALLERGEN, code: "NSAIDS", yjIngredients: ["1149019", "1147002", "1149037", "2649734"] },
  { group: "QUINOLONE", kind: "DRUG", display: "ニューキノロン系抗菌薬", codeSystem: CODE_SYSTEM.LOCAL_ALLERGEN, code: "QUINOLONE", yjIngredients: ["6241013"] },
  { group: "IODINE_CONTRAST", kind: "CONTRAINDICATION", display: "ヨード造影剤", codeSystem: CODE_SYSTEM.LOCAL_ALLERGEN, code: "IODINE_CONTRAST" },
  { group: "EGG", kind: "FOOD", display: "卵", codeSystem: CODE_SYSTEM.LOCAL_ALLERGEN, code: "EGG" },
  { group: "MILK", kind: "FOOD", display: "牛乳", codeSystem: CODE_SYSTEM.LOCAL_ALLERGEN, code: "MILK" },
  { group: "WHEAT", kind: "FOOD", display: "小麦", codeSystem: CODE_SYSTEM.LOCAL_ALLERGEN, code: "WHEAT" },
  { group: "BUCKWHEAT", kind: "FOOD", display: "そば", codeSystem: CODE_SYSTEM.LOCAL_ALLERGEN, code: "BUCKWHEAT" },
  { group: "PEANUT", kind: "FOOD", display: "落花生", codeSystem: CODE_SYSTEM.LOCAL_ALLERGEN, code: "PEANUT" },
  { group: "SHRIMP", kind: "FOOD", display: "えび", codeSystem: CODE_SYSTEM.LOCAL_ALLERGEN, code: "SHRIMP" },
  { group: "CRAB", kind: "FOOD", display: "かに", codeSystem: CODE_SYSTEM.LOCAL_ALLERGEN, code: "CRAB" },
  // these two food codes are the real JFAGY codes from the JP-CLINS examples
  { group: "MACKEREL", kind: "FOOD", display: "さば", codeSystem: CODE_SYSTEM.JFAGY_FOOD, code: "J9FC11310000" },
  { group: "KIWI", kind: "FOOD", display: "キウイフルーツ", codeSystem: CODE_SYSTEM.JFAGY_FOOD, code: "J9FA32540000" },
  { group: "CEDAR_POLLEN", kind: "ENVIRONMENT", display: "スギ花粉", codeSystem: CODE_SYSTEM.LOCAL_ALLERGEN, code: "CEDAR_POLLEN" },
  { group: "HOUSE_DUST", kind: "ENVIRONMENT", display: "ハウスダスト", codeSystem: CODE_SYSTEM.LOCAL_ALLERGEN, code: "HOUSE_DUST" },
  { group: "LATEX", kind: "ENVIRONMENT", display: "ラテックス", codeSystem: CODE_SYSTEM.LOCAL_ALLERGEN, code: "LATEX" },
];

export const ALLERGEN_BY_GROUP: ReadonlyMap<AllergyGroup, Allergen> = new Map(ALLERGENS.map((a) => [a.group, a]));
