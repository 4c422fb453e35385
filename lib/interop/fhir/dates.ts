import { hl7Time } from "../hl7v2/datetime";
import { field, type Issues, type Node } from "./json";

/**
 * FHIR date / dateTime (YYYY, YYYY-MM, YYYY-MM-DD, or with a time) as the instant it starts. A partial
 * date is the start of that period in Japan, as is a time without a zone: JP senders mean local time.
 * The calendar check is the SS-MIX2 reader's (hl7Time), on the same digits.
 */
const FHIR_DATE_TIME = /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(Z|[+-]\d{2}:\d{2})?)?)?)?$/;

export function fhirInstant(s: string): Date | null {
  const m = FHIR_DATE_TIME.exec(s);
  if (!m) return null;
  const [, y, mo = "", d = "", h = "", mi = "", sec = "", frac, zone] = m;
  const digits = `${y}${mo}${d}${h}${mi}${sec}${frac ? `.${frac.slice(0, 4)}` : ""}`;
  const offset = zone === undefined ? "" : zone === "Z" ? "+0000" : zone.replace(":", "");
  return hl7Time(digits + offset);
}

/** The instant at n, or null; a present value that is not a FHIR date is reported. */
export function readInstant(n: Node, issues: Issues): Date | null {
  const s = issues.string(n);
  if (s === null) return null;
  const d = fhirInstant(s);
  if (!d) issues.warn("value", n.at, `${n.at} の「${s.slice(0, 40)}」は日付として読めません。`, `${n.at} "${s.slice(0, 40)}" is not a FHIR date or dateTime.`);
  return d;
}

/** A full calendar date (YYYY-MM-DD) as sent, or null; anything else present is reported. */
export function readCalendarDate(n: Node, issues: Issues): string | null {
  const s = issues.string(n);
  if (s === null) return null;
  if (/^\d{4}-\d{2}-\d{2}$/.test(s) && fhirInstant(s)) return s;
  issues.warn("value", n.at, `${n.at} の「${s.slice(0, 40)}」は年月日（YYYY-MM-DD）ではありません。`, `${n.at} "${s.slice(0, 40)}" is not a full date (YYYY-MM-DD).`);
  return null;
}

/** How much of a date the sender gave: a year, a month, or (null) a day or more. */
export type DatePrecision = "YEAR" | "MONTH" | null;

/**
 * A Condition's or allergy's onset: onsetDateTime, else onsetPeriod.start, else recordedDate, with
 * the precision it was sent at, so that "2018" is not shown as 2018-01-01.
 */
export function readOnset(res: Node, issues: Issues): { occurredAt: Date | null; occurredPrecision: DatePrecision } {
  for (const n of [field(res, "onsetDateTime"), field(field(res, "onsetPeriod"), "start"), field(res, "recordedDate")]) {
    const at = readInstant(n, issues);
    if (!at) continue;
    const s = issues.string(n) ?? "";
    return { occurredAt: at, occurredPrecision: s.length === 4 ? "YEAR" : s.length === 7 ? "MONTH" : null };
  }
  return { occurredAt: null, occurredPrecision: null };
}
