import { Prisma } from "./generated/client";

/*
 * Japan's calendar in SQL. Stored times are UTC without a zone (Prisma's DateTime); Japan has no
 * daylight saving, so +9 h is its wall clock on every date, and no time-zone database is needed
 * (PGlite and PostgreSQL agree, whatever the session's TimeZone).
 */
const jst = (col: Prisma.Sql) => Prisma.sql`(${col} + interval '9 hours')`;

/** The column's calendar day in Japan, as an ISO date (2026-12-06). */
export const jstDaySql = (col: Prisma.Sql) => Prisma.sql`to_char(${jst(col)}, 'YYYY-MM-DD')`;

/** The Monday that starts the column's week in Japan, as an ISO date (ISO weeks start on Monday). */
export const jstWeekSql = (col: Prisma.Sql) => Prisma.sql`to_char(date_trunc('week', ${jst(col)}), 'YYYY-MM-DD')`;

/** An instant as the stored UTC timestamp it is compared with (sent as text, so the driver's zone cannot shift it). */
export const storedInstantSql = (d: Date) => Prisma.sql`(${d.toISOString()}::timestamptz AT TIME ZONE 'UTC')`;
