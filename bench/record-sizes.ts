/**
 * How big each filler patient's record is. Real populations are skewed: most people see a doctor a few
 * times a year, a few (the chronically ill, the old) every month for decades. A bench whose patients
 * all hold the same ~17 records measures nobody real, so the number of visits per patient is drawn from
 * a log-normal distribution (median VISITS_MEDIAN, long right tail, capped), deterministically from
 * the patient's number, and everything else in the record follows from it. bench/database.ts inserts
 * exactly what recordsOf() counts: the two must change together (tests/bench-record-sizes.test.ts).
 */

export const VISITS_MEDIAN = 9;
export const VISITS_SIGMA = 1.3;
export const VISITS_MAX = 400;

/** Per visit: an encounter, a prescription (with PRESCRIPTION_ITEMS items) and LABS_PER_VISIT lab results. */
export const LABS_PER_VISIT = 3;
export const PRESCRIPTION_ITEMS = 2;
/** one checkup (with CHECKUP_ITEMS items) per this many visits, at least one, at most CHECKUPS_MAX */
export const VISITS_PER_CHECKUP = 12;
export const CHECKUPS_MAX = 20;
export const CHECKUP_ITEMS = 6;
/** one letter per this many visits, one procedure per this many */
export const VISITS_PER_DOCUMENT = 10;
export const VISITS_PER_PROCEDURE = 25;
/** conditions: one, plus one per this many visits, at most CONDITIONS_MAX */
export const VISITS_PER_CONDITION = 20;
export const CONDITIONS_MAX = 4;

/** A uniform number in (0, 1) from an integer and a salt: a 32-bit integer hash (no state, same on every run). */
function unit(n: number, salt: number): number {
  let x = (Math.imul(n, 0x9e3779b1) ^ Math.imul(salt, 0x85ebca6b)) >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x7feb352d) >>> 0;
  x = Math.imul(x ^ (x >>> 15), 0x846ca68b) >>> 0;
  x = (x ^ (x >>> 16)) >>> 0;
  return (x + 0.5) / 2 ** 32;
}

/** Visits of filler patient `n` (1-based): log-normal by Box–Muller over two hashes of n, rounded, in [0, VISITS_MAX]. */
export function visitsOf(n: number): number {
  const z = Math.sqrt(-2 * Math.log(unit(n, 1))) * Math.cos(2 * Math.PI * unit(n, 2));
  return Math.min(VISITS_MAX, Math.max(0, Math.round(VISITS_MEDIAN * Math.exp(VISITS_SIGMA * z))));
}

export interface RecordCount {
  /** timeline entries: rows of the eight record tables */
  records: number;
  /** the same plus prescription and checkup items */
  rows: number;
}

/** Days between visits: ten years' worth spread evenly, never closer than two weeks (bench/database.ts uses the same). */
export const visitGap = (visits: number) => Math.max(14, Math.floor(3650 / Math.max(visits, 1)));

export const checkupsOf = (visits: number) => Math.min(CHECKUPS_MAX, Math.max(1, Math.ceil(visits / VISITS_PER_CHECKUP)));
export const documentsOf = (visits: number) => Math.floor(visits / VISITS_PER_DOCUMENT);
export const proceduresOf = (visits: number) => Math.floor(visits / VISITS_PER_PROCEDURE);
export const conditionsOf = (visits: number) => Math.min(CONDITIONS_MAX, 1 + Math.floor(visits / VISITS_PER_CONDITION));
/** every third patient has a food allergy */
export const allergiesOf = (n: number) => (n % 3 === 0 ? 1 : 0);

/** What bench/database.ts inserts for filler patient `n`. */
export function recordsOf(n: number): RecordCount {
  const v = visitsOf(n);
  const checkups = checkupsOf(v);
  const records = v * (2 + LABS_PER_VISIT) + checkups + documentsOf(v) + proceduresOf(v) + conditionsOf(v) + allergiesOf(n);
  return { records, rows: records + v * PRESCRIPTION_ITEMS + checkups * CHECKUP_ITEMS };
}

/** Filler patients 1 … count: their visits, in order (sent to the database as one array per batch). */
export function visitsOfRange(from: number, to: number): number[] {
  const out: number[] = [];
  for (let n = from; n <= to; n++) out.push(visitsOf(n));
  return out;
}

/** Expected clinical rows for filler patients 1 … count, for the progress bar's total. */
export function expectedRows(count: number): RecordCount {
  let records = 0;
  let rows = 0;
  for (let n = 1; n <= count; n++) {
    const r = recordsOf(n);
    records += r.records;
    rows += r.rows;
  }
  return { records, rows };
}
