/**
 * HL7 v2 DTM values as SS-MIX2 systems write them: local Japan time without a zone
 * (YYYY[MM[DD[HH[MM[SS[.S+]]]]]][+/-ZZZZ]). Missing parts are the start of the period; a stated zone
 * wins. null for anything that is not such a time, or a date that does not exist.
 */
export function hl7Time(v: string): Date | null {
  const m = /^(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?(?:\.(\d{1,4}))?([+-]\d{4})?$/.exec(v.trim());
  if (!m) return null;
  const [, y, mo = "01", d = "01", h = "00", mi = "00", s = "00", frac = "0", zone = "+0900"] = m;
  const [Y, M, D, H, Mi, S] = [y, mo, d, h, mi, s].map(Number) as [number, number, number, number, number, number];
  const wall = Date.UTC(Y, M - 1, D, H, Mi, S, Math.round(Number(`0.${frac}`) * 1000));
  // Date.UTC rolls 02-30 over to 03-02 and 24:00 to the next day: reject what the calendar lacks
  const c = new Date(wall);
  if (c.getUTCFullYear() !== Y || c.getUTCMonth() !== M - 1 || c.getUTCDate() !== D || c.getUTCHours() !== H || c.getUTCMinutes() !== Mi || c.getUTCSeconds() !== S) return null;
  const offset = (zone[0] === "-" ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(3, 5)));
  return new Date(wall - offset * 60_000);
}

/**
 * A date as YYYY-MM-DD, or null. DT fields are YYYYMMDD, but PID-7 (birth) and PRB-7/9/16 are TS in
 * v2.5, and senders fill them with a time ("194804050000") or a zone: the day is the
 * date as written, whatever follows it, once the whole value is a real time.
 */
export function hl7Date(v: string): string | null {
  const t = v.trim();
  const m = /^(\d{4})(\d{2})(\d{2})/.exec(t);
  if (!m || !hl7Time(t)) return null;
  return `${m[1]}-${m[2]}-${m[3]}`;
}
