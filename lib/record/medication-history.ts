import { z } from "zod";
import type { Actor } from "../auth/actor";
import type { Sensitivity } from "../access/decide";
import { visibleKinds } from "../access/data-kinds";
import type { RecordKind } from "../format/record-kinds";
import { isoDate } from "../format/dates";
import { now } from "../clock";
import { actorFacts, withPatientAccess } from "./guard";
import { InvalidInputError } from "./errors";
import { readBanner, type SafetyBanner } from "./banner";
import { readIdentity, type PatientIdentity } from "./identity";
import { readMedRows } from "./prescriptions";
import { readMedicationChecks, type MedicationChecks } from "./medication-checks";
import { decideWarningAcknowledgement } from "../access/duties";
import { DRUGS, yjIngredient } from "../terminology/drugs";
import { substanceOf } from "./drug-route";
import { medicationByMonth, type MonthGroup } from "./medication-by-month";
import {
  asNeededPastYear,
  currentMedications,
  jaOrder,
  ingredientKey,
  productAnchor,
  cycleDaysCovered,
  productKey,
  supplyWindow,
  doseText,
  type AllergyConflict,
  type AsNeededMed,
  type CurrentMed,
  type DuplicateWarning,
  type MedRow,
} from "./medication";
import { inTurn } from "../db/in-turn";

/** Periods a pharmacist can choose; 0 = the whole record. */
export const HISTORY_YEARS = [1, 3, 10, 0] as const;

/** One item of one prescription or dispense: a row of the pharmacist's table. Plain data. */
export interface MedHistoryRow {
  id: string;
  kind: "PRESCRIPTION" | "DISPENSE";
  issued: string;
  supplyEnd: string;
  facilityId: string;
  prescriberName: string | null;
  display: string;
  code: string;
  codeSystem: string;
  dose: string | null;
  usageText: string | null;
  days: number | null;
  asNeeded: boolean;
  /** the calendar days a non-daily drug's count covers (cycleDaysCovered), else null */
  covers: number | null;
  status: "ACTIVE" | "STOPPED" | "COMPLETED";
}

/**
 * One product's supplies on a time axis: a strip per product, so two brands of one ingredient (アムロジン
 * and ノルバスク) are two strips, side by side under their ingredient, each with its own sources.
 */
export interface DrugStrip {
  /** the product: YJ when known, else system|code */
  key: string;
  /** the strip's HTML id, which warnings link to */
  anchor: string;
  display: string;
  /** YJ characters 1–7 when known */
  ingredient: string | null;
  /**
   * the substance (drug-route.ts substanceOf): strips of one substance come together under it, so a
   * loxoprofen tape sits with the loxoprofen tablets, as its warning treats them
   */
  substance: string | null;
  /** the ingredient's 一般名 where the code table knows it */
  ingredientName: string | null;
  /** facilities that prescribed it in the period, most recent first */
  prescribers: string[];
  /** pharmacies that dispensed it in the period, most recent first */
  pharmacies: string[];
  /** a 頓用 window is the PRN_CURRENT_DAYS rule, not a supply of days */
  windows: { start: string; end: string; facilityId: string; kind: "PRESCRIPTION" | "DISPENSE"; asNeeded: boolean }[];
  /** a regular (not 頓用) supply of it covers today */
  current: boolean;
  /** listed as 頓用 of the past year (asNeededPastYear): kept for when needed, not current */
  asNeeded: boolean;
}

export interface MedicationHistory {
  patient: PatientIdentity;
  banner: SafetyBanner;
  kinds: RecordKind[];
  withheld: Sensitivity[];
  years: (typeof HISTORY_YEARS)[number];
  /** the period shown, inclusive, as calendar days */
  from: string | null;
  today: string;
  rows: MedHistoryRow[];
  /** the same rows by dispensing month and pharmacy, as the オン資 薬剤情報 screen shows them */
  byMonth: MonthGroup[];
  strips: DrugStrip[];
  /** regular medicines whose supply covers today */
  current: Omit<CurrentMed, "rows">[];
  /** 頓用 drugs of the past year, listed apart from the current ones */
  asNeeded: AsNeededMed[];
  duplicates: DuplicateWarning[];
  conflicts: AllergyConflict[];
  /** the sourced interaction and renal checks, with any acknowledgement */
  checks: MedicationChecks;
}

/** A current medicine without its source rows (which hold Dates): plain data for the page. */
function withoutRows(m: CurrentMed): Omit<CurrentMed, "rows"> {
  const { rows, ...rest } = m;
  void rows;
  return rest;
}

/**
 * 一般名 by YJ ingredient, from the code table the network shares (lib/terminology/drugs.ts). A product
 * outside that table gets no name; its heading then shows the ingredient code.
 */
const INGREDIENT_NAME = new Map(DRUGS.map((d) => [yjIngredient(d.yj), d.ingredient]));

