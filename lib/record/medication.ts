/**
 * Medication logic for the integrated view and the pharmacist's page. Pure functions over plain rows,
 * so the rules (day boundaries, overlapping supplies, stopped prescriptions) are unit-tested exactly.
 *
 * Days are calendar days in Japan time: a 28-day supply issued on 11-01 (any hour) covers 11-01 to
 * 11-28 inclusive, and is no longer current on 11-29.
 */
import { isoDate } from "../format/dates";

export interface MedRow {
  prescriptionId: string;
  itemId: string;
  kind: "PRESCRIPTION" | "DISPENSE";
  facilityId: string;
  /** the prescriber as the source recorded them (prescriptions only) */
  prescriberName?: string | null;
  occurredAt: Date;
  status: "ACTIVE" | "STOPPED" | "COMPLETED";
  stoppedAt: Date | null;
  codeSystem: string;
  code: string;
  display: string;
  yjCode: string | null;
  days: number | null;
  asNeeded: boolean;
  usageText: string | null;
  dose: number | null;
  doseUnit: string | null;
}

/** Add whole calendar days to a YYYY-MM-DD date. */
export function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** The calendar days a row's supply covers, inclusive. A row without a day count covers its own day. */
export function supplyWindow(row: MedRow): { start: string; end: string } {
  const start = isoDate(row.occurredAt);
  let end = addDays(start, Math.max(1, row.days ?? 1) - 1);
  if (row.status === "STOPPED") {
    // Stopped: covered up to the day before it was stopped; stopped without a date ends on its first day.
    const stopDay = row.stoppedAt ? addDays(isoDate(row.stoppedAt), -1) : start;
    if (stopDay < end) end = stopDay;
  }
  return { start, end };
}

export function isCurrent(row: MedRow, today: string): boolean {
  const w = supplyWindow(row);
  return w.start <= today && today <= w.end && w.end >= w.start;
}

/** The ingredient a product contains: YJ characters 1–7 (薬効分類 4 + 成分 3). */
export function ingredientKey(row: Pick<MedRow, "yjCode" | "codeSystem" | "code">): string | null {
  const yj = row.yjCode ?? (/YJ/i.test(row.codeSystem) ? row.code : null);
  return yj && yj.length >= 7 ? yj.slice(0, 7) : null;
}

/** The therapeutic class: YJ characters 1–4 (薬効分類). */
export function classKey(row: Pick<MedRow, "yjCode" | "codeSystem" | "code">): string | null {
  return ingredientKey(row)?.slice(0, 4) ?? null;
}

export interface CurrentMed {
  /** product key: YJ when known, else system|code */
  key: string;
  display: string;
  ingredient: string | null;
  usageText: string | null;
  dose: string | null;
  asNeeded: boolean;
  /** facilities that prescribed it in a current supply */
  prescribers: string[];
  /** pharmacies that dispensed it in a current supply */
  pharmacies: string[];
  lastIssued: string;
  supplyEnd: string;
  rows: MedRow[];
}

/** Current medicines: rows whose supply covers today, merged per product across prescribers and pharmacies. */
export function currentMedications(rows: readonly MedRow[], today: string): CurrentMed[] {
  const byKey = new Map<string, CurrentMed>();
  for (const r of rows) {
    if (!isCurrent(r, today)) continue;
    const key = r.yjCode ?? `${r.codeSystem}|${r.code}`;
    const w = supplyWindow(r);
    const m = byKey.get(key) ?? {
      key,
      display: r.display,
      ingredient: ingredientKey(r),
      usageText: r.usageText,
      dose: r.dose === null ? null : `${r.dose}${r.doseUnit ?? ""}`,
      asNeeded: r.asNeeded,
      prescribers: [],
      pharmacies: [],
      lastIssued: w.start,
      supplyEnd: w.end,
      rows: [],
    };
    const list = r.kind === "DISPENSE" ? m.pharmacies : m.prescribers;
    if (!list.includes(r.facilityId)) list.push(r.facilityId);
    if (w.start > m.lastIssued) {
      m.lastIssued = w.start;
      m.usageText = r.usageText;
      m.dose = r.dose === null ? null : `${r.dose}${r.doseUnit ?? ""}`;
    }
    if (w.end > m.supplyEnd) m.supplyEnd = w.end;
    m.rows.push(r);
    byKey.set(key, m);
  }
  return [...byKey.values()].sort((a, b) => a.display.localeCompare(b.display, "ja"));
}

export interface DuplicateWarning {
  type: "SAME_INGREDIENT" | "SAME_CLASS";
  /** YJ ingredient (7) or class (4) */
  key: string;
  /** the products involved */
  products: string[];
  /** the distinct prescribing sources (facility ids) */
  sources: string[];
}

/**
 * Duplicate therapy: the same ingredient, or the same class with different ingredients, current from
 * two or more prescribing sources at once. A dispense counts as a source only where no prescription of
 * that ingredient is visible (its prescriber may be a facility that does not disclose).
 */
export function duplicateTherapy(current: readonly CurrentMed[]): DuplicateWarning[] {
  const warnings: DuplicateWarning[] = [];
  const sourcesOf = (meds: CurrentMed[]) => {
    const prescribed = new Set(meds.flatMap((m) => m.prescribers));
    return [...(prescribed.size ? prescribed : new Set(meds.flatMap((m) => m.pharmacies)))].sort();
  };
  const group = (keyOf: (m: CurrentMed) => string | null) => {
    const g = new Map<string, CurrentMed[]>();
    for (const m of current) {
      const k = keyOf(m);
      if (k) g.set(k, [...(g.get(k) ?? []), m]);
    }
    return g;
  };
  const sameIngredient = group((m) => m.ingredient);
  for (const [key, meds] of sameIngredient) {
    const sources = sourcesOf(meds);
    if (sources.length >= 2) warnings.push({ type: "SAME_INGREDIENT", key, products: meds.map((m) => m.display), sources });
  }
  for (const [key, meds] of group((m) => m.ingredient?.slice(0, 4) ?? null)) {
    const ingredients = new Set(meds.map((m) => m.ingredient));
    if (ingredients.size < 2) continue; // one ingredient: already a SAME_INGREDIENT case or no duplicate
    const sources = sourcesOf(meds);
    if (sources.length >= 2) warnings.push({ type: "SAME_CLASS", key, products: meds.map((m) => m.display), sources });
  }
  return warnings;
}

export interface AllergyFact {
  display: string;
  kind: string;
  /** YJ ingredient prefixes (7) this allergy or contraindication covers */
  yjIngredients: readonly string[];
}

export interface AllergyConflict {
  product: string;
  allergy: string;
  kind: string;
}

/** Current medicines that contain an ingredient the patient is allergic to or must not take. */
export function allergyConflicts(current: readonly CurrentMed[], allergies: readonly AllergyFact[]): AllergyConflict[] {
  const out: AllergyConflict[] = [];
  for (const m of current) {
    if (!m.ingredient) continue;
    for (const a of allergies) {
      if (a.yjIngredients.some((p) => m.ingredient!.startsWith(p))) out.push({ product: m.display, allergy: a.display, kind: a.kind });
    }
  }
  return out;
}
