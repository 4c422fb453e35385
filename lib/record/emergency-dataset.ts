import { Prisma } from "../db/generated/client";
import type { Withheld } from "../access/decide";
import { EMERGENCY_DATASET, EMERGENCY_LAB_CODES } from "../access/data-kinds";
import type { RecordKind } from "../format/record-kinds";
import { ONGOING } from "./problems";
import { notHidden } from "./tables";

/**
 * lib/access's EMERGENCY_DATASET applied: the emergency page reads with the Prisma forms below, and
 * under a break-glass grant every FHIR read ($everything and each search, lib/record/export.ts) narrows
 * its page's keys with the SQL forms, so the API gives exactly the rows the page reads and paging
 * counts only those.
 */

const DAY = 86_400_000;
/** The instant `days` days before `at`: where a window of the dataset starts. */
export const daysBefore = (at: Date, days: number): Date => new Date(at.getTime() - days * DAY);

/** The diagnoses of the dataset, as Prisma reads them: ongoing, or major (主病名) even if ended. */
export const EMERGENCY_CONDITIONS = { OR: [ONGOING, ...(EMERGENCY_DATASET.endedMajorConditions ? [{ major: true }] : [])] };

/** The dataset's procedures among `rows` (newest first, as the page reads them): recent surgery and the like, the latest of each `latestKinds`, every implant. */
export function emergencyProcedures<P extends { id: string; kind: string; occurredAt: Date }>(rows: readonly P[], at: Date): P[] {
  const { recentKinds, recentDays, latestKinds, everyKinds } = EMERGENCY_DATASET.procedures;
  const is = (kinds: readonly string[], p: P) => kinds.includes(p.kind);
  const since = daysBefore(at, recentDays).getTime();
  const latest = new Set(latestKinds.map((k) => rows.find((p) => p.kind === k)?.id));
  return rows.filter((p) => (is(recentKinds, p) && p.occurredAt.getTime() >= since) || is(everyKinds, p) || latest.has(p.id));
}

const texts = (xs: readonly string[]) => Prisma.sql`${[...xs]}::text[]`;

/**
 * The same dataset as SQL conditions on a record table aliased `t`, per kind, for the page's keys
 * (the export's readKeys): each names the patient and the withholding in its subqueries, so a
 * withheld newer row never hides a visible older one (the page's reads filter before they pick too).
 * Lab results: the latest visible value of each emergency test up to `at` (readLatestPerCode's rule).
 */
export function emergencyDatasetSql(patientId: string, withheld: Withheld, at: Date): Partial<Record<RecordKind, Prisma.Sql>> {
  const { recentKinds, recentDays, latestKinds, everyKinds } = EMERGENCY_DATASET.procedures;
  const ongoing = Prisma.sql`(t."endedAt" IS NULL AND t.outcome IS NULL)`;
  return {
    prescription: Prisma.sql`t."occurredAt" >= ${daysBefore(at, EMERGENCY_DATASET.medicationDays)}`,
    encounter: Prisma.sql`t."occurredAt" >= ${daysBefore(at, EMERGENCY_DATASET.encounterDays)}`,
    condition: EMERGENCY_DATASET.endedMajorConditions ? Prisma.sql`(${ongoing} OR t.major)` : ongoing,
    procedure: Prisma.sql`((t.kind::text = ANY(${texts(recentKinds)}) AND t."occurredAt" >= ${daysBefore(at, recentDays)})
      OR t.kind::text = ANY(${texts(everyKinds)})
      OR t.id IN (SELECT DISTINCT ON (p.kind) p.id FROM "Procedure" p WHERE p."patientId" = ${patientId} AND ${notHidden("p", withheld)} AND p.kind::text = ANY(${texts(latestKinds)}) ORDER BY p.kind, p."occurredAt" DESC, p.id DESC))`,
    document: Prisma.sql`t.id IN (SELECT d.id FROM "Document" d WHERE d."patientId" = ${patientId} AND ${notHidden("d", withheld)} AND d.kind::text = ${EMERGENCY_DATASET.latestDocumentKind} ORDER BY d."occurredAt" DESC, d.id DESC LIMIT 1)`,
    lab: Prisma.sql`t.id IN (SELECT DISTINCT ON (l.code) l.id FROM "LabResult" l WHERE l."patientId" = ${patientId} AND ${notHidden("l", withheld)} AND l.code = ANY(${texts(EMERGENCY_LAB_CODES)}) AND l."occurredAt" <= ${at} ORDER BY l.code, l."occurredAt" DESC, l.id)`,
  };
}
