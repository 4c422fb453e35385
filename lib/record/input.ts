import { z } from "zod";

/** Form and query-string values: an empty field means "not set". */
export const optional = <T extends z.ZodType>(t: T) => z.preprocess((v) => (v === "" || v === null ? undefined : v), t.optional());

/** A calendar date as YYYY-MM-DD that exists. */
export const isoDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .refine((s) => !Number.isNaN(Date.parse(s)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s));

/** A calendar day in Japan as an instant: the start of that day in JST. */
export const jstDayStart = (day: string) => new Date(`${day}T00:00:00+09:00`);
