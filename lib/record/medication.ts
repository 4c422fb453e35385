/**
 * Medication logic for the integrated view and the pharmacist's page. Pure functions over plain rows,
 * so the rules (day boundaries, overlapping supplies, stopped prescriptions) are unit-tested exactly.
 *
 * Days are calendar days in Japan time: a 28-day supply issued on 11-01 (any hour) covers 11-01 to
 * 11-28 inclusive, and is no longer current on 11-29.
 *
 * 日数 counts dosing days, as on a Japanese prescription: 4日分 of a 週1回 drug is four weekly doses,
 * so it covers four weeks (see dosingCycle). A 頓用 item's number is doses (回分), not days, so it has
 * no supply length at all: the checks count it for PRN_CURRENT_DAYS from its issue, and the screens
 * list it apart, as 頓用, for PRN_LIST_DAYS (asNeededPastYear), never as a current medicine.
 */
import { dayNumber, dayString, isoDate } from "../format/dates";
import { therapeuticGroup } from "./drug-subclass";
import { routeOf, substanceOf, type Route } from "./drug-route";
import { combinedDailyDose, dailyDose, type CombinedDose, type DailyDose } from "./daily-dose";

export interface MedRow {
  prescriptionId: string;
  itemId: string;
  kind: "PRESCRIPTION" | "DISPENSE";
  facilityId: string;
  /** the prescriber as the source recorded them (prescriptions only) */
  prescriberName?: string | null;
  /** a dispense: the prescription it fills, when the source links them */
  fillsId?: string | null;
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
  return dayString(dayNumber(day) + n);
}

/** Add whole calendar months to a YYYY-MM-DD date; a day the month lacks becomes its last (01-31 + 1 → 02-28). */
export function addMonths(day: string, n: number): string {
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  const first = new Date(Date.UTC(y, m - 1 + n, 1));
  const last = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
  first.setUTCDate(Math.min(d, last));
  return first.toISOString().slice(0, 10);
}

/**
 * How long a 頓用 (as-needed) item counts in the duplicate and allergy checks (as a current supply), in
 * calendar days from its issue, unless stopped. The screens do not list it as current: see
 * asNeededPastYear.
 * Its 回分 are doses kept for when needed, not days, so the supply says nothing about when it ends; the
 * patient keeps it (nitroglycerin for chest pain, an analgesic) until the prescriber next reviews it.
 * 90 days is about the longest usual interval between routine visits (long-term prescriptions rarely
 * exceed 90日分), so a PRN drug given at the last routine visit stays checked until the next one, and
 * each newer issue of it starts a new window. A rule of thumb, so the UI shows such a drug as 頓用
 * with its issue date, never with an end date.
 */
export const PRN_CURRENT_DAYS = 90;

/** Drug names in Japanese order: one collator, as `localeCompare(…, "ja")` would build on every comparison. */
export const jaOrder = new Intl.Collator("ja");

/** A drug not taken every day: `per` dosing days in every `span` days or calendar months. */
export interface DosingCycle {
  span: number;
  per: number;
  unit: "days" | "months";
}

const KANJI_DIGITS: Record<string, string> = { 一: "1", 二: "2", 三: "3", 四: "4", 五: "5", 六: "6", 七: "7", 八: "8", 九: "9" };
const EVERY = String.raw`\s*(?:に|毎に?|ごとに?)?\s*`;
/** 週1回, 週2回, 1週間に2回, 4週に1回, 2週毎1回 */
const WEEKS = new RegExp(String.raw`(?:(\d+)\s*週間?|(?<!\d)週)${EVERY}(\d+)\s*回`, "g");
/** 月1回, 毎月1回, 1ヶ月に1回, 3か月に1回 (never 3月1回, which reads as a date); only once per period */
const MONTHS = new RegExp(String.raw`(?:(\d+)\s*[かヶケカヵ箇]\s*月|(?<!\d)月)${EVERY}(\d+)\s*回`, "g");
/** 2日に1回, 3日毎1回 (the に/毎 is required: 1日1回 is a daily usage) */
const DAYS = /(\d+)\s*日\s*(?:に|毎に?|ごとに?)\s*(\d+)\s*回/g;

/**
 * The dosing cycle a 用法 text states, when it states exactly one that is read without doubt: 週N回 /
 * M週(間)にN回 (N dosing days in 7M days), 月1回 / Mか月に1回 (one in M calendar months), 隔日 and
 * M日に1回 (one in M days). Anything else (daily usage, 週1〜2回, 月2回, 4週投与2週休薬, two different
 * frequencies, no text) is null, and the supply is read the ordinary way: one 日分 per calendar day.
 */
