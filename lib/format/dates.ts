import type { Locale } from "../i18n/messages";

const wareki = new Intl.DateTimeFormat("ja-JP-u-ca-japanese", { era: "long", year: "numeric", month: "long", day: "numeric", timeZone: "Asia/Tokyo" });
const jst = new Intl.DateTimeFormat("sv-SE", { year: "numeric", month: "2-digit", day: "2-digit", timeZone: "Asia/Tokyo" });

const JST_OFFSET_MS = 9 * 3_600_000;
/**
 * Since its last summer time ended (September 1951) Japan time is UTC+9 all year, so from 1952 on the
 * calendar day is plain arithmetic; earlier instants (summer time 1948–51, local mean time before
 * 1888) and years past 9999 go through the time-zone database. The same answer either way, but a page
 * formats hundreds of dates (every medication supply window, every timeline row) and Intl's formatter
 * was a tenth of the 統合ビュー's own code's CPU (issue 17).
 */
const STEADY_FROM = Date.UTC(1952, 0, 1);
const STEADY_UNTIL = Date.UTC(9999, 11, 31);

const DAY_MS = 86_400_000;
const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));

/**
 * The Gregorian calendar day `days` after 1970-01-01, as YYYY-MM-DD, by arithmetic (the civil-from-days
 * algorithm: 400-year eras of 146,097 days, years counted from March so the leap day comes last). No
 * Date is made: under Next.js every `new Date` goes through a wrapper, and a page makes hundreds.
 * For years 0–9999, the range a four-digit year can write.
 */
export function dayString(days: number): string {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1_460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return `${String(year).padStart(4, "0")}-${pad2(month)}-${pad2(doy - Math.floor((153 * mp + 2) / 5) + 1)}`;
}

/** The day number (days after 1970-01-01) of a YYYY-MM-DD date; a day past its month's end counts on into the next (02-30 is 03-01 or 03-02). */
export function dayNumber(day: string): number {
  const m = Number(day.slice(5, 7));
  const y = Number(day.slice(0, 4)) - (m <= 2 ? 1 : 0);
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + Number(day.slice(8, 10)) - 1;
  return era * 146_097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719_468;
}

/** ISO calendar date (YYYY-MM-DD) in Japan time; a dash for a missing or invalid value. */
export function isoDate(v: string | Date | null | undefined): string {
  if (!v) return "—";
  const t = (typeof v === "string" ? new Date(v) : v).getTime();
  if (Number.isNaN(t)) return "—";
  return t >= STEADY_FROM && t < STEADY_UNTIL ? dayString(Math.floor((t + JST_OFFSET_MS) / DAY_MS)) : jst.format(t);
}

/** 和暦, e.g. 昭和33年4月12日. Birth dates are calendar dates: pass them as YYYY-MM-DD. */
export function warekiDate(v: string | null | undefined): string {
  if (!v) return "—";
  const d = new Date(v.length === 10 ? `${v}T00:00:00+09:00` : v);
  return Number.isNaN(d.getTime()) ? "—" : wareki.format(d);
}

/** Age in whole years on `today` (both as calendar dates). */
export function ageOn(birthDate: string, today: Date): number {
  const [by, bm, bd] = birthDate.split("-").map(Number) as [number, number, number];
  const [ty, tm, td] = isoDate(today).split("-").map(Number) as [number, number, number];
  return ty - by - (tm < bm || (tm === bm && td < bd) ? 1 : 0);
}

/** The date as clinicians expect it in this language: ISO, plus 和暦 in Japanese. */
export function dateWithWareki(v: string, locale: Locale): string {
  return locale === "ja" ? `${isoDate(v)}（${warekiDate(v)}）` : isoDate(v);
}

const jstTime = new Intl.DateTimeFormat("ja-JP", { hour: "2-digit", minute: "2-digit", timeZone: "Asia/Tokyo" });

/** Date and time in Japan, e.g. 2026-11-26 09:05 (audit rows, sessions, consents); a dash if missing. */
export function isoDateTime(v: string | Date | null | undefined): string {
  if (!v) return "—";
  const d = typeof v === "string" ? new Date(v) : v;
  return Number.isNaN(d.getTime()) ? "—" : `${isoDate(d)} ${jstTime.format(d)}`;
}

/**
 * A date at the precision its source gave: 2018 for a year, 2022-05 for a month, the day otherwise;
 * `unknown` when the source gave none (the record then carries the document's time, not an onset).
 */
export function preciseDate(v: string | Date, precision: string | null | undefined, unknown: string): string {
  if (precision === "NONE") return unknown;
  const day = isoDate(v);
  return precision === "YEAR" ? day.slice(0, 4) : precision === "MONTH" ? day.slice(0, 7) : day;
}

const jstSeconds = new Intl.DateTimeFormat("sv-SE", { year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false, timeZone: "Asia/Tokyo" });

/** Japan time to the second, as a spreadsheet reads it: 2026-06-01 09:00:05 (audit exports). */
export function jstDateTimeSeconds(v: string | Date): string {
  return jstSeconds.format(typeof v === "string" ? new Date(v) : v);
}
