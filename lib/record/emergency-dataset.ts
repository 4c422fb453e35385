import { Prisma } from "../db/generated/client";
import type { Tx } from "../db/client";
import type { Withheld } from "../access/decide";
import { EMERGENCY_DATASET, EMERGENCY_LAB_CODES } from "../access/data-kinds";
import type { RecordKind } from "../format/record-kinds";
import { isoDate } from "../format/dates";
import { measuredText } from "../terminology/lab-tests";
import { displayOf, readLatestPerCode } from "./labs";
import { ONGOING } from "./problems";
import { notHidden } from "./tables";
import { readRecentMedRows } from "./prescriptions";
import { currentMedications, type CurrentMed } from "./medication";
import { resourcesOf } from "./kinds";
import { rowsWhere } from "./timeline";

/**
 * lib/access's EMERGENCY_DATASET applied: the emergency page reads with the Prisma forms below, and
 * under a break-glass grant every FHIR read ($everything and each search, lib/record/export.ts) narrows
 * its page's keys with the SQL forms, so the API gives exactly the rows the page reads and paging
 * counts only those.
 */

const DAY = 86_400_000;
/** The instant `days` days before `at`: where a window of the dataset starts. */
export const daysBefore = (at: Date, days: number): Date => new Date(at.getTime() - days * DAY);

/**
 * The dataset's medicines: the current ones of the medication window by the 統合ビュー's rule
 * (currentMedications), each with the drug rows behind it. The emergency page lists them; under a
 * grant the FHIR API gives exactly those rows (each drug of each prescription or dispense), so both
 * answer from this one read and never disagree (the window alone gave 66 MedicationRequests where
 * the page listed 6 medicines).
 */
export async function readEmergencyMedicines(tx: Tx, patientId: string, withheld: Withheld, at: Date): Promise<CurrentMed[]> {
  return currentMedications(await readRecentMedRows(tx, patientId, withheld, at), isoDate(at));
}

/** One line of the dataset's 検査関連情報: the latest value of one emergency test. flag is H/L/… or null when normal. */
export interface EmergencyLab {
  code: string;
  display: string;
  value: string;
  unit: string | null;
  flag: string | null;
  date: string;
  facilityId: string;
}

/**
 * The dataset's lab results: the latest visible value of each emergency test (EMERGENCY_LAB_CODES) up
 * to `at`, in that list's order, from the kinds lib/access latestOnlyKinds names (none: no read). The
 * emergency page, and under an emergency-only consent the 統合ビュー and the lab pages, list these.
 */
export async function readEmergencyLabs(tx: Tx, patientId: string, kinds: readonly RecordKind[], withheld: Withheld, at: Date): Promise<EmergencyLab[]> {
  if (kinds.length === 0) return [];
  const rows = await readLatestPerCode(tx, patientId, kinds, withheld, at, { codes: EMERGENCY_LAB_CODES });
  return rows
    .map((r) => ({ code: r.code, display: displayOf(r.code, r.display), value: measuredText(r.code, r.value, r.text), unit: r.unit, flag: r.flag && r.flag !== "N" ? r.flag : null, date: isoDate(r.occurredAt), facilityId: r.facilityId }))
    .sort((a, b) => EMERGENCY_LAB_CODES.indexOf(a.code) - EMERGENCY_LAB_CODES.indexOf(b.code));
}

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
 * The same dataset as SQL conditions on a record table aliased `t` (and a prescription's drug `i`,
 * the unit the export pages by), per kind, for the page's keys (the export's readKeys): each names the
 * patient and the withholding in its subqueries, so a withheld newer row never hides a visible older
 * one (the page's reads filter before they pick too). Medicines: the drugs behind the current
 * medicines (readEmergencyMedicines), read only when the page asks for prescriptions. Lab results: the
 * latest visible value of each emergency test up to `at` (readLatestPerCode's rule).
 */
export async function emergencyDatasetSql(tx: Tx, patientId: string, withheld: Withheld, at: Date, kinds: readonly RecordKind[]): Promise<Partial<Record<RecordKind, Prisma.Sql>>> {
  const { recentKinds, recentDays, latestKinds, everyKinds } = EMERGENCY_DATASET.procedures;
  const ongoing = Prisma.sql`(t."endedAt" IS NULL AND t.outcome IS NULL)`;
  const medicines = kinds.includes("prescription") ? await readEmergencyMedicines(tx, patientId, withheld, at) : [];
  return {
    prescription: Prisma.sql`i.id = ANY(${texts(medicines.flatMap((m) => m.rows.map((r) => r.itemId)))})`,
    encounter: Prisma.sql`t."occurredAt" >= ${daysBefore(at, EMERGENCY_DATASET.encounterDays)}`,
    condition: EMERGENCY_DATASET.endedMajorConditions ? Prisma.sql`(${ongoing} OR t.major)` : ongoing,
    procedure: Prisma.sql`((t.kind::text = ANY(${texts(recentKinds)}) AND t."occurredAt" >= ${daysBefore(at, recentDays)})
      OR t.kind::text = ANY(${texts(everyKinds)})
      OR t.id IN (SELECT DISTINCT ON (p.kind) p.id FROM "Procedure" p WHERE p."patientId" = ${patientId} AND ${notHidden("p", withheld)} AND p.kind::text = ANY(${texts(latestKinds)}) ORDER BY p.kind, p."occurredAt" DESC, p.id DESC))`,
    document: Prisma.sql`t.id IN (SELECT d.id FROM "Document" d WHERE d."patientId" = ${patientId} AND ${notHidden("d", withheld)} AND d.kind::text = ${EMERGENCY_DATASET.latestDocumentKind} ORDER BY d."occurredAt" DESC, d.id DESC LIMIT 1)`,
    lab: Prisma.sql`t.id IN (SELECT DISTINCT ON (l.code) l.id FROM "LabResult" l WHERE l."patientId" = ${patientId} AND ${notHidden("l", withheld)} AND l.code = ANY(${texts(EMERGENCY_LAB_CODES)}) AND l."occurredAt" <= ${at} ORDER BY l.code, l."occurredAt" DESC, l.id)`,
  };
}

/**
 * The facilities whose records of `kinds` are in the dataset: under a grant the Patient names only
 * these (their local ids), never a facility whose every record lies outside the dataset — its name
 * alone can tell what the dataset leaves out (a psychiatric clinic seen in 2017).
 */
export async function emergencyDatasetFacilities(tx: Tx, patientId: string, withheld: Withheld, at: Date, kinds: readonly RecordKind[]): Promise<Set<string>> {
  if (kinds.length === 0) return new Set();
  const only = await emergencyDatasetSql(tx, patientId, withheld, at, kinds);
  const q = { patientId, kinds, withheld, cursor: null, limit: 0 };
  const perKind = kinds.map((k) => Prisma.sql`SELECT t."facilityId" ${resourcesOf(k).from} WHERE ${rowsWhere(k, q)} ${only[k] ? Prisma.sql`AND (${only[k]})` : Prisma.empty}`);
  const rows = await tx.$queryRaw<{ facilityId: string }[]>(Prisma.sql`SELECT DISTINCT "facilityId" FROM (${Prisma.join(perKind, " UNION ALL ")}) f`);
  return new Set(rows.map((r) => r.facilityId));
}