/**
 * One strip per product, the product with the most recent supply first, and the strips of one
 * substance kept together (the substance placed by its most recent supply).
 */
export function drugStrips(rows: readonly MedRow[], today: string): DrugStrip[] {
  const byKey = new Map<string, DrugStrip>();
  // rows come newest first (readMedRows), so facilities are listed most recent first
  for (const r of rows) {
    const key = productKey(r);
    const w = supplyWindow(r);
    const ingredient = ingredientKey(r);
    const strip = byKey.get(key) ?? {
      key,
      anchor: productAnchor(key),
      display: r.display,
      ingredient,
      substance: ingredient ? substanceOf(ingredient) : null,
      ingredientName: ingredient ? (INGREDIENT_NAME.get(ingredient) ?? null) : null,
      prescribers: [],
      pharmacies: [],
      windows: [],
      current: false,
      asNeeded: false,
    };
    const sources = r.kind === "DISPENSE" ? strip.pharmacies : strip.prescribers;
    if (!sources.includes(r.facilityId)) sources.push(r.facilityId);
    strip.windows.push({ ...w, facilityId: r.facilityId, kind: r.kind, asNeeded: r.asNeeded });
    if (!r.asNeeded && w.start <= today && today <= w.end) strip.current = true;
    byKey.set(key, strip);
  }
  for (const m of asNeededPastYear(rows, today)) byKey.get(m.key)!.asNeeded = true;
  const lastEnd = (s: DrugStrip) => s.windows.reduce((m, w) => (w.end > m ? w.end : m), "");
  const byRecency = (a: DrugStrip, b: DrugStrip) => lastEnd(b).localeCompare(lastEnd(a)) || jaOrder.compare(a.display, b.display);
  const strips = [...byKey.values()];
  for (const s of strips) s.windows.sort((a, b) => a.start.localeCompare(b.start));
  const groupOf = (s: DrugStrip) => s.substance ?? s.key;
  const groups = new Map<string, DrugStrip[]>();
  for (const s of strips.sort(byRecency)) groups.set(groupOf(s), [...(groups.get(groupOf(s)) ?? []), s]);
  return [...groups.values()].flat();
}

const historyInput = z.object({
  years: z.preprocess((v) => (v === "" || v === undefined ? "1" : v), z.coerce.number().pipe(z.union(HISTORY_YEARS.map((y) => z.literal(y))))),
});

/**
 * The pharmacist's page: every prescription and dispense in the period, across all prescribers and
 * pharmacies, with the current-medication warnings (each says why).
 */
export async function getMedicationHistory(actor: Actor, patientId: string, input: unknown = {}): Promise<MedicationHistory> {
  const parsed = historyInput.safeParse(input);
  if (!parsed.success) throw new InvalidInputError("years", "invalid period");
  const years = parsed.data.years as MedicationHistory["years"];
  return withPatientAccess(actor, patientId, "TREATMENT", {
    replica: true,
    action: "RECORD_VIEW",
    what: "medication-history",
    detail: { years },
    read: async (tx, decision) => {
      const kinds = visibleKinds(actor.profession, decision.scope);
      const today = now();
      const todayIso = isoDate(today);
      const since = years ? new Date(today.getTime() - years * 365.25 * 86_400_000) : null;
      const [patient, { banner, drugAllergies }, rows] = await inTurn(
        () => readIdentity(tx, patientId, { facilityId: actor.facilityId, kinds, withheld: decision.withheld }),
        () => readBanner(tx, patientId, kinds, decision.withheld),
        () => kinds.includes("prescription") ? readMedRows(tx, patientId, since, decision.withheld) : Promise.resolve([]));
      // Warnings are about today: a supply from before the period can still be current (90-day supplies).
      const current = currentMedications(rows, todayIso);
      const checks = await readMedicationChecks(tx, patientId, kinds, decision.withheld, current, drugAllergies, decideWarningAcknowledgement(actorFacts(actor), decision.scope).allow);
      return {
        patient,
        banner,
        kinds,
        withheld: [...decision.withheld.categories],
        years,
        from: since ? isoDate(since) : null,
        today: todayIso,
        rows: rows.map((r) => ({
          id: r.itemId,
          kind: r.kind,
          issued: isoDate(r.occurredAt),
          supplyEnd: supplyWindow(r).end,
          facilityId: r.facilityId,
          prescriberName: r.prescriberName ?? null,
          display: r.display,
          code: r.code,
          codeSystem: r.codeSystem,
          dose: doseText(r),
          usageText: r.usageText,
          days: r.days,
          covers: cycleDaysCovered(r),
          asNeeded: r.asNeeded,
          status: r.status,
        })),
        strips: drugStrips(rows, todayIso),
        byMonth: medicationByMonth(rows),
        current: current.filter((m) => !m.asNeeded).map(withoutRows),
        asNeeded: asNeededPastYear(rows, todayIso),
        duplicates: checks.duplicates,
        conflicts: checks.conflicts,
        checks,
      };
    },
  });
}
