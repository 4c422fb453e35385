/**
 * FHIR search parameter values, read as Tsunagu searches them. Pure: a value in, a range or codes out,
 * or null when the value is not one Tsunagu can search by (the caller names the parameter in its 400).
 */

const JST = "+09:00";
const PREFIXES = ["eq", "ge", "gt", "le", "lt"] as const;
type Prefix = (typeof PREFIXES)[number];

/**
 * A date value as the instants it covers, [lo, hi): a year, a month or a day is that calendar period in
 * Japan (a record's date is a day in Japan, as the timeline shows it); a dateTime with its zone (Z or
 * ±hh:mm) is that second.
 */
function period(raw: string): { lo: Date; hi: Date } | null {
  // a "+09:00" sent unencoded in a query string arrives as " 09:00"
  const value = raw.replace(/ (\d{2}:\d{2})$/, "+$1");
  let m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(value);
  if (m) {
    const [y, mo, d] = [Number(m[1]), m[2] ? Number(m[2]) : null, m[3] ? Number(m[3]) : null];
    if ((mo !== null && (mo < 1 || mo > 12)) || (d !== null && (d < 1 || d > 31))) return null;
    const at = (yy: number, mm: number, dd: number) => new Date(`${String(yy).padStart(4, "0")}-${String(mm).padStart(2, "0")}-${String(dd).padStart(2, "0")}T00:00:00${JST}`);
    if (mo === null) return { lo: at(y, 1, 1), hi: at(y + 1, 1, 1) };
    if (d === null) return { lo: at(y, mo, 1), hi: mo === 12 ? at(y + 1, 1, 1) : at(y, mo + 1, 1) };
    const lo = at(y, mo, d);
    // a day that does not exist (02-30) is refused, not rolled over into the next month
    if (Number.isNaN(lo.getTime()) || new Date(lo.getTime() + 9 * 3_600_000).toISOString().slice(0, 10) !== value) return null;
    return { lo, hi: new Date(lo.getTime() + 86_400_000) };
  }
  m = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/.exec(value);
  if (!m) return null;
  const lo = new Date(value);
  if (Number.isNaN(lo.getTime())) return null;
  return { lo, hi: new Date(lo.getTime() + 1000) };
}

/** The instants a set of `date` values leaves (each ANDed, as FHIR repeats a parameter): from inclusive, to exclusive. */
export interface DateRange {
  from?: Date;
  to?: Date;
}

/**
 * `date=ge2024-01-01&date=le2024-06-30` and the rest: eq (or no prefix), ge, gt, le, lt, each on a year,
 * a month, a day (in Japan) or a dateTime with its zone. null for a value it cannot read (ne, sa, eb,
 * ap, a date without a zone's hour, 2024-02-30).
 */
export function dateRange(values: readonly string[]): DateRange | null {
  const range: DateRange = {};
  const later = (a: Date | undefined, b: Date) => (a && a > b ? a : b);
  const earlier = (a: Date | undefined, b: Date) => (a && a < b ? a : b);
  for (const raw of values) {
    const prefixed = (PREFIXES as readonly string[]).includes(raw.slice(0, 2));
    const prefix: Prefix = prefixed ? (raw.slice(0, 2) as Prefix) : "eq";
    const p = period(prefixed ? raw.slice(2) : raw);
    if (!p) return null;
    if (prefix === "eq" || prefix === "ge") range.from = later(range.from, p.lo);
    if (prefix === "gt") range.from = later(range.from, p.hi);
    if (prefix === "eq" || prefix === "le") range.to = earlier(range.to, p.hi);
    if (prefix === "lt") range.to = earlier(range.to, p.lo);
  }
  return range;
}

/** A token as Tsunagu matches it: system|code (both), or code alone (in any system). */
export interface Token {
  system: string | null;
  code: string;
}

/** `code=urn:oid:1.2.392.200119.4.504|3D010000001926101,3D046000001920402`: the comma-separated tokens (any of them matches); null if one is empty. */
export function tokens(value: string): Token[] | null {
  const out: Token[] = [];
  for (const part of value.split(",")) {
    const bar = part.indexOf("|");
    const t = bar < 0 ? { system: null, code: part } : { system: part.slice(0, bar), code: part.slice(bar + 1) };
    if (!t.code || t.system === "" || t.code.length > 100 || (t.system?.length ?? 0) > 200) return null;
    out.push(t);
  }
  return out;
}