export function dosingCycle(usageText: string | null): DosingCycle | null {
  // Most 用法 are daily (1日3回毎食後), and a view reads every prescription row's: those are told apart
  // without normalising them (statesCycle's own test checks the two agree).
  if (!usageText || !MAY_STATE_CYCLE.test(usageText)) return null;
  return statesCycle(usageText);
}

/**
 * What a text stating a cycle must contain: 週, 月, 隔 or 日に/日毎/日ごと, or a compatibility form that
 * NFKC turns into one of them (a Kangxi radical ⽉, a compatibility ideograph, ㋀, 🈷, or こ with a
 * combining dakuten): those take the full reading.
 */
const MAY_STATE_CYCLE = /[週月隔]|日\s*(?:に|毎|ごと)|[\u{2E80}-\u{2FDF}\u{3099}\u{309A}\u{3200}-\u{33FF}\u{F900}-\u{FAFF}\u{1F200}-\u{1F2FF}]/u;

/** dosingCycle's full reading, for every text (exported for its test). */
export function statesCycle(usageText: string): DosingCycle | null {
  const text = usageText.normalize("NFKC").replace(/[一二三四五六七八九]/g, (c) => KANJI_DIGITS[c]!);
  const found: DosingCycle[] = [];
  for (const m of text.matchAll(WEEKS)) found.push({ span: 7 * Number(m[1] ?? 1), per: Number(m[2]), unit: "days" });
  for (const m of text.matchAll(MONTHS)) found.push({ span: Number(m[1] ?? 1), per: Number(m[2]), unit: "months" });
  for (const m of text.matchAll(DAYS)) found.push({ span: Number(m[1]), per: Number(m[2]), unit: "days" });
  if (text.includes("隔日")) found.push({ span: 2, per: 1, unit: "days" });
  const [c, ...rest] = found;
  if (!c || rest.some((o) => o.span !== c.span || o.per !== c.per || o.unit !== c.unit)) return null;
  if (c.span < 1 || c.per < 1) return null;
  if (c.unit === "months" && c.per !== 1) return null; // 月2回: which days of the month is not stated
  if (c.unit === "days" && c.per >= c.span) return null; // every day (or more): the ordinary reading
  return c;
}

/** The calendar days n 日分 issued on `start` cover: n of a daily drug, the dosing cycles' days of another (see supplyWindow). */
function daysCovered(start: string, n: number, cycle: DosingCycle | null): number {
  if (!cycle) return n;
  if (cycle.unit === "months") return dayNumber(addMonths(start, n * cycle.span)) - dayNumber(start);
  return Math.ceil((n * cycle.span) / cycle.per);
}

/**
 * The calendar days a non-daily drug's supply covers as issued (not cut short by a stop), or null for
 * a daily or 頓用 item or one without a count: the screens then print its count as doses with these
 * days, 4回分（28日間）, since "4日分" of a weekly drug reads as four days of medicine.
 */
export function cycleDaysCovered(row: Pick<MedRow, "occurredAt" | "days" | "usageText" | "asNeeded">): number | null {
  const cycle = row.asNeeded || !row.days ? null : dosingCycle(row.usageText);
  return cycle ? daysCovered(isoDate(row.occurredAt), row.days!, cycle) : null;
}

/**
 * The calendar days a row's supply covers, inclusive. A row without a day count covers its own day.
 * A non-daily drug covers its dosing days' cycles: n 日分 of N dosing days in S days cover ⌈n × S / N⌉
 * days (週2回 3日分 = 10.5 → 11 days: rounded up, so the list holds the drug through the day the next,
 * unsupplied dose would fall), and n 日分 of 月1回 cover n calendar months. A 頓用 item covers
 * PRN_CURRENT_DAYS, whatever its 回分 or usage text.
 */
export function supplyWindow(row: MedRow): { start: string; end: string } {
  // A view asks for a row's window more than once (the current list, the 頓用 list, the checks): the
  // answer is kept with the row object and goes when the row does (a WeakMap holds no row alive).
  let w = windows.get(row);
  if (!w) windows.set(row, (w = Object.freeze(windowOf(row))));
  return w;
}
const windows = new WeakMap<MedRow, { start: string; end: string }>();

