import { z } from "zod";
import type { Actor } from "../auth/actor";
import type { Sensitivity } from "../access/decide";
import { visibleKinds, type RecordKind } from "../access/data-kinds";
import { isoDate } from "../format/dates";
import { now } from "../clock";
import { actorFacts, withPatientAccess } from "./guard";
import { InvalidInputError } from "./errors";
import { readBanner, type SafetyBanner } from "./banner";
import { readIdentity, type PatientIdentity } from "./identity";
import { readMedRows } from "./prescriptions";
import { readMedicationChecks, type MedicationChecks } from "./medication-checks";
import { decideWarningAcknowledgement } from "../access/duties";
import {
  allergyConflicts,
  currentMedications,
  duplicateTherapy,
  ingredientKey,
  supplyWindow,
  doseText,
  type AllergyConflict,
  type CurrentMed,
  type DuplicateWarning,
  type MedRow,
} from "./medication";

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
  status: "ACTIVE" | "STOPPED" | "COMPLETED";
}

/** One drug's supplies on a time axis, for the strip per drug. */
export interface DrugStrip {
  /** the ingredient (YJ 1–7) when known, else the product code */
  key: string;
  display: string;
  /** a 頓用 window is the PRN_CURRENT_DAYS rule, not a supply of days */
  windows: { start: string; end: string; facilityId: string; kind: "PRESCRIPTION" | "DISPENSE"; asNeeded: boolean }[];
  current: boolean;
  /** current only by 頓用 windows: kept for when needed, not a supply running today */
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
  strips: DrugStrip[];
  current: Omit<CurrentMed, "rows">[];
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

/** Supplies grouped per ingredient, the drug with the most recent supply first. */
export function drugStrips(rows: readonly MedRow[], today: string): DrugStrip[] {
  const byKey = new Map<string, DrugStrip>();
  for (const r of rows) {
    const key = ingredientKey(r) ?? `${r.codeSystem}|${r.code}`;
    const w = supplyWindow(r);
    const strip = byKey.get(key) ?? { key, display: r.display, windows: [], current: false, asNeeded: false };
    strip.windows.push({ ...w, facilityId: r.facilityId, kind: r.kind, asNeeded: r.asNeeded });
    if (w.start <= today && today <= w.end) {
      strip.asNeeded = (strip.current ? strip.asNeeded : true) && r.asNeeded;
      strip.current = true;
    }
    byKey.set(key, strip);
  }
  const lastEnd = (s: DrugStrip) => s.windows.reduce((m, w) => (w.end > m ? w.end : m), "");
  for (const s of byKey.values()) s.windows.sort((a, b) => a.start.localeCompare(b.start));
  return [...byKey.values()].sort((a, b) => lastEnd(b).localeCompare(lastEnd(a)) || a.display.localeCompare(b.display, "ja"));
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
    action: "RECORD_VIEW",
    what: "medication-history",
    detail: { years },
    read: async (tx, decision) => {
      const kinds = visibleKinds(actor.profession, decision.scope);
      const today = now();
      const todayIso = isoDate(today);
      const since = years ? new Date(today.getTime() - years * 365.25 * 86_400_000) : null;
      const [patient, { banner, drugAllergies }, rows] = await Promise.all([
        readIdentity(tx, patientId, { facilityId: actor.facilityId, kinds, withheld: decision.withheld }),
        readBanner(tx, patientId, kinds, decision.withheld),
        kinds.includes("prescription") ? readMedRows(tx, patientId, since, decision.withheld) : Promise.resolve([]),
      ]);
      // Warnings are about today: a supply from before the period can still be current (90-day supplies).
      const current = currentMedications(rows, todayIso);
      return {
        patient,
        banner,
        kinds,
        withheld: decision.withheld,
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
          asNeeded: r.asNeeded,
          status: r.status,
        })),
        strips: drugStrips(rows, todayIso),
        current: current.map(withoutRows),
        duplicates: duplicateTherapy(current),
        conflicts: allergyConflicts(current, drugAllergies),
        checks: await readMedicationChecks(tx, patientId, kinds, decision.withheld, current, decideWarningAcknowledgement(actorFacts(actor), decision.scope).allow),
      };
    },
  });
}
