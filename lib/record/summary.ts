import { Prisma } from "../db/generated/client";
import type { Tx } from "../db/client";
import type { Sensitivity } from "../access/decide";
import type { RecordKind } from "../access/data-kinds";
import { isoDate } from "../format/dates";
import { allergyConflicts, currentMedications, duplicateTherapy, type AllergyConflict, type CurrentMed, type DuplicateWarning } from "./medication";
import { notWithheld, readBanner, type SafetyBanner } from "./banner";
import { readMedRows } from "./prescriptions";
import { readRecentElsewhere, type RecentTest } from "./labs";
import { tableOf } from "./tables";

export interface Problem {
  id: string;
  display: string;
  icd10: string | null;
  code: string;
  codeSystem: string;
  since: string;
  suspected: boolean;
  major: boolean;
  facilityId: string;
}

export interface CheckupSummary {
  id: string;
  occurredAt: string;
  facilityId: string;
  programme: string;
  items: { code: string; display: string; value: string; unit: string | null; flag: string | null; range: string | null }[];
}

export interface RecordMapCell {
  facilityId: string;
  /** YYYY-MM in Japan time */
  month: string;
  kind: RecordKind;
  count: number;
}

export interface IntegratedSummary {
  banner: SafetyBanner;
  problems: Problem[];
  medications: CurrentMed[];
  duplicates: DuplicateWarning[];
  conflicts: AllergyConflict[];
  latestCheckup: CheckupSummary | null;
  /** tests done at other facilities within the last 30 days, so they are not ordered again */
  recentElsewhere: RecentTest[];
  map: RecordMapCell[];
}

/** How far back "current medicines" look: longer than any supply a Japanese prescription allows (90 days+). */
const MEDICATION_LOOKBACK_DAYS = 400;

/** Facility × month × kind counts, one aggregate query over the visible kinds (each via its patient index). */
async function recordMap(tx: Tx, patientId: string, kinds: readonly RecordKind[], withheld: readonly Sensitivity[]): Promise<RecordMapCell[]> {
  if (kinds.length === 0) return [];
  const parts = kinds.map(
    // occurredAt is UTC in a column without a time zone; Japan has no daylight saving, so +9 h is its
    // local time exactly, independent of the server's TimeZone setting (AT TIME ZONE would read the
    // value as local time and shift it the wrong way).
    (k) => Prisma.sql`SELECT ${k}::text AS kind, "facilityId", to_char("occurredAt" + interval '9 hours', 'YYYY-MM') AS month, count(*)::int AS count
      FROM ${tableOf(k)} WHERE "patientId" = ${patientId} AND NOT ("sensitivity"::text = ANY(${[...withheld]}::text[]))
      GROUP BY 2, 3`,
  );
  // On a small machine PostgreSQL plans this aggregate in parallel, and starting the workers costs
  // several times what they save on one patient's rows (bench: 70 ms → 10 ms on 2 cores).
  await tx.$executeRaw`SET LOCAL max_parallel_workers_per_gather = 0`;
  const rows = await tx.$queryRaw<RecordMapCell[]>(Prisma.sql`${Prisma.join(parts, " UNION ALL ")} ORDER BY 3, 2, 1`);
  return rows.map((r) => ({ ...r, count: Number(r.count) }));
}

/**
 * The first screen of the integrated view, for kinds the actor may see. Each part reads only this
 * patient's rows through the (patientId, occurredAt) indexes; nothing loads the whole record.
 */
export async function readSummary(
  tx: Tx,
  patientId: string,
  kinds: readonly RecordKind[],
  withheld: readonly Sensitivity[],
  today: Date,
  /** the viewer's facility: tests done elsewhere recently are pointed out */
  viewerFacilityId: string,
): Promise<IntegratedSummary> {
  const sees = (k: RecordKind) => kinds.includes(k);
  const hide = notWithheld(withheld);
  const todayIso = isoDate(today);

  // The active conditions serve both the problem list and the banner's infections: read them once.
  const conditions = sees("condition") ? await tx.condition.findMany({ where: { patientId, endedAt: null, ...hide }, orderBy: [{ major: "desc" }, { occurredAt: "desc" }, { id: "asc" }] }) : [];
  const [{ banner, drugAllergies }, medRows, recentElsewhere] = await Promise.all([
    readBanner(tx, patientId, kinds, withheld, conditions),
    sees("prescription") ? readMedRows(tx, patientId, new Date(today.getTime() - MEDICATION_LOOKBACK_DAYS * 86_400_000), withheld) : Promise.resolve([]),
    readRecentElsewhere(tx, patientId, kinds, withheld, viewerFacilityId, today),
  ]);
  const medications = currentMedications(medRows, todayIso);

  let latestCheckup: CheckupSummary | null = null;
  if (sees("checkup")) {
    const c = await tx.checkup.findFirst({ where: { patientId, ...hide }, orderBy: [{ occurredAt: "desc" }, { id: "desc" }], include: { items: { orderBy: { code: "asc" } } } });
    if (c) {
      latestCheckup = {
        id: c.id,
        occurredAt: c.occurredAt.toISOString(),
        facilityId: c.facilityId,
        programme: c.programme,
        items: c.items.map((i) => ({
          code: i.code,
          display: i.display,
          value: i.valueNumeric !== null ? String(i.valueNumeric) : (i.valueText ?? "—"),
          unit: i.unit,
          flag: i.flag && i.flag !== "N" ? i.flag : null,
          range: i.refLow !== null || i.refHigh !== null ? `${i.refLow ?? ""}–${i.refHigh ?? ""}` : null,
        })),
      };
    }
  }

  return {
    banner,
    problems: conditions.map((c) => ({
      id: c.id,
      display: c.display,
      icd10: c.icd10,
      code: c.code,
      codeSystem: c.codeSystem,
      since: c.occurredAt.toISOString(),
      suspected: c.suspected,
      major: c.major,
      facilityId: c.facilityId,
    })),
    medications,
    duplicates: duplicateTherapy(medications),
    conflicts: allergyConflicts(medications, drugAllergies),
    latestCheckup,
    recentElsewhere,
    map: await recordMap(tx, patientId, kinds, withheld),
  };
}
