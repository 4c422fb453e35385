import { requireActor } from "@/lib/auth/actor";
import { getMessages } from "@/lib/i18n/server";
import { getLabTrend, facilityDirectory } from "@/lib/record";
import { now } from "@/lib/clock";
import { isoDate } from "@/lib/format/dates";
import { formatRange } from "@/lib/format/range";
import { PatientFrame } from "@/components/PatientFrame";
import { LabTrendChart } from "@/components/LabTrendChart";
import { LabViewSwitch } from "@/components/LabViewSwitch";
import { LabsNoneOrScope } from "@/components/ScopeLimits";
import { readOrExplain } from "../read-or-explain";
import { measuredText } from "@/lib/format/measured";
import { titled } from "@/lib/i18n/page-title";

export const generateMetadata = titled((t) => t.tabs.labs);

const STATUS_TAG: Record<string, string | undefined> = { high: "H", low: "L", abnormal: "A" };

/** Lab trends: one test across every facility, with its reference range, and any recent repeat. */
export default async function LabsPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requireActor();
  const { locale, t } = await getMessages();
  const [{ id }, sp] = await Promise.all([params, searchParams]);
  const r = await readOrExplain(actor, t, () => getLabTrend(actor, id, { code: typeof sp.code === "string" ? sp.code : undefined }), `/patients/${encodeURIComponent(id)}/labs`);
  if (!r.ok) return r.screen;
  const v = r.value;
  const facilities = await facilityDirectory();
  const sel = v.selected;
  const unit = sel?.unit ? ` ${sel.unit}` : "";
  return (
    <PatientFrame patient={v.patient} banner={v.banner} kinds={v.kinds} withheld={v.withheld} tab="labs" locale={locale} today={now()}>
      <section aria-labelledby="labs-title" className="rounded-lg border border-slate-300 bg-white p-3">
        <h2 id="labs-title" className="text-lg font-semibold">
          {t.labs.title}
        </h2>
        <LabViewSwitch patientId={id} active="trend" t={t} />
        {v.tests.length === 0 ? (
          <LabsNoneOrScope note={v.scopeNote} none={t.labs.none} facilities={facilities} t={t} />
        ) : (
          <form method="get" className="mt-2 flex flex-wrap items-end gap-2 text-sm">
            <label className="flex flex-col">
              {t.labs.pick}
              <select name="code" defaultValue={sel?.code ?? ""} className="mt-1 rounded border border-slate-400 px-2 py-1">
                {v.tests.map((x) => (
                  <option key={x.code} value={x.code}>
                    {x.display}
                    {t.labs.count(x.count)}
                  </option>
                ))}
              </select>
            </label>
            <button type="submit" className="rounded bg-blue-700 px-3 py-1.5 font-semibold text-white hover:bg-blue-800">
              {t.labs.show}
            </button>
          </form>
        )}
        {v.tests.length > 0 && !sel && (
          <p role="alert" className="mt-3 text-red-900">
            {t.labs.noSuchTest}
          </p>
        )}
        {sel && (
          <>
            {v.recentElsewhere && (
              <p className="mt-3 rounded border border-amber-500 bg-amber-50 px-3 py-2 font-semibold text-amber-950" data-testid="recent-repeat">
                {t.labs.recent(sel.display, `${v.recentElsewhere.value}${unit}`, facilities[v.recentElsewhere.facilityId] ?? v.recentElsewhere.facilityId, v.recentElsewhere.daysAgo)}
              </p>
            )}
            <h3 className="mt-3 font-semibold">
              {t.labs.chart(sel.display)}
              {sel.refLow !== null || sel.refHigh !== null ? (
                <span className="ml-2 text-sm font-normal text-slate-700">
                  {t.labs.range}: {formatRange(sel.refLow, sel.refHigh)}
                  {unit}
                </span>
              ) : null}
            </h3>
            <LabTrendChart points={v.points} facilities={facilities} unit={sel.unit} refLow={sel.refLow} refHigh={sel.refHigh} label={t.recordScreen.chartName(sel.display, v.points.length, isoDate(v.points[0]?.occurredAt), isoDate(v.points.at(-1)?.occurredAt))} legend={{ band: t.labs.bandLegend, marker: t.labs.marker }} />
            <details className="mt-3">
              <summary className="cursor-pointer text-blue-800">{t.labs.table}</summary>
              <table className="mt-2 w-full text-sm" data-testid="lab-values">
                <thead className="text-left text-slate-700">
                  <tr>
                    <th className="py-1 pr-2 font-semibold">{t.labs.date}</th>
                    <th className="py-1 pr-2 text-right font-semibold">{t.labs.value}</th>
                    <th className="py-1 pr-2 font-semibold">{t.labs.range}</th>
                    <th className="py-1 font-semibold">{t.labs.facility}</th>
                  </tr>
                </thead>
                <tbody>
                  {[...v.points].reverse().map((p) => {
                    // the same status the chart's marker shows, so table and chart never disagree
                    const out = STATUS_TAG[p.status];
                    return (
                    <tr key={`${p.source}:${p.id}`} data-status={p.status} className={`border-t border-slate-200 ${out ? "bg-amber-50 font-semibold" : ""}`}>
                      <td className="py-0.5 pr-2 font-mono">{isoDate(p.occurredAt)}</td>
                      <td className="py-0.5 pr-2 text-right font-mono">
                        {measuredText(sel.code, p.value)}
                        {unit} {out ? <span className="text-red-800">{t.patient.tag[out] ?? out}</span> : null}
                      </td>
                      <td className="py-0.5 pr-2 font-mono text-slate-700">{formatRange(p.refLow, p.refHigh) ?? t.dash}</td>
                      <td className="py-0.5">
                        {facilities[p.facilityId] ?? p.facilityId}（{t.labs.source[p.source]}）
                      </td>
                    </tr>
                    );
                  })}
                </tbody>
              </table>
            </details>
          </>
        )}
      </section>
    </PatientFrame>
  );
}
