import type { Tx } from "../db/client";
import type { Withheld } from "../access/decide";
import type { RecordKind } from "../format/record-kinds";
import { ALLERGEN_BY_GROUP, type AllergyGroup } from "../terminology/allergens";
import { CODE_SYSTEM } from "../terminology/code-systems";
import { DRUG_BY_HOT9 } from "../terminology/drugs";
import { ingredientKey, type AllergyFact } from "./medication";
import { Prisma, type Allergy, type Condition } from "../db/generated/client";
import { notHidden } from "./tables";
import { ongoingSql } from "./problems";
import { rowsFrom, type ReadBatch } from "./read-batch";

/** What the patient withholds, per banner section, so the UI can say "withheld" rather than "none". */
export interface SafetyBanner {
  allergies: { id: string; kind: string; display: string; reaction: string | null; severity: string; facilityId: string }[];
  contraindications: { id: string; display: string; reaction: string | null; facilityId: string }[];
  infections: { id: string; display: string; facilityId: string; since: string }[];
  /** banner sections whose data the patient withholds from this facility */
  withheldSections: ("allergies" | "infections")[];
}

/** The withholding rule as a Prisma filter (the raw-SQL twin is tables.ts notHidden): categories and facilities. */
export const notWithheld = (withheld: Withheld) => ({
  ...(withheld.categories.length ? { sensitivity: { notIn: [...withheld.categories] } } : {}),
  ...(withheld.facilities.length ? { facilityId: { notIn: [...withheld.facilities] } } : {}),
});

/** Most dangerous first in the banner. */
const SEVERITY_RANK: Record<"SEVERE" | "MODERATE" | "UNKNOWN" | "MILD", number> = { SEVERE: 0, MODERATE: 1, UNKNOWN: 2, MILD: 3 };

type ActiveCondition = Condition;

/** Dates of a Condition or Allergy row, for its trip through JSON in a batch (lib/record/read-batch.ts). */
export const RECORD_DATES = ["occurredAt", "endedAt", "recordedAt"] as const;

/** The active conditions (problems.ts ongoingSql), of the kinds `extra` narrows to, most recent first unless `order` says otherwise. */
export const activeConditionsSql = (patientId: string, withheld: Withheld, extra: Prisma.Sql = Prisma.empty, order = `t."occurredAt" DESC, t.id ASC`) =>
  Prisma.sql`SELECT t.* FROM "Condition" t WHERE t."patientId" = ${patientId} AND ${ongoingSql("t")} AND ${notHidden("t", withheld)} ${extra}
    ORDER BY ${Prisma.raw(order)}`;

/**
 * The YJ ingredients (characters 1–7) an allergy covers: a group of this network's (ペニシリン系), or the
 * drug the sender coded — a YJ code or an 一般名 code (whose first seven characters are the same
 * 薬効分類 and 成分, e.g. 2260701F1ZZZ), or a HOT9 the drug table knows. JP-CLINS requires a YJ or 一般名
 * code for a high-criticality drug allergy (R2012), so an imported one must reach the checks.
 */
function allergenIngredients(a: { codeSystem: string | null; code: string | null }): string[] {
  if (!a.code) return [];
  const group = ALLERGEN_BY_GROUP.get(a.code as AllergyGroup)?.yjIngredients;
  if (group) return [...group];
  const yjCode = a.codeSystem === CODE_SYSTEM.GENERAL_NAME ? a.code : a.codeSystem === CODE_SYSTEM.HOT9 ? (DRUG_BY_HOT9.get(a.code)?.yj ?? null) : null;
  const ingredient = ingredientKey({ yjCode, codeSystem: a.codeSystem ?? "", code: a.code });
  return ingredient ? [ingredient] : [];
}

/**
 * The safety banner every patient page shows (allergies, 薬剤禁忌, infections), and the drug allergies
 * in the form the medication checks need. Two small indexed reads of this patient's rows — one when
 * the caller has already read the active conditions (the 統合ビュー's problem list) and passes them.
 */
export async function readBanner(
  db: Tx | ReadBatch,
  patientId: string,
  kinds: readonly RecordKind[],
  withheld: Withheld,
  activeConditions?: readonly ActiveCondition[] | Promise<readonly ActiveCondition[]>,
): Promise<{ banner: SafetyBanner; drugAllergies: AllergyFact[] }> {
  // Both reads are asked for before either is awaited, so that in a batch they travel together; sent
  // alone, the second waits for the first (a transaction runs one statement at a time).
  const allergiesRead = kinds.includes("allergy")
    ? rowsFrom<Allergy>(db, Prisma.sql`SELECT t.* FROM "Allergy" t WHERE t."patientId" = ${patientId} AND t.active AND ${notHidden("t", withheld)} ORDER BY t."occurredAt" DESC, t.id ASC`, { dates: RECORD_DATES, order: `x."occurredAt" DESC, x.id ASC` })
    : Promise.resolve([]);
  let infections: ActiveCondition[] = [];
  if (kinds.includes("condition")) {
    if (activeConditions) infections = (await activeConditions).filter((c) => c.infection).sort((a, b) => b.occurredAt.getTime() - a.occurredAt.getTime() || a.id.localeCompare(b.id));
    else {
      await allergiesRead.catch(() => undefined);
      infections = await rowsFrom<ActiveCondition>(db, activeConditionsSql(patientId, withheld, Prisma.sql`AND t.infection`), { dates: RECORD_DATES, order: `x."occurredAt" DESC, x.id ASC` });
    }
  }
  const allergies = await allergiesRead;
  allergies.sort((a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity]);
  // A facility repeats its allergy list in every letter it sends: one line per allergen per facility
  // (the most severe, then the most recent), or the banner doubles with each document. Another
  // facility's record of the same allergen stays: it is a second source, and says so.
  const seen = new Set<string>();
  const distinct = allergies.filter((a) => {
    const key = `${a.facilityId}|${a.kind}|${a.codeSystem ?? ""}|${a.code ?? ""}|${a.code ? "" : a.display}`;
    return seen.has(key) ? false : (seen.add(key), true);
  });
  return {
    banner: {
      allergies: distinct.filter((a) => a.kind !== "CONTRAINDICATION").map((a) => ({ id: a.id, kind: a.kind, display: a.display, reaction: a.reaction, severity: a.severity, facilityId: a.facilityId })),
      contraindications: distinct.filter((a) => a.kind === "CONTRAINDICATION").map((a) => ({ id: a.id, display: a.display, reaction: a.reaction, facilityId: a.facilityId })),
      infections: infections.map((c) => ({ id: c.id, display: c.display, facilityId: c.facilityId, since: c.occurredAt.toISOString() })),
      // Any withholding may hide an infection (a zoster noted at a withheld psychiatric visit), and
      // naming only INFECTIOUS would tell the clinician which category the patient withholds.
      withheldSections: withheld.categories.length > 0 || withheld.facilities.length > 0 ? ["infections"] : [],
    },
    drugAllergies: distinct
      .filter((a) => a.kind === "DRUG" || a.kind === "CONTRAINDICATION")
      .map((a) => ({
        display: a.display,
        kind: a.kind,
        yjIngredients: allergenIngredients(a),
      })),
  };
}
