import Link from "next/link";
import type { ReactNode } from "react";
import type { Dashboard } from "@/lib/network";
import type { Messages } from "@/lib/i18n/messages";
import { CHART_COLOURS } from "./chart-colours";
import { DashboardChart, type ChartSeries } from "./DashboardChart";
import { DashboardTable, type DashboardRow } from "./DashboardTable";

const BLUE = CHART_COLOURS[0];
const RED = CHART_COLOURS[1];
const GREEN = CHART_COLOURS[2];
const VIOLET = CHART_COLOURS[3];
/** "waiting" and "warning" beside red: yellow-brown tells itself apart from red better than orange does (4.9:1 on white) */
const AMBER = "#a16207";

/** One chart with its table: side by side on a wide screen, the table under the chart on a phone. */
function Panel({ id, title, note, children }: { id: string; title: string; note?: ReactNode; children: ReactNode }) {
  return (
    <section aria-labelledby={id} className="min-w-0 space-y-2 rounded-lg border border-slate-300 bg-white p-4" data-testid={id}>
      <h2 id={id} className="text-lg font-semibold">
        {title}
      </h2>
      {note}
      <div className="grid min-w-0 gap-4 lg:grid-cols-2">{children}</div>
    </section>
  );
}

/** Days and weeks newest first in the tables (what an administrator looks for first); the charts run left to right in time. */
const newestFirst = <T,>(rows: readonly T[]) => [...rows].reverse();
const sum = (ns: readonly number[]) => ns.reduce((a, b) => a + b, 0);

/**
 * The network administrator's dashboard: each chart with its numbers as a table. Anonymous counts
 * only (lib/network getDashboard reads nothing else); every date is a calendar day in Japan.
 */
