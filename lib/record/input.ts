import { z } from "zod";

/** Form and query-string values: an empty field means "not set". */
export const optional = <T extends z.ZodType>(t: T) => z.preprocess((v) => (v === "" || v === null ? undefined : v), t.optional());

/** Years a clinical or birth date can have: outside them a date is a typo (0000, 20255), not a record. */
export const FIRST_YEAR = 1900;
export const LAST_YEAR = 2199;

/** A calendar date that exists (no 02-30, no 06-31 rolled over into the next month), within the years above. */
export function isRealDay(s: string): boolean {
  const m = /^(\d{4})-\d{2}-\d{2}$/.exec(s);
  if (!m || Number(m[1]) < FIRST_YEAR || Number(m[1]) > LAST_YEAR) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(s);
}

/** A calendar date as YYYY-MM-DD that exists. One check (not a regex and then a refine that zod would run anyway). */
export const isoDay = z.string().refine(isRealDay);

/** Free text for a search box: control characters (a NUL breaks PostgreSQL's text) are refused, not stripped. */
export const searchText = (max: number) =>
  z
    .string()
    .normalize("NFKC")
    .trim()
    .max(max)
    .refine((s) => !/[\u0000-\u001f\u007f]/.test(s));

/**
 * Field → error code, one per field, for a form to show beside each field: "required" (missing or
 * empty), "invalid", or the code a refinement names with `params: { error }`. Issues without a field
 * go under `rootField`.
 */
export function fieldErrors(err: z.ZodError, rootField = "form"): Record<string, string> {
  const out: Record<string, string> = {};
  for (const i of err.issues) {
    const named = i.code === "custom" && typeof i.params?.error === "string" ? (i.params.error as string) : null;
    out[String(i.path[0] ?? rootField)] ??= named ?? (i.code === "invalid_type" || (i.code === "too_small" && i.minimum === 1) ? "required" : "invalid");
  }
  return out;
}

/** Digits and letters as printed on a card, whatever the keyboard: full-width forms folded, spaces and hyphens dropped. */
export const cardNumber = (v: string) => v.normalize("NFKC").replace(/[\s\-‐－ー−]/g, "");

/** A calendar day in Japan as an instant: the start of that day in JST. */
export const jstDayStart = (day: string) => new Date(`${day}T00:00:00+09:00`);

export { likeLiteral } from "../db/like";
