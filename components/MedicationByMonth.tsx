import type { MonthGroup } from "@/lib/record";
import type { Messages } from "@/lib/i18n/messages";
import { supplyAmount } from "@/lib/format/medication";

/**
 * The medication history laid out as the オンライン資格確認 薬剤情報 screen lays it out, which pharmacists
 * and doctors already read daily: a block per dispensing month, a group per pharmacy, the prescriber on
 * every line.
 */
export function MedicationByMonth({ months, facilities, t }: { months: MonthGroup[]; facilities: Record<string, string>; t: Messages }) {
  if (months.length === 0) return null;
  const name = (f: string | null) => (f ? (facilities[f] ?? f) : null);
  return (
    <section aria-labelledby="bymonth-title" className="rounded-lg border border-slate-300 bg-white p-3" data-testid="med-by-month">
      <h2 id="bymonth-title" className="text-base font-semibold">
        {t.meds.byMonthTitle}
      </h2>
      <p className="text-xs text-slate-700">{t.meds.byMonthNote}</p>
      {months.map((m) => (
        <section key={m.month} aria-labelledby={`month-${m.month}`} className="mt-3" data-month={m.month}>
          <h3 id={`month-${m.month}`} className="border-b border-slate-400 font-mono font-semibold">
            {m.month}
          </h3>
          {m.groups.map((g) => (
            <div key={`${g.kind}|${g.facilityId}`} className="mt-1 pl-2" data-pharmacy={g.facilityId}>
              <h4 className="font-semibold text-slate-900">
                {name(g.facilityId)}
                {g.kind === "PRESCRIPTION_ONLY" ? <span className="text-sm font-normal text-slate-700">{t.meds.prescriptionOnly}</span> : null}
              </h4>
              <div className="overflow-x-auto">
                <table className="w-full text-sm">
                  <thead className="text-left text-slate-700">
                    <tr>
                      <th className="py-0.5 pr-2 font-semibold">{t.meds.dateCol}</th>
                      <th className="py-0.5 pr-2 font-semibold">{t.meds.drug}</th>
                      <th className="py-0.5 pr-2 font-semibold">{t.meds.usage}</th>
                      <th className="py-0.5 pr-2 font-semibold">{t.meds.days}</th>
                      <th className="py-0.5 font-semibold">{t.meds.prescriberCol}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {g.items.map((i) => (
                      <tr key={i.id} className="border-t border-slate-200 align-top">
                        <td className="whitespace-nowrap py-0.5 pr-2 font-mono">{i.date}</td>
                        <td className="py-0.5 pr-2">
                          {i.display}
                          {i.dose ? ` ${i.dose}` : ""}
                        </td>
                        <td className="py-0.5 pr-2">{i.usageText ?? t.dash}</td>
                        <td className="whitespace-nowrap py-0.5 pr-2">{supplyAmount(i, t) ?? t.dash}</td>
                        <td className="py-0.5">{[name(i.prescriberFacilityId), i.prescriberName].filter(Boolean).join(" ") || t.dash}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </div>
          ))}
        </section>
      ))}
    </section>
  );
}
