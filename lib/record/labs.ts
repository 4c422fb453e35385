import { z } from "zod";
import { Prisma } from "../db/generated/client";
import type { Tx } from "../db/client";
import type { Actor } from "../auth/actor";
import type { Sensitivity, Withheld } from "../access/decide";
import { visibleKinds } from "../access/data-kinds";
import type { RecordKind } from "../format/record-kinds";
import { LAB_BY_CODE, measuredText } from "../terminology/lab-tests";
import { now } from "../clock";
import { isoDate } from "../format/dates";
import { withPatientAccess } from "./guard";
import { InvalidInputError } from "./errors";
import { readBanner, type SafetyBanner } from "./banner";
import { readIdentity, type PatientIdentity } from "./identity";
import { notHidden } from "./tables";
import { rowsFrom, type ReadBatch } from "./read-batch";
import { rangeStatus, type RangeStatus } from "../format/lab-band";
import { inTurn } from "../db/in-turn";
import { readScopeNote, type ScopeNote } from "./scope-note";

/** "Done elsewhere recently" looks back this far: a repeat within it is usually avoidable. */
export const RECENT_TEST_DAYS = 30;
const DAY_MS = 86_400_000;

/**
 * Lab results and 特定健診 items share JLAC10 codes (HbA1c, LDL, …), so a trend draws both: a test is a
 * code, its points come from whichever of the two tables the actor may see.
 */
export interface LabTestOption {
  code: string;
  display: string;
  unit: string | null;
  count: number;
  latestAt: string;
}

export interface LabPoint {
  id: string;
  source: "lab" | "checkup";
  occurredAt: string;
  facilityId: string;
  value: number;
  flag: string | null;
  /** in or out of its own range: the chart's marker and the table's label both show this */
  status: RangeStatus;
  refLow: number | null;
  refHigh: number | null;
}

export interface RecentTest {
  code: string;
  display: string;
  value: string;
  unit: string | null;
  /** H / L / A when out of range, as the summary and the timeline flag it */
  flag: string | null;
  facilityId: string;
  occurredAt: string;
  daysAgo: number;
}

export interface LabTrend {
  patient: PatientIdentity;
  banner: SafetyBanner;
  kinds: RecordKind[];
  withheld: Sensitivity[];
  tests: LabTestOption[];
  /** the test drawn: the requested one, else the most frequent */
  selected: (LabTestOption & { refLow: number | null; refHigh: number | null }) | null;
  points: LabPoint[];
  /** the selected test done at another facility within RECENT_TEST_DAYS */
  recentElsewhere: RecentTest | null;
  /** what the scope leaves out (an emergency-only consent: the lab history), and the emergency lab values it keeps */
  scopeNote: ScopeNote;
}

export interface ObservationFilter {
  code?: string;
  /** any of these codes */
  codes?: readonly string[];
  since?: Date;
  notFacility?: string;
  /** numeric results only (a rule that compares values skips a text result such as 測定不能) */
  numeric?: boolean;
}

/** The optional narrowing, for a table whose code, time and facility live in the given columns. */
function narrow(f: ObservationFilter, cols: { code: Prisma.Sql; at: Prisma.Sql; facility: Prisma.Sql; value: Prisma.Sql }): Prisma.Sql {
  const conds = [
    f.code ? Prisma.sql`AND ${cols.code} = ${f.code}` : null,
    f.codes ? (f.codes.length ? Prisma.sql`AND ${cols.code} IN (${Prisma.join(f.codes)})` : Prisma.sql`AND false`) : null,
    f.since ? Prisma.sql`AND ${cols.at} >= ${f.since}` : null,
    f.notFacility ? Prisma.sql`AND ${cols.facility} <> ${f.notFacility}` : null,
    f.numeric ? Prisma.sql`AND ${cols.value} IS NOT NULL` : null,
  ].filter((c): c is Prisma.Sql => c !== null);
  return conds.length ? Prisma.join(conds, " ") : Prisma.empty;
}

/**
 * The observations (lab results and checkup items) of one patient the actor may see, as one SQL
 * source with the columns the trend needs, narrowed by `f`.
 */
