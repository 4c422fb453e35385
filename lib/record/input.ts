import { z } from "zod";

/** Form and query-string values: an empty field means "not set". */
export const optional = <T extends z.ZodType>(t: T) => z.preprocess((v) => (v === "" || v === null ? undefined : v), t.optional());

/** A calendar date as YYYY-MM-DD that exists. */
export const isoDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .refine((s) => !Number.isNaN(Date.parse(s)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s));

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

/** A calendar day in Japan as an instant: the start of that day in JST. */
export const jstDayStart = (day: string) => new Date(`${day}T00:00:00+09:00`);
