import Link from "next/link";
import { requireActor } from "@/lib/auth/actor";
import { getMessages } from "@/lib/i18n/server";
import { getLabFlowsheet, facilityDirectory, type FlowsheetCell } from "@/lib/record";
import { now } from "@/lib/clock";
import { PatientFrame } from "@/components/PatientFrame";
import { LabViewSwitch } from "@/components/LabViewSwitch";
import { LabsNoneOrScope } from "@/components/ScopeLimits";
import { readOrExplain } from "../../read-or-explain";
import { titled } from "@/lib/i18n/page-title";

export const generateMetadata = titled((t) => t.labs.flowsheetTitle);

const MARK: Record<string, string> = { high: "▲", low: "▼", abnormal: "◆" };

/** A cell's results: value and mark on one line, the facility under it (a cell must say where it was done). */
function Cell({ cells, facilities, rangeLabel }: { cells: FlowsheetCell[] | undefined; facilities: Record<string, string>; rangeLabel: string }) {
  if (!cells) return <td className="border-l border-slate-200 px-2 py-1 text-center text-slate-500">·</td>;
  return (
    <td className="border-l border-slate-200 px-2 py-1 align-top">
      {cells.map((c, i) => {
        const out = MARK[c.status];
        return (
          <div key={i} data-status={c.status} className={out ? "font-bold text-red-800" : ""}>
            <span className="font-mono">
              {c.value}
              {out ? ` ${out}` : ""}
            </span>
            <span className="block text-xs font-normal text-slate-700">{facilities[c.facilityId] ?? c.facilityId}</span>
            {/* judged by its own range: say which, when it is not the row's */}
            {c.range && (
              <span className="block text-xs font-normal text-slate-700">
                {rangeLabel} {c.range}
              </span>
            )}
          </div>
        );
      })}
    </td>
  );
}

/** 検査結果一覧: every test by day across facilities, grouped by panel, newest day first. */
export default async function LabTablePage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requireActor();
  const { locale, t } = await getMessages();
  const [{ id }, sp] = await Promise.all([params, searchParams]);
  const base = `/patients/${encodeURIComponent(id)}/labs/table`;
  const r = await readOrExplain(actor, t, () => getLabFlowsheet(actor, id, { before: typeof sp.before === "string" ? sp.before : undefined }), base);
  if (!r.ok) return r.screen;
  const v = r.value;
  const facilities = await facilityDirectory();
  return (
    <PatientFrame patient={v.patient} banner={v.banner} kinds={v.kinds} withheld={v.withheld} tab="labs" locale={locale} today={now()}>
      {/* not a landmark of its own: the table's scrolling box below is the one region the title names (axe landmark-unique, review 9) */}
      <section className="rounded-lg border border-slate-300 bg-white p-3">
        <h2 id="flowsheet-title" className="text-lg font-semibold">
          {t.labs.flowsheetTitle}
        </h2>
        <LabViewSwitch patientId={id} active="table" t={t} />
        {v.days.length === 0 ? (
          <LabsNoneOrScope note={v.scopeNote} none={t.labs.flowsheetNone} facilities={facilities} t={t} />
        ) : (
          // A wide table scrolls sideways inside its own box (a phone keeps the page width); the box
          // is focusable so that a keyboard user can scroll it too.
          <div className="mt-3 overflow-x-auto" tabIndex={0} role="region" aria-labelledby="flowsheet-title" data-testid="flowsheet">
            <table className="min-w-max border-collapse text-sm">
              <caption className="mb-1 text-left text-xs text-slate-700">{t.labs.flowsheetCaption}</caption>
              <thead>
                <tr className="bg-slate-100">
                  <th scope="col" className="sticky left-0 bg-slate-100 px-2 py-1 text-left font-semibold">
                    {t.labs.test}
                  </th>
                  {v.days.map((d) => (
                    <th key={d} scope="col" className="border-l border-slate-200 px-2 py-1 font-mono font-semibold">
                      {d}
                    </th>
                  ))}
                </tr>
              </thead>
              {v.panels.map((p) => (
                <tbody key={p.panel} data-panel={p.panel}>
                  <tr>
                    <th scope="colgroup" colSpan={v.days.length + 1} className="bg-white px-2 pt-3 pb-1 text-left font-semibold text-slate-900">
                      {/* the cell spans the table; its text stays at the box's left edge as it scrolls */}
                      <span className="sticky left-2">{t.labs.panels[p.panel] ?? p.panel}</span>
                    </th>
                  </tr>
                  {p.rows.map((row) => (
                    <tr key={row.code} className="border-t border-slate-200" data-code={row.code}>
                      <th scope="row" className="sticky left-0 max-w-48 bg-white px-2 py-1 text-left font-normal">
                        <span className="font-semibold">{row.display}</span>
                        <span className="block text-xs text-slate-700">
                          {row.unit ?? ""}
                          {row.range ? ` ${row.range}` : ""}
                        </span>
                      </th>
                      {v.days.map((d) => (
                        <Cell key={d} cells={row.cells[d]} facilities={facilities} rangeLabel={t.labs.range} />
                      ))}
                    </tr>
                  ))}
                </tbody>
              ))}
            </table>
          </div>
        )}
        <p className="mt-2 flex gap-4 text-sm">
          {sp.before && (
            <Link href={base} className="font-semibold text-blue-800 underline">
              {t.labs.newest}
            </Link>
          )}
          {v.olderBefore && (
            <Link href={`${base}?before=${v.olderBefore}`} className="font-semibold text-blue-800 underline" data-testid="flowsheet-older">
              {t.labs.older}
            </Link>
          )}
        </p>
      </section>
    </PatientFrame>
  );
}