export function DashboardView({ d, t }: { d: Dashboard; t: Messages }) {
  const m = t.dashboard;
  const reviewDueDays = d.reviewDueDays;
  const f = t.facilities;
  const table = (title: string, columns: readonly string[], rows: readonly DashboardRow[]) => <DashboardTable label={m.tableOf(title)} columns={columns} rows={rows} dash={t.dash} />;
  const chart = (title: string, data: Record<string, string | number>[], x: string, series: ChartSeries[], opts: { stacked?: boolean; dates?: boolean } = {}) => (
    <DashboardChart label={m.chartOf(title)} data={data} x={x} series={series} {...opts} />
  );

  const kinds = d.facilities.map((k) => ({ ...k, name: f.kinds[k.kind] ?? k.kind }));
  const totals = (["total", "discloses", "views", "breakGlass", "suspended"] as const).map((c) => sum(d.facilities.map((k) => k[c])));
  const professions = d.users.map((u) => ({ ...u, name: t.admin.professions[u.profession] ?? u.profession }));
  const reasonName = (r: string) => m.reasons[r] ?? r;
  const refusalSeries = d.refusalReasons.map((r, i) => ({ key: r, label: reasonName(r), colour: CHART_COLOURS[i % CHART_COLOURS.length]! }));
  const weeks = d.breakGlass.map((w) => ({ week: w.week, reviewed: w.granted - w.unreviewed, waiting: w.unreviewed - w.overdue, overdue: w.overdue }));
  const queue = d.breakGlassUnreviewed;

  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-bold">{m.title}</h1>
      <p className="text-sm text-slate-700">{m.intro(d.days[0]!, d.today)}</p>

      <Panel id="dash-facilities" title={m.facilitiesTitle} note={<p className="text-sm">{m.facilitiesSuspended(totals[4]!)}</p>}>
        {chart(m.facilitiesTitle, kinds.map((k) => ({ name: k.name, discloses: k.discloses, views: k.views, breakGlass: k.breakGlass, suspended: k.suspended })), "name", [
          { key: "discloses", label: f.roles.DISCLOSES!, colour: BLUE },
          { key: "views", label: f.roles.VIEWS!, colour: GREEN },
          { key: "breakGlass", label: f.roles.BREAK_GLASS!, colour: VIOLET },
          { key: "suspended", label: m.suspended, colour: RED },
        ])}
        {table(m.facilitiesTitle, [m.kind, m.facilityCount, f.roles.DISCLOSES!, f.roles.VIEWS!, f.roles.BREAK_GLASS!, m.suspended], [
          ...kinds.map((k) => ({ key: k.kind, head: k.name, cells: [k.total, k.discloses, k.views, k.breakGlass, k.suspended] })),
          { key: "total", head: m.total, cells: totals },
        ])}
      </Panel>

      <Panel id="dash-users" title={m.usersTitle} note={<p className="text-sm">{m.usersAtSuspended(d.usersAtSuspendedFacilities)}</p>}>
        {chart(m.usersTitle, professions.map((p) => ({ name: p.name, active: p.active, locked: p.locked, unchecked: p.licenceUnchecked ?? 0 })), "name", [
          { key: "active", label: m.activeUsers, colour: BLUE },
          { key: "locked", label: m.locked, colour: RED },
          { key: "unchecked", label: m.licenceUnchecked, colour: AMBER },
        ])}
        {table(m.usersTitle, [m.profession, m.activeUsers, m.locked, m.licenceUnchecked], professions.map((p) => ({ key: p.profession, head: p.name, cells: [p.active, p.locked, p.licenceUnchecked] })))}
      </Panel>

      <Panel id="dash-views" title={m.viewsTitle} note={<p className="text-sm text-slate-700">{m.viewsNote}</p>}>
        {chart(m.viewsTitle, d.recordViews, "day", [
          { key: "treatment", label: m.treatment, colour: BLUE },
          { key: "emergency", label: m.emergency, colour: RED },
        ], { stacked: true, dates: true })}
        {table(m.viewsTitle, [m.day, m.treatment, m.emergency, m.total], newestFirst(d.recordViews).map((v) => ({ key: v.day, head: v.day, cells: [v.treatment, v.emergency, v.treatment + v.emergency] })))}
      </Panel>

      <Panel id="dash-refusals" title={m.refusalsTitle}>
        {d.refusalReasons.length === 0 ? (
          <p>{m.refusalsNone}</p>
        ) : (
          <>
            {chart(m.refusalsTitle, d.refusals.map((r) => ({ day: r.day, ...r.reasons })), "day", refusalSeries, { stacked: true, dates: true })}
            {table(m.refusalsTitle, [m.day, ...d.refusalReasons.map(reasonName), m.total], newestFirst(d.refusals).map((r) => ({ key: r.day, head: r.day, cells: [...d.refusalReasons.map((k) => r.reasons[k] ?? 0), sum(Object.values(r.reasons))] })))}
          </>
        )}
      </Panel>

      <Panel
        id="dash-break-glass"
        title={m.breakGlassTitle}
        note={
          <p className={`text-sm ${queue.overdue > 0 ? "rounded border border-red-700 bg-red-50 p-2 font-semibold text-red-900" : ""}`} data-testid="break-glass-queue">
            {m.breakGlassQueue(queue.total, queue.overdue, reviewDueDays)}{" "}
            <Link href="/admin/break-glass" className="text-blue-800 underline">
              {m.breakGlassReview}
            </Link>
          </p>
        }
      >
        {chart(m.breakGlassTitle, weeks, "week", [
          { key: "reviewed", label: m.reviewed, colour: GREEN },
          { key: "waiting", label: m.unreviewed, colour: AMBER },
          { key: "overdue", label: m.overdue(reviewDueDays), colour: RED },
        ], { stacked: true, dates: true })}
        {table(m.breakGlassTitle, [m.week, m.granted, m.reviewed, m.unreviewed, m.overdue(reviewDueDays)], newestFirst(d.breakGlass).map((w) => ({ key: w.week, head: w.week, cells: [w.granted, w.granted - w.unreviewed, w.unreviewed, w.overdue], alert: w.overdue > 0 })))}
      </Panel>

      <Panel id="dash-imports" title={m.importsTitle}>
        {chart(m.importsTitle, d.imports, "day", [
          { key: "runs", label: m.runs, colour: BLUE },
          { key: "rejected", label: m.rejected, colour: RED },
          { key: "warnings", label: m.warnings, colour: AMBER },
        ], { dates: true })}
        {table(m.importsTitle, [m.day, m.runs, m.rejected, m.warnings], newestFirst(d.imports).map((i) => ({ key: i.day, head: i.day, cells: [i.runs, i.rejected, i.warnings] })))}
      </Panel>

      <section aria-labelledby="dash-identity" className="rounded-lg border border-slate-300 bg-white p-4" data-testid="dash-identity">
        <h2 id="dash-identity" className="text-lg font-semibold">
          {m.identityTitle}
        </h2>
        <p className="mt-1">
          <span className={d.identityPending > 0 ? "font-semibold" : ""}>{m.identityPending(d.identityPending)}</span>{" "}
          <Link href="/admin/identity" className="text-blue-800 underline">
            {m.identityReview}
          </Link>
        </p>
      </section>
    </div>
  );
}
