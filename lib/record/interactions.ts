/**
 * A small, sourced set of interaction and renal checks over the current medicines: not a drug
 * database. Each rule names the 添付文書 section or guideline it follows and, when it used a lab
 * value, that value with its date and facility, so a pharmacist can check the reasoning in seconds.
 *
 * Drugs are recognised by their YJ code (the first 7 characters name the ingredient; the first 4 the
 * 薬効分類). The ingredient lists are partial on purpose: they hold the ingredients whose codes were
 * verified, and README's "Medication checks" section lists them and says what is not checked. A drug
 * that is not in a list is not checked by that rule; the panel says so rather than implying safety.
 */
import { productAnchor, type CurrentMed } from "./medication";

export type InteractionRule =
  | "NSAID_SSRI"
  | "NSAID_ANTICOAGULANT"
  | "NSAID_ANTIPLATELET"
  | "NSAID_RAS_DIURETIC"
  | "NSAID_EGFR_LT30"
  | "NSAID_EGFR_LT60"
  | "METFORMIN_EGFR_LT30"
  | "METFORMIN_EGFR_LT45"
  | "KSPARING_K_GE55";

/** contraindicated (禁忌) > avoid (原則避ける) > caution (併用注意・慎重投与) */
export type InteractionSeverity = "contraindicated" | "avoid" | "caution";

/** A lab value a rule used: which, when, where. */
export interface LabFact {
  code: string;
  value: number;
  unit: string | null;
  occurredAt: string;
  facilityId: string;
}

export interface InteractionWarning {
  rule: InteractionRule;
  severity: InteractionSeverity;
  /** the current medicines the rule is about; anchor: the id of the product's strip (productAnchor), which the warning links to */
  drugs: { key: string; anchor: string; display: string; prescribers: string[]; pharmacies: string[]; lastIssued: string }[];
  lab: LabFact | null;
  source: { ja: string; en: string };
}

/** 7-character YJ ingredient codes (or 4-character 薬効分類 codes) per group; see the file comment. */
const GROUPS = {
  /** systemic NSAIDs: loxoprofen, diclofenac, celecoxib (a topical patch, YJ 2649…, is not systemic and not listed) */
  nsaid: ["1149019", "1147002", "1149037"],
  /** SSRIs and SNRIs: sertraline, escitalopram */
  ssriSnri: ["1179046", "1179054"],
  /** warfarin */
  anticoagulant: ["3332001"],
  /** low-dose aspirin, clopidogrel */
  antiplatelet: ["3399007", "3399008"],
  /** ARBs (candesartan, telmisartan); no ACE inhibitor is listed yet */
  ras: ["2149040", "2149042"],
  /** loop diuretic furosemide; 2133 抗アルドステロン剤 are diuretics too */
  diuretic: ["2139005", "2133"],
  metformin: ["3962002"],
  /** 2133 抗アルドステロン剤 (spironolactone and others): potassium-sparing */
  potassiumSparing: ["2133"],
} as const;
type Group = keyof typeof GROUPS;

const inGroup = (m: CurrentMed, g: Group) => m.ingredient !== null && GROUPS[g].some((p) => m.ingredient!.startsWith(p));

export const EGFR_CODE = "8A065000002391901";
export const POTASSIUM_CODE = "3H015000002326101";