export function observations(patientId: string, kinds: readonly RecordKind[], withheld: Withheld, f: ObservationFilter) {
  const parts: Prisma.Sql[] = [];
  if (kinds.includes("lab")) {
    const cols = { code: Prisma.sql`"code"`, at: Prisma.sql`"occurredAt"`, facility: Prisma.sql`"facilityId"`, value: Prisma.sql`"valueNumeric"` };
    parts.push(Prisma.sql`SELECT 'lab' AS source, "id", "code", "display", "unit", "occurredAt", "facilityId", "valueNumeric" AS value, "valueText" AS text, "flag", "refLow", "refHigh"
      FROM "LabResult" WHERE "patientId" = ${patientId} AND ${notHidden("", withheld)} ${narrow(f, cols)}`);
  }
  if (kinds.includes("checkup")) {
    const cols = { code: Prisma.sql`i."code"`, at: Prisma.sql`c."occurredAt"`, facility: Prisma.sql`c."facilityId"`, value: Prisma.sql`i."valueNumeric"` };
    parts.push(Prisma.sql`SELECT 'checkup' AS source, i."id", i."code", i."display", i."unit", c."occurredAt", c."facilityId", i."valueNumeric" AS value, i."valueText" AS text, i."flag", i."refLow", i."refHigh"
      FROM "CheckupItem" i JOIN "Checkup" c ON c."patientId" = i."patientId" AND c."id" = i."checkupId"
      WHERE i."patientId" = ${patientId} AND c."patientId" = ${patientId} AND ${notHidden("c", withheld)} ${narrow(f, cols)}`);
  }
  return parts.length ? Prisma.join(parts, " UNION ALL ") : null;
}

/** A test's name from the code table, else as its source sent it. */
export const displayOf = (code: string, fallback: string) => LAB_BY_CODE.get(code)?.display ?? fallback;

/** Every numeric test this patient has, most frequent first (the picker). */
async function readLabCatalogue(tx: Tx, patientId: string, kinds: readonly RecordKind[], withheld: Withheld): Promise<LabTestOption[]> {
  const src = observations(patientId, kinds, withheld, {});
  if (!src) return [];
  const rows = await tx.$queryRaw<{ code: string; display: string; unit: string | null; count: number; latest: Date }[]>(
    Prisma.sql`SELECT "code", min("display") AS display, max("unit") AS unit, count(*)::int AS count, max("occurredAt") AS latest
      FROM (${src}) o WHERE value IS NOT NULL GROUP BY "code" ORDER BY count(*) DESC, "code"`,
  );
  return rows.map((r) => ({ code: r.code, display: displayOf(r.code, r.display), unit: r.unit, count: Number(r.count), latestAt: r.latest.toISOString() }));
}

/** A row of observations(). */
export interface ObservationRow {
  source: "lab" | "checkup";
  id: string;
  code: string;
  display: string;
  unit: string | null;
  occurredAt: Date;
  facilityId: string;
  value: number | null;
  text: string | null;
  flag: string | null;
  refLow: number | null;
  refHigh: number | null;
}

/**
 * The latest observation of each code (up to `today`: a result stamped in the future is not "latest"),
 * newest first, among those the actor may see, narrowed by `f`.
 */
export async function readLatestPerCode(
  tx: Tx,
  patientId: string,
  kinds: readonly RecordKind[],
  withheld: Withheld,
  today: Date,
  f: ObservationFilter,
): Promise<ObservationRow[]> {
  const src = observations(patientId, kinds, withheld, f);
  if (!src) return [];
  return tx.$queryRaw<ObservationRow[]>(Prisma.sql`SELECT * FROM (${latestPerCode(src, today)}) latest ORDER BY "occurredAt" DESC, "code"`);
}

/** The latest row of each code of a source, up to `today` (a result stamped in the future is not "latest"). */
const latestPerCode = (src: Prisma.Sql, today: Date) =>
  Prisma.sql`SELECT DISTINCT ON ("code") * FROM (${src}) o WHERE "occurredAt" <= ${today} ORDER BY "code", "occurredAt" DESC, "id"`;

/**
 * Several readLatestPerCode reads of one patient under one decision, in one statement (the 統合ビュー
 * asks for the tests done elsewhere and the renal checks' labs together): each named set's rows as
 * readLatestPerCode gives them.
 */
export async function readLatestPerCodeSets(
  db: Tx | ReadBatch,
  patientId: string,
  kinds: readonly RecordKind[],
  withheld: Withheld,
  today: Date,
  sets: Record<string, ObservationFilter>,
): Promise<Record<string, ObservationRow[]>> {
  const out: Record<string, ObservationRow[]> = Object.fromEntries(Object.keys(sets).map((name) => [name, []]));
  const parts = Object.entries(sets).flatMap(([name, f]) => {
    const src = observations(patientId, kinds, withheld, f);
    return src ? [Prisma.sql`SELECT ${name}::text AS "set", latest.* FROM (${latestPerCode(src, today)}) latest`] : [];
  });
  if (parts.length === 0) return out;
  const rows = await rowsFrom<ObservationRow & { set: string }>(db, Prisma.sql`SELECT * FROM (${Prisma.join(parts, " UNION ALL ")}) s ORDER BY "set", "occurredAt" DESC, "code"`, {
    dates: ["occurredAt"],
    numbers: ["value", "refLow", "refHigh"],
    order: `x."set", x."occurredAt" DESC, x.code`,
  });
  for (const { set, ...row } of rows) out[set]!.push(row);
  return out;
}

