import { Prisma } from "../db/generated/client";
import type { Tx } from "../db/client";
import { jstDaySql, jstWeekSql, storedInstantSql } from "../db/jst-sql";
import { auditActorOf, recordAudit } from "../audit";
import type { Actor } from "../auth/actor";
import { CLINICAL_PROFESSIONS, type Profession } from "../access/decide";
import { isoDate } from "../format/dates";
import { REVIEW_DUE_DAYS } from "../record/break-glass-review";
import { jstDayStart } from "../record/input";
import { FACILITY_KINDS } from "./facility-input";
import { withFacilityAdmin } from "./guard";

/** How far back the daily charts reach, and the weekly one. */
export const DASHBOARD_DAYS = 30;
export const DASHBOARD_WEEKS = 12;

const DAY_MS = 86_400_000;

export interface FacilityKindCount {
  kind: (typeof FACILITY_KINDS)[number];
  total: number;
  discloses: number;
  views: number;
  breakGlass: number;
  suspended: number;
}
export interface ProfessionCount {
  profession: Profession;
  /** active accounts at active facilities */
  active: number;
  /** of those, locked out now */
  locked: number;
  /** of those, a clinician whose licence no administrator has checked yet (null: not a clinical profession) */
  licenceUnchecked: number | null;
}
export interface RefusalDay {
  day: string;
  /** by reason code (the audit event's detail.reason, else its action) */
  reasons: Record<string, number>;
}
export interface BreakGlassWeek {
  /** the Monday (Japan time) that starts the week */
  week: string;
  granted: number;
  unreviewed: number;
  /** unreviewed and older than the review's due days */
  overdue: number;
}

/** The network at a glance: anonymous counts only, never a patient, each day a calendar day in Japan. */
export interface Dashboard {
  today: string;
  days: string[];
  facilities: FacilityKindCount[];
  users: ProfessionCount[];
  /** active accounts whose facility is suspended (they cannot log in until it is reinstated) */
  usersAtSuspendedFacilities: number;
  recordViews: { day: string; treatment: number; emergency: number }[];
  refusalReasons: string[];
  refusals: RefusalDay[];
  breakGlass: BreakGlassWeek[];
  breakGlassUnreviewed: { total: number; overdue: number };
  /** after how many days an unreviewed grant is overdue */
  reviewDueDays: number;
  imports: { day: string; runs: number; rejected: number; warnings: number }[];
  identityPending: number;
}

/** ISO dates from `first`, one step of `stepDays` apart, `count` of them. */
function isoSteps(first: string, count: number, stepDays: number): string[] {
  const start = Date.parse(`${first}T00:00:00Z`);
  return Array.from({ length: count }, (_, i) => new Date(start + i * stepDays * DAY_MS).toISOString().slice(0, 10));
}

/** The last `n` Japanese calendar days up to today, oldest first, and the last `weeks` Mondays. */
function dashboardCalendar(at: Date, n = DASHBOARD_DAYS, weeks = DASHBOARD_WEEKS) {
  const today = isoDate(at);
  const days = isoSteps(isoDate(new Date(at.getTime() - (n - 1) * DAY_MS)), n, 1);
  const weekday = (new Date(`${today}T00:00:00Z`).getUTCDay() + 6) % 7; // Monday 0
  const thisMonday = Date.parse(`${today}T00:00:00Z`) - weekday * DAY_MS;
  const mondays = isoSteps(new Date(thisMonday - (weeks - 1) * 7 * DAY_MS).toISOString().slice(0, 10), weeks, 7);
  return { today, days, mondays };
}

/** Rows by their day or week, for filling every day of the chart (a day without rows is a zero). */
const byKey = <T extends object>(rows: T[], key: (r: T) => string) => new Map(rows.map((r) => [key(r), r]));

async function facilityCounts(tx: Tx): Promise<FacilityKindCount[]> {
  const groups = await tx.facility.groupBy({ by: ["kind", "status", "discloses", "views", "canBreakGlass"], _count: { _all: true } });
  return FACILITY_KINDS.map((kind) => {
    const of = groups.filter((g) => g.kind === kind);
    const sum = (when: (g: (typeof groups)[number]) => boolean) => of.filter(when).reduce((n, g) => n + g._count._all, 0);
    return { kind, total: sum(() => true), discloses: sum((g) => g.discloses), views: sum((g) => g.views), breakGlass: sum((g) => g.canBreakGlass), suspended: sum((g) => g.status === "SUSPENDED") };
  });
}

async function userCounts(tx: Tx, at: Date) {
  const rows = await tx.$queryRaw<{ profession: Profession; suspended: boolean; active: number; locked: number; unchecked: number }[]>(Prisma.sql`
    SELECT u."profession"::text AS profession, f."status" = 'SUSPENDED' AS suspended, COUNT(*)::int AS active,
      COUNT(*) FILTER (WHERE u."lockedUntil" > ${storedInstantSql(at)})::int AS locked,
      COUNT(*) FILTER (WHERE u."credentialVerifiedAt" IS NULL)::int AS unchecked
    FROM "User" u JOIN "Facility" f ON f."id" = u."facilityId"
    WHERE u."active" GROUP BY 1, 2`);
  const order: Profession[] = [...CLINICAL_PROFESSIONS, "CLERK", "ADMIN"];
  const users = order.map((profession): ProfessionCount => {
    const r = rows.find((x) => x.profession === profession && !x.suspended);
    return { profession, active: r?.active ?? 0, locked: r?.locked ?? 0, licenceUnchecked: CLINICAL_PROFESSIONS.includes(profession) ? (r?.unchecked ?? 0) : null };
  });
  return { users, usersAtSuspendedFacilities: rows.filter((r) => r.suspended).reduce((n, r) => n + r.active, 0) };
}