function windowOf(row: MedRow): { start: string; end: string } {
  const start = isoDate(row.occurredAt);
  const cycle = row.asNeeded ? null : dosingCycle(row.usageText);
  let end = addDays(start, (row.asNeeded ? PRN_CURRENT_DAYS : daysCovered(start, Math.max(1, row.days ?? 1), cycle)) - 1);
  if (row.status === "STOPPED") {
    // Stopped: covered up to the day before it was stopped; stopped without a date ends on its first day.
    const stopDay = row.stoppedAt ? addDays(isoDate(row.stoppedAt), -1) : start;
    if (stopDay < end) end = stopDay;
  }
  return { start, end };
}

/** The dose as written on the item ("1錠"), or null when none was recorded. */
export const doseText = (row: Pick<MedRow, "dose" | "doseUnit">): string | null => (row.dose === null ? null : `${row.dose}${row.doseUnit ?? ""}`);

export function isCurrent(row: MedRow, today: string): boolean {
  return covers(supplyWindow(row), today);
}

const covers = (w: { start: string; end: string }, day: string) => w.start <= day && day <= w.end && w.end >= w.start;

/** The ingredient a product contains: YJ characters 1–7 (薬効分類 4 + 成分 3). */
export function ingredientKey(row: Pick<MedRow, "yjCode" | "codeSystem" | "code">): string | null {
  const yj = row.yjCode ?? (/YJ/i.test(row.codeSystem) ? row.code : null);
  return yj && yj.length >= 7 ? yj.slice(0, 7) : null;
}

/** The therapeutic class: YJ characters 1–4 (薬効分類). */
export function classKey(row: Pick<MedRow, "yjCode" | "codeSystem" | "code">): string | null {
  return ingredientKey(row)?.slice(0, 4) ?? null;
}

/**
 * The product a row names: its YJ code when known (one YJ per product), else its own system and code;
 * a drug a sender named only in words (no code) is its name — never one product with every other such drug.
 */
export function productKey(row: Pick<MedRow, "yjCode" | "codeSystem" | "code" | "display">): string {
  return row.yjCode ?? (row.code ? `${row.codeSystem}|${row.code}` : `text|${row.display}`);
}

/**
 * The HTML id of a product's strip on the pharmacist's page, so a warning can link to it. A code
 * system may be a URN (colons, dots): only letters, digits and hyphens are kept, which is also a
 * valid URL fragment.
 */
export function productAnchor(key: string): string {
  return `drug-${key.replace(/[^A-Za-z0-9-]/g, "-")}`;
}

export interface CurrentMed {
  /** product key: YJ when known, else system|code */
  key: string;
  display: string;
  ingredient: string | null;
  usageText: string | null;
  dose: string | null;
  /** only 頓用 supplies are current: supplyEnd is the end of the PRN window, not of a supply of days */
  asNeeded: boolean;
  /** facilities that prescribed it in a current supply */
  prescribers: string[];
  /** pharmacies that dispensed it in a current supply */
  pharmacies: string[];
  lastIssued: string;
  supplyEnd: string;
  /** the ingredient per day, by the usage and dose of the latest supply that defines the line */
  daily: DailyDose;
  rows: MedRow[];
}

/** A current medicine as the summary's list draws it: what a clinician reads, without the rows and doses the checks work from. */
export type MedLine = Pick<CurrentMed, "key" | "display" | "usageText" | "dose" | "prescribers" | "pharmacies" | "supplyEnd">;
export const medLine = ({ key, display, usageText, dose, prescribers, pharmacies, supplyEnd }: CurrentMed): MedLine => ({ key, display, usageText, dose, prescribers, pharmacies, supplyEnd });

/**
 * Current medicines: rows whose supply covers today, merged per product across prescribers and
 * pharmacies. Where a regular (not 頓用) supply of the product is current, the regular supplies give
 * the usage, dose, last issue and end date; a 頓用 supply of it alongside only adds its sources.
 */
