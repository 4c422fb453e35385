import { Prisma } from "../db/generated/client";

/**
 * Rows that a statement returns as one JSON value (json_agg), made the rows a plain SELECT would have
 * given: several reads then share one round trip (a statement costs the server a socket write and a
 * read, and Prisma its per-call CPU: issue 17). JSON carries a timestamp as text and a float8 that is
 * not finite as a string, so the columns that hold them are named and converted; no value is guessed
 * at by its look (a lab's text result may well read like a date).
 */

/** A SELECT's rows as one JSON array (null for none), in `order` over its columns (alias x) where given: what jsonRows reads back. */
export const jsonArrayOf = (select: Prisma.Sql, order?: string) =>
  Prisma.sql`(SELECT json_agg(x ${order ? Prisma.raw(`ORDER BY ${order}`) : Prisma.empty}) FROM (${select}) x)`;

/** node-postgres parses json; PGlite's driver adapter hands it over as text. */
export function jsonValue<T>(v: unknown): T {
  return (typeof v === "string" ? JSON.parse(v) : v) as T;
}

/**
 * A timestamp as PostgreSQL writes it in JSON: "2024-05-01T09:30:00.123" for a timestamp without time
 * zone, the column type Prisma's DateTime stores in UTC; an offset where the column has one.
 */
export function jsonDate(s: string): Date {
  return new Date(/(Z|[+-]\d\d(:?\d\d)?)$/.test(s) ? s : `${s}Z`);
}

/**
 * A json_agg of rows (null when there were none) with the named columns made Dates and numbers again.
 * The rows are mutated in place: they were parsed for this call alone.
 */
export function jsonRows<T>(v: unknown, dates: readonly string[], numbers: readonly string[] = []): T[] {
  const rows = jsonValue<Record<string, unknown>[] | null>(v) ?? [];
  for (const r of rows) {
    for (const c of dates) if (typeof r[c] === "string") r[c] = jsonDate(r[c] as string);
    for (const c of numbers) if (typeof r[c] === "string") r[c] = Number(r[c]);
  }
  return rows as T[];
}
