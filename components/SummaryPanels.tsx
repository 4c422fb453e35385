import Link from "next/link";
import type { IntegratedSummary } from "@/lib/record";
import type { MedLine } from "@/lib/record/medication";
import type { Locale, Messages } from "@/lib/i18n/messages";
import { isoDate, preciseDate } from "@/lib/format/dates";
import { isWarningFlag } from "@/lib/format/lab-band";
import { MedicationWarnings } from "./MedicationWarnings";
import { UninformedMark } from "./UninformedMark";
import { InteractionChecks } from "./InteractionChecks";
import { AsNeededList } from "./AsNeeded";

type Names = Record<string, string>;

function Panel({ id, title, children }: { id: string; title: string; children: React.ReactNode }) {
  return (
    <section aria-labelledby={id} className="rounded-lg border border-slate-300 bg-white">
      <h2 id={id} className="border-b border-slate-300 px-3 py-2 text-base font-semibold">
        {title}
      </h2>
      <div className="p-3">{children}</div>
    </section>
  );
}

export function ProblemList({ problems, facilities, t }: { problems: IntegratedSummary["problems"]; facilities: Names; t: Messages }) {
  return (
    <Panel id="problems-title" title={t.summary.problems}>
      {problems.length === 0 ? (
        <p className="text-slate-700">{t.summary.noneRecorded}</p>
      ) : (
        <ul className="space-y-1" data-testid="problems">
          {problems.map((p) => (
            <li key={p.id} className="flex flex-wrap items-baseline gap-x-2">
              <span className={`font-medium ${p.major ? "font-bold" : ""}`}>{p.display}</span>
              {p.suspected && <span className="rounded border border-amber-600 px-1 text-xs text-amber-900">{t.patient.tag.SUSPECTED}</span>}
              {p.major && <span className="rounded bg-slate-200 px-1 text-xs text-slate-900">{t.patient.detail.major}</span>}
              {p.uninformed && <UninformedMark t={t} />}
              <span className="text-xs text-slate-700">
                {[p.icd10, p.sincePrecision === "NONE" ? t.summary.onsetUnknown : t.summary.since(preciseDate(p.since, p.sincePrecision, t.summary.onsetUnknown)), t.list(p.facilityIds.map((id) => facilities[id] ?? id))].filter(Boolean).join(" · ")}
              </span>
            </li>
          ))}
        </ul>
      )}
    </Panel>
  );
}

export function CurrentMedications({ summary, facilities, t, patientId, partial, locale }: { summary: Pick<IntegratedSummary, "asNeeded" | "duplicates" | "conflicts" | "checks"> & { medications: MedLine[] }; facilities: Names; t: Messages; patientId: string; partial: boolean; locale: Locale }) {
  const names = (ids: string[]) => t.list(ids.map((id) => facilities[id] ?? id));
  const stripsHref = `/patients/${encodeURIComponent(patientId)}/medications`;
  return (
    <Panel id="meds-title" title={t.summary.currentMeds}>
      <MedicationWarnings duplicates={summary.duplicates} conflicts={summary.conflicts} facilities={facilities} t={t} stripsHref={stripsHref} partial={partial} ack={{ patientId, checks: summary.checks, locale }} />
      <InteractionChecks checks={summary.checks} patientId={patientId} facilities={facilities} locale={locale} stripsHref={stripsHref} />
      {summary.medications.length === 0 ? (
        <p className="text-slate-700">{t.summary.noneRecorded}</p>
      ) : (
        <table className="med-table w-full text-sm" data-testid="current-meds">
          <thead className="text-left text-slate-700">
            <tr>
              <th className="py-1 pr-2 font-semibold">{t.summary.drug}</th>
              <th className="py-1 pr-2 font-semibold">{t.summary.usage}</th>
              <th className="py-1 pr-2 font-semibold">{t.summary.until}</th>
              <th className="py-1 font-semibold">{t.summary.source}</th>
            </tr>
          </thead>
          <tbody>
            {summary.medications.map((m) => (
              <tr key={m.key}>
                <td>{m.display}</td>
                <td>{[m.dose, m.usageText].filter(Boolean).join(" ") || t.dash}</td>
                <td>{m.supplyEnd}</td>
                <td>{[names(m.prescribers), names(m.pharmacies)].filter(Boolean).join(" → ")}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <AsNeededList meds={summary.asNeeded} facilities={facilities} t={t} stripsHref={stripsHref} />
    </Panel>
  );
}

export function LatestCheckup({ checkup, facilities, t }: { checkup: IntegratedSummary["latestCheckup"]; facilities: Names; t: Messages; locale: Locale }) {
  return (
    <Panel id="checkup-title" title={t.summary.latestCheckup}>
      {!checkup ? (
        <p className="text-slate-700">{t.summary.noneRecorded}</p>
      ) : (
        <>
          <p className="mb-2 text-sm text-slate-700">
            {isoDate(checkup.occurredAt)} · {checkup.programme} · {facilities[checkup.facilityId] ?? checkup.facilityId}
          </p>
          <table className="ck-table w-full text-sm" data-testid="latest-checkup">
            <tbody>
              {checkup.items.map((i) => (
                <tr key={i.code} className={isWarningFlag(i.flag) ? "hi" : undefined}>
                  <th scope="row">{i.display}</th>
                  <td>
                    {i.value}
                    {i.unit ? ` ${i.unit}` : ""}
                  </td>
                  <td>
                    {i.flag ? <span className={isWarningFlag(i.flag) ? "text-red-800" : undefined}>{t.patient.tag[i.flag] ?? i.flag}</span> : null}
                    {i.range ? <span className="rg">({i.range})</span> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </Panel>
  );
}

/** Tests another facility did in the last 30 days: the doctor about to order one sees it first. */
export function RecentTestsElsewhere({ tests, facilities, t, patientId }: { tests: IntegratedSummary["recentElsewhere"]; facilities: Names; t: Messages; patientId: string }) {
  if (tests.length === 0) return null;
  return (
    <Panel id="recent-title" title={t.labs.recentTitle}>
      <ul className="space-y-1 text-sm" data-testid="recent-elsewhere">
        {tests.map((r) => (
          <li key={r.code}>
            <Link href={`/patients/${encodeURIComponent(patientId)}/labs?code=${encodeURIComponent(r.code)}`} className="text-blue-800 underline">
              {t.labs.recent(r.display, `${r.value}${r.unit ? ` ${r.unit}` : ""}${r.flag ? ` (${t.patient.tag[r.flag] ?? r.flag})` : ""}`, facilities[r.facilityId] ?? r.facilityId, r.daysAgo)}
            </Link>
          </li>
        ))}
      </ul>
    </Panel>
  );
}
