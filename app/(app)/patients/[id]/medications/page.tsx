import { requireActor } from "@/lib/auth/actor";
import { getMessages } from "@/lib/i18n/server";
import { getMedicationHistory, facilityDirectory, HISTORY_YEARS } from "@/lib/record";
import { now } from "@/lib/clock";
import { PatientFrame } from "@/components/PatientFrame";
import { DrugStrips } from "@/components/DrugStrips";
import { MedicationWarnings } from "@/components/MedicationWarnings";
import { InteractionChecks } from "@/components/InteractionChecks";
import { MedicationByMonth } from "@/components/MedicationByMonth";
import { AsNeeded, AsNeededList } from "@/components/AsNeeded";
import { supplyAmount } from "@/lib/format/medication";
import { readOrExplain } from "../read-or-explain";
import { CodeLabel } from "@/components/CodeLabel";
import { titled } from "@/lib/i18n/page-title";

export const generateMetadata = titled((t) => t.tabs.medications);

/** The pharmacist's page: every prescription and dispense across prescribers and pharmacies. */
export default async function MedicationsPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requireActor();
  const { locale, t } = await getMessages();
  const [{ id }, sp] = await Promise.all([params, searchParams]);
  const r = await readOrExplain(actor, t, () => getMedicationHistory(actor, id, { years: typeof sp.years === "string" ? sp.years : undefined }), `/patients/${encodeURIComponent(id)}/medications`);
  if (!r.ok) return r.screen;
  const v = r.value;
  const facilities = await facilityDirectory();
  const name = (f: string) => facilities[f] ?? f;
  return (
    <PatientFrame patient={v.patient} banner={v.banner} kinds={v.kinds} withheld={v.withheld} tab="medications" locale={locale} today={now()}>
      <div className="flex flex-wrap items-end justify-between gap-2">
        <h2 className="text-lg font-semibold">{t.meds.title}</h2>
        <form method="get" className="flex items-end gap-2 text-sm">
          <label className="flex flex-col">
            {t.meds.period}
            <select name="years" defaultValue={String(v.years)} className="mt-1 rounded border border-slate-400 px-2 py-1">
              {HISTORY_YEARS.map((y) => (
                <option key={y} value={y}>
                  {t.meds.years(y)}
                </option>
              ))}
            </select>
          </label>
          <button type="submit" className="rounded bg-blue-700 px-3 py-1.5 font-semibold text-white hover:bg-blue-800">
            {t.meds.show}
          </button>
        </form>
      </div>
      <MedicationWarnings duplicates={v.duplicates} conflicts={v.conflicts} facilities={facilities} t={t} partial={v.withheld.length > 0} ack={{ patientId: v.patient.id, checks: v.checks, locale }} />
      <InteractionChecks checks={v.checks} patientId={v.patient.id} facilities={facilities} locale={locale} />
      {v.asNeeded.length > 0 && (
        <div className="rounded-lg border border-slate-300 bg-white px-3 pb-3">
          <AsNeededList meds={v.asNeeded} facilities={facilities} t={t} />
        </div>
      )}
      <DrugStrips strips={v.strips} from={v.from} today={v.today} facilities={facilities} t={t} />
      <section aria-labelledby="medtable-title" className="rounded-lg border border-slate-300 bg-white p-3">
        <h2 id="medtable-title" className="text-base font-semibold">
          {t.meds.table}
        </h2>
        {v.rows.length === 0 ? (
          <p className="mt-2 text-slate-700">{t.meds.none}</p>
        ) : (
          <div className="overflow-x-auto">
            <table className="mt-2 w-full text-sm" data-testid="med-history">
              <thead className="text-left text-slate-700">
                <tr>
                  <th className="py-1 pr-2 font-semibold">{t.meds.issued}</th>
                  <th className="py-1 pr-2 font-semibold">{t.meds.kind}</th>
                  <th className="py-1 pr-2 font-semibold">{t.meds.drug}</th>
                  <th className="py-1 pr-2 font-semibold">{t.meds.dose}</th>
                  <th className="py-1 pr-2 font-semibold">{t.meds.usage}</th>
                  <th className="py-1 pr-2 font-semibold">{t.meds.days}</th>
                  <th className="py-1 pr-2 font-semibold">{t.meds.until}</th>
                  <th className="py-1 font-semibold">{t.meds.facility}</th>
                </tr>
              </thead>
              <tbody>
                {v.rows.map((row) => (
                  <tr key={row.id} className={`border-t border-slate-200 align-top ${row.status === "STOPPED" ? "text-slate-600 line-through" : ""}`}>
                    <td className="whitespace-nowrap py-0.5 pr-2 font-mono">{row.issued}</td>
                    <td className="py-0.5 pr-2">
                      {t.patient.tag[row.kind]}
                      {row.status === "STOPPED" ? t.paren(t.patient.tag.STOPPED ?? "") : ""}
                    </td>
                    <td className="py-0.5 pr-2 font-medium">
                      {row.display}
                      <span className="ml-1 text-xs font-normal text-slate-700">
                        <CodeLabel system={row.codeSystem} code={row.code} />
                      </span>
                    </td>
                    <td className="py-0.5 pr-2">{row.dose ?? t.dash}</td>
                    <td className="py-0.5 pr-2">{/* 頓用 said once: many 用法 texts already say it (胸痛発作時 舌下（頓用）) */}
                      {[row.usageText, row.asNeeded && !(row.usageText ?? "").includes("頓用") ? t.meds.asNeeded : null].filter(Boolean).join(" ") || t.dash}</td>
                    <td className="whitespace-nowrap py-0.5 pr-2">{supplyAmount(row, t) ?? t.dash}</td>
                    <td className="whitespace-nowrap py-0.5 pr-2 font-mono">{row.asNeeded ? <AsNeeded t={t} /> : row.supplyEnd}</td>
                    <td className="py-0.5">
                      {name(row.facilityId)}
                      {/* on a dispense row the name is the prescribing doctor, not the pharmacist: say so */}
                      {row.prescriberName ? ` · ${t.meds.prescribedBy(row.prescriberName)}` : ""}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <MedicationByMonth months={v.byMonth} facilities={facilities} t={t} />
    </PatientFrame>
  );
}