/** The network administrator's dashboard; reading it is audited (an administrator's reads are). */
export async function getDashboard(actor: Actor): Promise<Dashboard> {
  return withFacilityAdmin(actor, {
    kind: "VIEW_DASHBOARD",
    work: async (tx, at) => {
      const { today, days, mondays } = dashboardCalendar(at);
      const from = storedInstantSql(jstDayStart(days[0]!));
      const until = storedInstantSql(new Date(jstDayStart(today).getTime() + DAY_MS));
      const dueBefore = storedInstantSql(new Date(at.getTime() - REVIEW_DUE_DAYS * DAY_MS));
      const day = jstDaySql(Prisma.sql`"at"`);

      const facilities = await facilityCounts(tx);
      const { users, usersAtSuspendedFacilities } = await userCounts(tx, at);
      // every audited read of a record: the 統合ビュー and each of its pages, under consent or a break-glass grant
      const views = await tx.$queryRaw<{ d: string; treatment: number; emergency: number }[]>(Prisma.sql`
        SELECT ${day} AS d, COUNT(*) FILTER (WHERE "purpose" = 'EMERGENCY')::int AS emergency, COUNT(*) FILTER (WHERE "purpose" IS DISTINCT FROM 'EMERGENCY')::int AS treatment
        FROM "AuditEvent" WHERE "action" = 'RECORD_VIEW' AND "outcome" = 'ALLOW' AND "at" >= ${from} AND "at" < ${until} GROUP BY 1`);
      // every refusal the trail holds (records, consent, break-glass, administration, imports), by its reason
      const refused = await tx.$queryRaw<{ d: string; reason: string; n: number }[]>(Prisma.sql`
        SELECT ${day} AS d, COALESCE("detail"->>'reason', "action") AS reason, COUNT(*)::int AS n
        FROM "AuditEvent" WHERE "outcome" = 'DENY' AND "at" >= ${from} AND "at" < ${until} GROUP BY 1, 2`);
      const grants = await tx.$queryRaw<{ w: string; granted: number; unreviewed: number; overdue: number }[]>(Prisma.sql`
        SELECT ${jstWeekSql(Prisma.sql`"startedAt"`)} AS w, COUNT(*)::int AS granted,
          COUNT(*) FILTER (WHERE "reviewedAt" IS NULL)::int AS unreviewed,
          COUNT(*) FILTER (WHERE "reviewedAt" IS NULL AND "startedAt" < ${dueBefore})::int AS overdue
        FROM "BreakGlass" WHERE "startedAt" >= ${storedInstantSql(jstDayStart(mondays[0]!))} AND "startedAt" < ${until} GROUP BY 1`);
      // the whole queue, older grants too: the review has no end date
      const [queue] = await tx.$queryRaw<{ total: number; overdue: number }[]>(Prisma.sql`
        SELECT COUNT(*)::int AS total, COUNT(*) FILTER (WHERE "startedAt" < ${dueBefore})::int AS overdue FROM "BreakGlass" WHERE "reviewedAt" IS NULL`);
      const runs = await tx.$queryRaw<{ d: string; runs: number; rejected: number; warnings: number }[]>(Prisma.sql`
        SELECT ${jstDaySql(Prisma.sql`"startedAt"`)} AS d, COUNT(*)::int AS runs,
          COALESCE(SUM(("counts"->>'rejected')::int), 0)::int AS rejected, COALESCE(SUM("warnings"), 0)::int AS warnings
        FROM "ImportLog" WHERE "startedAt" >= ${from} AND "startedAt" < ${until} GROUP BY 1`);
      const identityPending = await tx.identityCandidate.count({ where: { status: "PENDING" } });

      const viewsOn = byKey(views, (r) => r.d);
      const grantsIn = byKey(grants, (r) => r.w);
      const runsOn = byKey(runs, (r) => r.d);
      const refusalReasons = [...new Set(refused.map((r) => r.reason))].sort();
      await recordAudit(tx, { actor: auditActorOf(actor), action: "DASHBOARD_VIEW", outcome: "SUCCESS", purpose: "ADMINISTRATION", at, detail: { what: "dashboard", from: days[0], to: today } });
      return {
        today,
        days,
        facilities,
        users,
        usersAtSuspendedFacilities,
        recordViews: days.map((d) => ({ day: d, treatment: viewsOn.get(d)?.treatment ?? 0, emergency: viewsOn.get(d)?.emergency ?? 0 })),
        refusalReasons,
        refusals: days.map((d) => ({ day: d, reasons: Object.fromEntries(refused.filter((r) => r.d === d).map((r) => [r.reason, r.n])) })),
        breakGlass: mondays.map((w) => ({ week: w, granted: grantsIn.get(w)?.granted ?? 0, unreviewed: grantsIn.get(w)?.unreviewed ?? 0, overdue: grantsIn.get(w)?.overdue ?? 0 })),
        breakGlassUnreviewed: { total: queue?.total ?? 0, overdue: queue?.overdue ?? 0 },
        reviewDueDays: REVIEW_DUE_DAYS,
        imports: days.map((d) => ({ day: d, runs: runsOn.get(d)?.runs ?? 0, rejected: runsOn.get(d)?.rejected ?? 0, warnings: runsOn.get(d)?.warnings ?? 0 })),
        identityPending,
      };
    },
  });
}