const SOURCES: Record<InteractionRule, { ja: string; en: string }> = {
  NSAID_SSRI: { ja: "SSRI・SNRI 添付文書 10.2 併用注意（非ステロイド性抗炎症剤: 出血の危険性増大）", en: "SSRI/SNRI package insert 10.2 (NSAIDs: increased risk of bleeding)" },
  NSAID_ANTICOAGULANT: { ja: "ワルファリン 添付文書 10.2 併用注意（非ステロイド性消炎鎮痛剤: 作用増強・出血）", en: "Warfarin package insert 10.2 (NSAIDs: potentiated effect, bleeding)" },
  NSAID_ANTIPLATELET: { ja: "抗血小板薬 添付文書 10.2 併用注意（非ステロイド性抗炎症剤: 出血の危険性増大）", en: "Antiplatelet package insert 10.2 (NSAIDs: increased risk of bleeding)" },
  NSAID_RAS_DIURETIC: { ja: "NSAIDs 添付文書 10.2 併用注意（利尿剤・ARB/ACE阻害剤: 腎機能悪化）", en: "NSAID package insert 10.2 (diuretics, ARB/ACE inhibitors: worsening renal function)" },
  NSAID_EGFR_LT30: { ja: "NSAIDs 添付文書 2. 禁忌（重篤な腎機能障害）／エビデンスに基づくCKD診療ガイドライン2023", en: "NSAID package insert 2. Contraindications (severe renal impairment); JSN CKD guideline 2023" },
  NSAID_EGFR_LT60: { ja: "NSAIDs 添付文書 9.2 腎機能障害患者／エビデンスに基づくCKD診療ガイドライン2023", en: "NSAID package insert 9.2 (renal impairment); JSN CKD guideline 2023" },
  METFORMIN_EGFR_LT30: { ja: "メトホルミン 添付文書 2. 禁忌（重度の腎機能障害 eGFR 30未満）", en: "Metformin package insert 2. Contraindications (eGFR < 30)" },
  METFORMIN_EGFR_LT45: { ja: "日本糖尿病学会「メトホルミンの適正使用に関する Recommendation」（eGFR 30〜45 は慎重投与）", en: "JDS Recommendation on the appropriate use of metformin (eGFR 30–45: use with caution)" },
  KSPARING_K_GE55: { ja: "抗アルドステロン剤 添付文書 2. 禁忌（高カリウム血症）", en: "Aldosterone antagonist package insert 2. Contraindications (hyperkalaemia)" },
};

const ORDER: Record<InteractionSeverity, number> = { contraindicated: 0, avoid: 1, caution: 2 };

export interface InteractionInput {
  current: readonly CurrentMed[];
  /** the latest eGFR and potassium the actor may see, if any */
  egfr: LabFact | null;
  potassium: LabFact | null;
}

export interface InteractionResult {
  warnings: InteractionWarning[];
  /** checks that could not run for want of data, so the panel can say so: "no eGFR" */
  notChecked: ("NO_EGFR" | "NO_POTASSIUM")[];
}

/** Every rule over the current medicines, 頓用 included: an as-needed NSAID is still taken with warfarin. */
export function checkInteractions({ current, egfr, potassium }: InteractionInput): InteractionResult {
  const of = (g: Group) => current.filter((m) => inGroup(m, g));
  const nsaids = of("nsaid");
  const warnings: InteractionWarning[] = [];
  const warn = (rule: InteractionRule, severity: InteractionSeverity, meds: CurrentMed[], lab: LabFact | null = null) =>
    warnings.push({
      rule,
      severity,
      drugs: [...new Map(meds.map((m) => [m.key, m])).values()].map((m) => ({ key: m.key, anchor: productAnchor(m.key), display: m.display, prescribers: m.prescribers, pharmacies: m.pharmacies, lastIssued: m.lastIssued })),
      lab,
      source: SOURCES[rule],
    });
  if (nsaids.length) {
    if (of("ssriSnri").length) warn("NSAID_SSRI", "caution", [...nsaids, ...of("ssriSnri")]);
    if (of("anticoagulant").length) warn("NSAID_ANTICOAGULANT", "caution", [...nsaids, ...of("anticoagulant")]);
    if (of("antiplatelet").length) warn("NSAID_ANTIPLATELET", "caution", [...nsaids, ...of("antiplatelet")]);
    if (of("ras").length && of("diuretic").length) warn("NSAID_RAS_DIURETIC", "avoid", [...nsaids, ...of("ras"), ...of("diuretic")]);
    if (egfr && egfr.value < 30) warn("NSAID_EGFR_LT30", "avoid", nsaids, egfr);
    else if (egfr && egfr.value < 60) warn("NSAID_EGFR_LT60", "caution", nsaids, egfr);
  }
  const metformin = of("metformin");
  if (metformin.length && egfr && egfr.value < 30) warn("METFORMIN_EGFR_LT30", "contraindicated", metformin, egfr);
  else if (metformin.length && egfr && egfr.value < 45) warn("METFORMIN_EGFR_LT45", "caution", metformin, egfr);
  const sparing = of("potassiumSparing");
  if (sparing.length && potassium && potassium.value >= 5.5) warn("KSPARING_K_GE55", "contraindicated", sparing, potassium);

  const notChecked: InteractionResult["notChecked"] = [];
  if (!egfr && (nsaids.length || metformin.length)) notChecked.push("NO_EGFR");
  if (!potassium && sparing.length) notChecked.push("NO_POTASSIUM");
  return { warnings: warnings.sort((a, b) => ORDER[a.severity] - ORDER[b.severity]), notChecked };
}