export function currentMedications(rows: readonly MedRow[], today: string): CurrentMed[] {
  // each row's window worked out once (its usage text parsed, its dates formatted), not per use
  const windows = new Map<MedRow, { start: string; end: string }>();
  const byKey = new Map<string, MedRow[]>();
  for (const r of rows) {
    const w = supplyWindow(r);
    if (!covers(w, today)) continue;
    windows.set(r, w);
    const key = productKey(r);
    byKey.set(key, [...(byKey.get(key) ?? []), r]);
  }
  const meds = [...byKey].map(([key, current]): CurrentMed => {
    const regular = current.filter((r) => !r.asNeeded);
    const defining = (regular.length ? regular : current).map((r) => ({ r, w: windows.get(r)! }));
    const latest = defining.reduce((a, b) => (b.w.start > a.w.start ? b : a));
    const sources = (kind: MedRow["kind"]) => [...new Set(current.filter((r) => r.kind === kind).map((r) => r.facilityId))];
    return {
      key,
      display: current[0]!.display,
      ingredient: ingredientKey(current[0]!),
      usageText: latest.r.usageText,
      dose: doseText(latest.r),
      asNeeded: regular.length === 0,
      prescribers: sources("PRESCRIPTION"),
      pharmacies: sources("DISPENSE"),
      lastIssued: latest.w.start,
      supplyEnd: defining.reduce((e, d) => (d.w.end > e ? d.w.end : e), latest.w.end),
      daily: dailyDose({ ...latest.r, notDaily: dosingCycle(latest.r.usageText) !== null }),
      rows: current,
    };
  });
  return meds.sort((a, b) => jaOrder.compare(a.display, b.display));
}

/** How far back a 頓用 drug stays listed (as 頓用, with its last dispense), in calendar days. */
export const PRN_LIST_DAYS = 365;

/** A 頓用 drug of the past year: kept for when needed, so listed apart from current medicines. */
export interface AsNeededMed {
  key: string;
  /** the id of its strip on the pharmacist's page */
  anchor: string;
  display: string;
  usageText: string | null;
  dose: string | null;
  /** the last dispense of it on record, or null when only prescriptions are visible */
  lastDispensed: string | null;
  lastPrescribed: string | null;
  prescribers: string[];
  pharmacies: string[];
}

/**
 * 頓用 drugs issued in the last PRN_LIST_DAYS days, one line per product, the most recently issued
 * first. PRN_CURRENT_DAYS made a sublingual nitroglycerin given 138 days ago vanish from a patient with
 * suspected angina, though she still keeps it for an attack; a 頓用's 回分 say nothing about when it is
 * used up, so it is listed for a year, as 頓用 with its last dispense, and never as a current
 * medicine. Not listed: a product a regular supply of which is current (it is a current medicine),
 * and one whose latest 頓用 issue was stopped (the prescriber ended it).
 */
export function asNeededPastYear(rows: readonly MedRow[], today: string): AsNeededMed[] {
  const from = addDays(today, -(PRN_LIST_DAYS - 1));
  const regularNow = new Set(rows.filter((r) => !r.asNeeded && isCurrent(r, today)).map(productKey));
  const byKey = new Map<string, MedRow[]>();
  for (const r of rows) {
    const day = isoDate(r.occurredAt);
    if (!r.asNeeded || day < from || day > today || regularNow.has(productKey(r))) continue;
    byKey.set(productKey(r), [...(byKey.get(productKey(r)) ?? []), r]);
  }
  const out: { last: string; med: AsNeededMed }[] = [];
  for (const [key, prn] of byKey) {
    const latest = prn.reduce((a, b) => (b.occurredAt > a.occurredAt ? b : a));
    if (latest.status === "STOPPED" && (!latest.stoppedAt || isoDate(latest.stoppedAt) <= today)) continue;
    const lastOf = (kind: MedRow["kind"]) => prn.filter((r) => r.kind === kind).reduce<string | null>((m, r) => (m && m > isoDate(r.occurredAt) ? m : isoDate(r.occurredAt)), null);
    const sources = (kind: MedRow["kind"]) => [...new Set(prn.filter((r) => r.kind === kind).map((r) => r.facilityId))];
    out.push({
      last: isoDate(latest.occurredAt),
      med: {
        key,
        anchor: productAnchor(key),
        display: latest.display,
        usageText: latest.usageText,
        dose: doseText(latest),
        lastDispensed: lastOf("DISPENSE"),
        lastPrescribed: lastOf("PRESCRIPTION"),
        prescribers: sources("PRESCRIPTION"),
        pharmacies: sources("DISPENSE"),
      },
    });
  }
  return out.sort((a, b) => b.last.localeCompare(a.last) || jaOrder.compare(a.med.display, b.med.display)).map((o) => o.med);
}

/** A current product as a warning names it: what, from whom, when, how much, and where its strip is. */
export interface WarningDrug {
  key: string;
  /** the id of its strip on the pharmacist's page */
  anchor: string;
  display: string;
  prescribers: string[];
  pharmacies: string[];
  lastIssued: string;
  supplyEnd: string;
  asNeeded: boolean;
  route: Route | null;
  daily: DailyDose;
}