/** What "done elsewhere" asks of readLatestPerCode: another facility than the viewer's, in the last RECENT_TEST_DAYS days. */
export const recentElsewhereFilter = (viewerFacilityId: string, today: Date, code?: string): ObservationFilter => ({
  code,
  since: new Date(today.getTime() - RECENT_TEST_DAYS * DAY_MS),
  notFacility: viewerFacilityId,
});

/**
 * Tests done at another facility in the last RECENT_TEST_DAYS days: the latest per code, newest first.
 * "Another" is relative to the viewer, who is the one about to order.
 */
export async function readRecentElsewhere(
  tx: Tx,
  patientId: string,
  kinds: readonly RecordKind[],
  withheld: Withheld,
  viewerFacilityId: string,
  today: Date,
  code?: string,
): Promise<RecentTest[]> {
  return recentTests(await readLatestPerCode(tx, patientId, kinds, withheld, today, recentElsewhereFilter(viewerFacilityId, today, code)), today);
}

/** The rows of recentElsewhereFilter as the screens show them. */
export function recentTests(rows: readonly ObservationRow[], today: Date): RecentTest[] {
  return rows.map((r) => ({
    code: r.code,
    display: displayOf(r.code, r.display),
    value: measuredText(r.code, r.value, r.text),
    unit: r.unit,
    flag: r.flag && r.flag !== "N" ? r.flag : null,
    facilityId: r.facilityId,
    occurredAt: r.occurredAt.toISOString(),
    // calendar days in Japan, as a clinician counts them: a test on 11-20 is 13 days before 12-03,
    // whatever the hours (elapsed 24-hour periods said 12)
    daysAgo: Math.max(0, (Date.parse(isoDate(today)) - Date.parse(isoDate(r.occurredAt))) / DAY_MS),
  }));
}

const trendInput = z.object({ code: z.preprocess((v) => (v === "" ? undefined : v), z.string().regex(/^[0-9A-Za-z.\-]{1,40}$/).optional()) });

/** The lab-trend page: the picker, the chosen test's points across facilities, and any recent repeat. */
export async function getLabTrend(actor: Actor, patientId: string, input: unknown = {}): Promise<LabTrend> {
  const parsed = trendInput.safeParse(input);
  if (!parsed.success) throw new InvalidInputError("code", "invalid test code");
  const requested = parsed.data.code;
  return withPatientAccess(actor, patientId, "TREATMENT", {
    replica: true,
    action: "RECORD_VIEW",
    what: "lab-trend",
    detail: { code: requested ?? null },
    read: async (tx, decision) => {
      const kinds = visibleKinds(actor.profession, decision.scope);
      const today = now();
      const [patient, { banner }, tests, scopeNote] = await inTurn(
        () => readIdentity(tx, patientId, { facilityId: actor.facilityId, kinds, withheld: decision.withheld }),
        () => readBanner(tx, patientId, kinds, decision.withheld),
        () => readLabCatalogue(tx, patientId, kinds, decision.withheld),
        () => readScopeNote(tx, actor, patientId, decision, today));
      const chosen = tests.find((t) => t.code === requested) ?? (requested ? undefined : tests[0]);
      if (!chosen) return { patient, banner, kinds, withheld: [...decision.withheld.categories], tests, selected: null, points: [], recentElsewhere: null, scopeNote };
      const src = observations(patientId, kinds, decision.withheld, { code: chosen.code })!;
      const [rows, recent] = await inTurn(
        () => tx.$queryRaw<ObservationRow[]>(Prisma.sql`SELECT * FROM (${src}) o WHERE value IS NOT NULL ORDER BY "occurredAt", "id"`),
        () => readRecentElsewhere(tx, patientId, kinds, decision.withheld, actor.facilityId, today, chosen.code));
      // The band drawn is the latest result's own range: ranges differ between laboratories.
      const last = rows.at(-1);
      return {
        patient,
        banner,
        kinds,
        withheld: [...decision.withheld.categories],
        tests,
        selected: { ...chosen, refLow: last?.refLow ?? null, refHigh: last?.refHigh ?? null },
        points: rows.map((r) => ({
          id: r.id,
          source: r.source,
          occurredAt: r.occurredAt.toISOString(),
          facilityId: r.facilityId,
          value: Number(r.value),
          flag: r.flag && r.flag !== "N" ? r.flag : null,
          status: rangeStatus(Number(r.value), r.flag, r.refLow, r.refHigh),
          refLow: r.refLow,
          refHigh: r.refHigh,
        })),
        recentElsewhere: recent[0] ?? null,
        scopeNote,
      };
    },
  });
}
