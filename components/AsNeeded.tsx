import type { AsNeededMed } from "@/lib/record";
import type { Messages } from "@/lib/i18n/messages";

/**
 * In place of an end date for a 頓用 (as-needed) medicine: its doses are kept for when needed, so no end
 * follows from the amount. `since` is the day it was last issued.
 */
export function AsNeeded({ since, t }: { since?: string; t: Messages }) {
  return (
    <span className="whitespace-nowrap">
      <span className="rounded border border-amber-600 px-1 font-sans text-xs text-amber-900">{t.meds.asNeeded}</span>
      {since ? <span className="ml-1">{t.meds.prnSince(since)}</span> : null}
    </span>
  );
}

/**
 * 頓用 drugs of the past year, apart from the current medicines: a nitroglycerin kept for chest pain
 * must stay in sight, but it is not a supply running today. Each names its last dispense (or, with no
 * dispense visible, its last prescription) and links to its strip on the medication page.
 */
export function AsNeededList({ meds, facilities, t, stripsHref = "" }: { meds: AsNeededMed[]; facilities: Record<string, string>; t: Messages; stripsHref?: string }) {
  if (meds.length === 0) return null;
  const names = (ids: string[]) => t.list(ids.map((id) => facilities[id] ?? id));
  return (
    <section aria-labelledby="prn-title" className="mt-3">
      <h3 id="prn-title" className="text-sm font-semibold">
        {t.meds.asNeededTitle}
      </h3>
      <p className="text-xs text-slate-700">{t.meds.asNeededNote}</p>
      <ul className="mt-1 space-y-1 text-sm" data-testid="as-needed">
        {meds.map((m) => (
          <li key={m.key}>
            <a href={`${stripsHref}#${m.anchor}`} className="font-medium text-blue-800 underline">
              {m.display}
            </a>
            <span className="ml-1">
              <AsNeeded t={t} />
            </span>
            <span className="ml-1">{m.lastDispensed ? t.meds.lastDispensed(m.lastDispensed) : m.lastPrescribed ? t.meds.lastPrescribedOnly(m.lastPrescribed) : null}</span>
            <span className="block text-xs text-slate-700">
              {[[m.dose, m.usageText].filter(Boolean).join(" "), m.prescribers.length ? t.meds.prescribedAt(names(m.prescribers)) : null, m.pharmacies.length ? t.meds.dispensedAt(names(m.pharmacies)) : null]
                .filter(Boolean)
                .join(" · ")}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