export function warningDrug(m: CurrentMed): WarningDrug {
  const { key, display, prescribers, pharmacies, lastIssued, supplyEnd, asNeeded, daily } = m;
  return { key, anchor: productAnchor(key), display, prescribers, pharmacies, lastIssued, supplyEnd, asNeeded, route: m.ingredient ? routeOf(m.ingredient) : null, daily };
}

export type DuplicateType = "SAME_INGREDIENT" | "SAME_INGREDIENT_OTHER_ROUTE" | "SAME_CLASS";

/**
 * How urgent each kind is. The same ingredient twice by one route is the classic 重複投薬 (double the
 * dose); two ingredients of one (sub-)class are duplicate therapy; the same substance by another route
 * (a loxoprofen tablet and a loxoprofen tape) is often meant, but the systemic exposure adds up, so it
 * is pointed out at the lowest level rather than hidden or sounded as a duplicate.
 */
export const DUPLICATE_SEVERITY: Record<DuplicateType, "HIGH" | "MODERATE" | "LOW"> = {
  SAME_INGREDIENT: "HIGH",
  SAME_CLASS: "MODERATE",
  SAME_INGREDIENT_OTHER_ROUTE: "LOW",
};

export interface DuplicateWarning {
  type: DuplicateType;
  severity: (typeof DUPLICATE_SEVERITY)[DuplicateType];
  /** YJ ingredient (7), the substance's ingredient, or class (4) or sub-class ("2171:DHP-CCB", see drug-subclass.ts) */
  key: string;
  /** the products involved, in the order of currentMedications */
  drugs: WarningDrug[];
  /** the distinct prescribing sources (facility ids) */
  sources: string[];
  /** the ingredient's amount per day in all, or why it cannot be added; null for different ingredients (SAME_CLASS) */
  combined: CombinedDose | null;
}

/**
 * Duplicate therapy: the same ingredient, or the same class (sub-class, see drug-subclass.ts) with
 * different ingredients, current from two or more prescribing sources at once. A dispense counts as a
 * source only where no prescription of that ingredient is visible (its prescriber may be a facility
 * that does not disclose). The same substance by two routes (drug-route.ts) is its own, lower kind,
 * and counts from one prescriber too: two products by two routes at once is not a dose change (which
 * is why one source's same-ingredient overlap is not warned), and the exposure adds up either way.
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
  const warn = (type: DuplicateType, key: string, meds: CurrentMed[], combined: CombinedDose | null) =>
    warnings.push({ type, severity: DUPLICATE_SEVERITY[type], key, drugs: meds.map(warningDrug), sources: sourcesOf(meds), combined });
  // one 7-character ingredient is one route (the ingredient number says it), so its doses add up
  for (const [key, meds] of group((m) => m.ingredient)) {
    if (sourcesOf(meds).length >= 2) warn("SAME_INGREDIENT", key, meds, combinedDailyDose(meds.map((m) => m.daily), true));
  }
  for (const [key, meds] of group((m) => (m.ingredient ? substanceOf(m.ingredient) : null))) {
    const routes = new Set(meds.map((m) => routeOf(m.ingredient!)));
    if (routes.size >= 2) warn("SAME_INGREDIENT_OTHER_ROUTE", key, meds, combinedDailyDose(meds.map((m) => m.daily), false));
  }
  // Same class by sub-class where YJ's class is too coarse (2171: Ca拮抗薬 and 硝酸薬 are not duplicates).
  for (const [key, meds] of group((m) => (m.ingredient ? therapeuticGroup(m.ingredient) : null))) {
    const ingredients = new Set(meds.map((m) => m.ingredient));
    if (ingredients.size < 2) continue; // one ingredient: already a SAME_INGREDIENT case or no duplicate
    if (sourcesOf(meds).length >= 2) warn("SAME_CLASS", key, meds, null);
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
  drug: WarningDrug;
  allergy: string;
  kind: string;
}

/** Current medicines that contain an ingredient the patient is allergic to or must not take. */
export function allergyConflicts(current: readonly CurrentMed[], allergies: readonly AllergyFact[]): AllergyConflict[] {
  const out: AllergyConflict[] = [];
  for (const m of current) {
    if (!m.ingredient) continue;
    for (const a of allergies) {
      if (a.yjIngredients.some((p) => m.ingredient!.startsWith(p))) out.push({ drug: warningDrug(m), allergy: a.display, kind: a.kind });
    }
  }
  return out;
}
