import { requireActor } from "@/lib/auth/actor";
import { getMessages } from "@/lib/i18n/server";
import { accessReportNeedsCard, getAccessReport } from "@/lib/record";
import { AccessReportLookup } from "@/components/AccessReportLookup";
import { dateWithWareki, isoDateTime } from "@/lib/format/dates";
import { PrintButton } from "@/components/PrintButton";
import { readOrExplain } from "../read-or-explain";
import { RecordOnScreen } from "@/components/StaleRecord";
import { titled } from "@/lib/i18n/page-title";

export const generateMetadata = titled((t) => t.report.title);

/** The patient's access report: printable, handed to the patient; staff names only for administrators. */
export default async function AccessReportPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requireActor();
  const { locale, t } = await getMessages();
  const { id } = await params;
  const rt = t.report;
  // printed at the patient's request: the desk identifies them by card first (lib/access/disclosure).
  // Asked before any read, so the card form is not audited as a refused report the patient then reads.
  if (await accessReportNeedsCard(actor, id))
    return (
      <div className="mx-auto max-w-3xl space-y-4">
        <h1 className="text-2xl font-bold">{rt.identifyTitle}</h1>
        <p className="text-slate-800">{rt.identifyIntro}</p>
        <div className="rounded-lg border border-slate-300 bg-white p-4">
          <AccessReportLookup locale={locale} />
        </div>
      </div>
    );
  const r = await readOrExplain(actor, t, () => getAccessReport(actor, id));
  if (!r.ok) return r.screen;
  const { patient: p, entries, withNames, generatedAt } = r.value;
  return (
    <article aria-labelledby="report-title" className="space-y-4 rounded-lg border border-slate-300 bg-white p-6 print:border-0 print:p-0">
      <RecordOnScreen record={`patient:${p.id}`} />
      <div className="flex flex-wrap items-start justify-between gap-2">
        <div>
          <h1 id="report-title" className="text-2xl font-bold">
            {rt.title}
          </h1>
          <p className="mt-1 text-lg">
            {p.familyName} {p.givenName} 様（{p.familyNameKana} {p.givenNameKana}）· {dateWithWareki(p.birthDate, locale)}
          </p>
          <p className="mt-1 text-sm text-slate-700">
            {rt.intro} {!withNames && rt.namesHidden}
          </p>
          <p className="text-sm text-slate-700">
            {rt.generated}: {isoDateTime(generatedAt)}
          </p>
        </div>
        <PrintButton label={rt.print} />
      </div>
      {entries.length === 0 ? (
        <p>{rt.none}</p>
      ) : (
        <table className="w-full text-sm" data-testid="access-report">
          <thead className="text-left text-slate-700">
            <tr>
              <th className="py-1 pr-2 font-semibold">{rt.at}</th>
              <th className="py-1 pr-2 font-semibold">{rt.facility}</th>
              <th className="py-1 pr-2 font-semibold">{rt.profession}</th>
              {withNames && <th className="py-1 pr-2 font-semibold">{rt.name}</th>}
              <th className="py-1 pr-2 font-semibold">{rt.purpose}</th>
              <th className="py-1 pr-2 font-semibold">{rt.what}</th>
              <th className="py-1 font-semibold">{rt.outcome}</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e, i) => (
              <tr key={i} className={`border-t border-slate-200 align-top ${e.outcome === "DENY" ? "bg-amber-50" : ""}`}>
                <td className="py-1 pr-2 font-mono whitespace-nowrap">{isoDateTime(e.at)}</td>
                <td className="py-1 pr-2">{e.facilityName ?? t.dash}</td>
                <td className="py-1 pr-2">{e.profession ? (rt.professions[e.profession] ?? e.profession) : t.dash}</td>
                {withNames && <td className="py-1 pr-2">{e.actorName ?? t.dash}</td>}
                <td className="py-1 pr-2">{e.purpose ? (rt.purposes[e.purpose] ?? e.purpose) : t.dash}</td>
                <td className="py-1 pr-2">{rt.actions[e.action] ?? e.action}
                  {/* what was viewed, for views; other actions say it in their own name */}
                  {e.what && e.action.startsWith("RECORD_VIEW") && rt.whats[e.what] ? t.paren(rt.whats[e.what] ?? "") : ""}
                  {/* a scroll through the timeline is one line */}
                  {e.pages > 0 && e.until ? rt.pages(e.pages, isoDateTime(e.until)) : ""}</td>
                <td className="py-1">
                  {rt.outcomes[e.outcome] ?? e.outcome}
                  {e.reason ? `: ${(e.action === "BREAK_GLASS_START" ? t.emergency.reasons[e.reason] : t.denied.reasons[e.reason]) ?? e.reason}` : ""}
                  {e.reasonText ? t.paren(e.reasonText) : ""}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </article>
  );
}
