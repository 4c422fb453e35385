import { Prisma } from "../db/generated/client";
import type { Tx } from "../db/client";
import type { Withheld } from "../access/decide";
import type { RecordKind } from "../format/record-kinds";
import { notHidden } from "./tables";
import { rowsFrom, type ReadBatch } from "./read-batch";

export type MapPeriod = "month" | "year";

export interface RecordMapCell {
  facilityId: string;
  /** YYYY-MM or YYYY, in Japan time */
  period: string;
  kind: RecordKind;
  count: number;
}

export interface RecordMap {
  by: MapPeriod;
  cells: RecordMapCell[];
}

/**
 * A record spanning more months than this opens on the yearly map. Its monthly map (a 20-year record:
 * over a thousand cells) is read only when the clinician asks for it.
 */
export const MONTHLY_MAP_MAX_MONTHS = 24;

/**
 * The patient's visible counts (kinds and withholding applied) from RecordMapCount, which triggers keep
 * exact on every write to the record tables: a few dozen rows through its primary key, whatever the
 * length of the record, instead of an aggregate over every record on every view.
 */
export const visibleCounts = (patientId: string, kinds: readonly RecordKind[], withheld: Withheld) =>
  Prisma.sql`SELECT kind, "facilityId", month, n FROM "RecordMapCount"
    WHERE "patientId" = ${patientId} AND kind = ANY(${[...kinds]}::text[]) AND ${notHidden("", withheld)} AND n > 0`;

/** The patient's visible yearly counts from RecordMapYear (the same triggers keep it): a few hundred rows for a 20-year record. */
const visibleYears = (patientId: string, kinds: readonly RecordKind[], withheld: Withheld) =>
  Prisma.sql`SELECT kind, "facilityId", year, n, months FROM "RecordMapYear"
    WHERE "patientId" = ${patientId} AND kind = ANY(${[...kinds]}::text[]) AND ${notHidden("", withheld)} AND n > 0`;

const byMonth = (patientId: string, kinds: readonly RecordKind[], withheld: Withheld) =>
  Prisma.sql`SELECT false AS years, kind, "facilityId", month AS period, sum(n)::int AS count FROM (${visibleCounts(patientId, kinds, withheld)}) m GROUP BY 2, 3, 4`;
const byYear = Prisma.sql`SELECT true AS years, kind, "facilityId", year AS period, sum(n)::int AS count FROM y GROUP BY 2, 3, 4`;

/**
 * Facility × period × kind counts in one statement. "auto" gives months for a short record and years
 * for a long one: the months it covers are counted from the yearly rows' month bits, and only a record
 * within MONTHLY_MAP_MAX_MONTHS reads its monthly rows (the branch not taken is not run).
 */
export async function readRecordMap(db: Tx | ReadBatch, patientId: string, kinds: readonly RecordKind[], withheld: Withheld, by: MapPeriod | "auto"): Promise<RecordMap> {
  if (kinds.length === 0) return { by: by === "year" ? "year" : "month", cells: [] };
  const y = visibleYears(patientId, kinds, withheld);
  const sql =
    by === "month"
      ? byMonth(patientId, kinds, withheld)
      : by === "year"
        ? Prisma.sql`WITH y AS (${y}) ${byYear}`
        : Prisma.sql`WITH y AS (${y}),
            span AS (SELECT coalesce(sum(bit_count(b::bit(13))), 0) > ${MONTHLY_MAP_MAX_MONTHS} AS years FROM (SELECT bit_or(months) AS b FROM y GROUP BY year) z)
          SELECT * FROM (${byYear}) a WHERE (SELECT years FROM span)
          UNION ALL SELECT * FROM (${byMonth(patientId, kinds, withheld)}) b WHERE NOT (SELECT years FROM span)`;
  const rows = await rowsFrom<RecordMapCell & { years: boolean }>(db, Prisma.sql`SELECT * FROM (${sql}) r ORDER BY 4, 3, 2`, { order: `x.period, x."facilityId", x.kind` });
  const years = rows[0]?.years ?? by === "year";
  return { by: years ? "year" : "month", cells: rows.map((r) => ({ facilityId: r.facilityId, period: r.period, kind: r.kind as RecordKind, count: Number(r.count) })) };
}

/**
 * The facilities on the patient's record map under these kinds and withholding, as a subquery of ids.
 * One step per facility along RecordMapCount's key (patient, facility, …): the next facility after the
 * last with a visible count. A DISTINCT over the counts read all of a long record's (a 20-year one:
 * 1,400) to find its nine facilities.
 */
export const mapFacilities = (patientId: string, kinds: readonly RecordKind[], withheld: Withheld) => {
  const visible = (after: Prisma.Sql) =>
    Prisma.sql`SELECT min(c."facilityId") FROM "RecordMapCount" c WHERE c."patientId" = ${patientId} ${after} AND c.kind = ANY(${[...kinds]}::text[]) AND ${notHidden("c", withheld)} AND c.n > 0`;
  return Prisma.sql`WITH RECURSIVE f(id) AS ((${visible(Prisma.empty)}) UNION ALL SELECT (${visible(Prisma.sql`AND c."facilityId" > f.id`)}) FROM f WHERE f.id IS NOT NULL)
    SELECT id FROM f WHERE id IS NOT NULL`;
};

/** Visible records per facility, summed over the map's cells: what the header's facility list needs (identity.ts). */
export function countsByFacility(map: RecordMap): Map<string, number> {
  const out = new Map<string, number>();
  for (const c of map.cells) out.set(c.facilityId, (out.get(c.facilityId) ?? 0) + c.count);
  return out;
}
