import { messages, type Locale } from "@/lib/i18n/messages";
import { isoDate } from "@/lib/format/dates";
import { LAB_BY_CODE, measuredText } from "@/lib/terminology/lab-tests";
import type { MedicationChecks } from "@/lib/record";
import { WarningAcknowledgement } from "./WarningAcknowledgement";
import { StripLink } from "./StripLink";

const SEVERITY_STYLE: Record<string, string> = {
  contraindicated: "border-red-700 bg-red-50 text-red-950",
  avoid: "border-orange-600 bg-orange-50 text-orange-950",
  caution: "border-amber-500 bg-amber-50 text-amber-950",
};

/**
 * The sourced interaction and renal checks: each warning with its severity, the drugs (and who
 * prescribed and dispensed them), the lab value it used, its source, and whether someone already
 * checked it. What could not be checked is said, and so is how far the checks go. Each drug links to its
 * strip, as in MedicationWarnings: `stripsHref` is the medication page's path where the checks are
 * shown elsewhere (the 統合ビュー), empty on that page itself.
 */
export function InteractionChecks({ checks, patientId, facilities, locale, stripsHref = "" }: { checks: MedicationChecks; patientId: string; facilities: Record<string, string>; locale: Locale; stripsHref?: string }) {
  const all = messages[locale];
  const t = all.checks;
  const names = (ids: string[]) => all.list(ids.map((f) => facilities[f] ?? f));
  return (
    <section aria-labelledby="checks-title" className="mt-3 space-y-2" data-testid="interaction-checks">
      <h3 id="checks-title" className="font-semibold">
        {t.title}
      </h3>
      {checks.interactions.length === 0 && <p className="text-sm text-slate-800">{t.none}</p>}
      <ul className="space-y-2">
        {checks.interactions.map((w) => (
          <li key={w.key} className={`rounded border-l-4 px-3 py-2 text-sm ${SEVERITY_STYLE[w.severity] ?? ""}`} data-rule={w.rule}>
            <p className="font-semibold">
              <span className="mr-2 rounded border border-current px-1 text-xs">{t.severity[w.severity]}</span>
              {t.rule[w.rule]}
            </p>
            <ul className="mt-1 list-disc pl-5">
              {w.drugs.map((d) => (
                <li key={d.key}>
                  <StripLink display={d.display} anchor={d.anchor} stripsHref={stripsHref} t={all} />
                  {t.drugSources(names(d.prescribers), names(d.pharmacies), d.lastIssued)}
                </li>
              ))}
            </ul>
            {w.lab && (
              <p className="mt-1" data-testid="lab-used">
                {t.labUsed(LAB_BY_CODE.get(w.lab.code)?.display ?? w.lab.code, `${measuredText(w.lab.code, w.lab.value)}${w.lab.unit ? ` ${w.lab.unit}` : ""}`, isoDate(w.lab.occurredAt), facilities[w.lab.facilityId] ?? w.lab.facilityId)}
              </p>
            )}
            <p className="mt-1 text-xs">
              {t.source}: {locale === "ja" ? w.source.ja : w.source.en}
            </p>
            <WarningAcknowledgement patientId={patientId} warningKey={w.key} acknowledged={w.acknowledged} mayAcknowledge={checks.mayAcknowledge} facilities={facilities} locale={locale} />
          </li>
        ))}
      </ul>
      {checks.notChecked.map((n) => (
        <p key={n} className="text-sm font-semibold text-slate-900">
          {t.notChecked[n]}
        </p>
      ))}
      <p className="text-xs text-slate-700">{t.scope}</p>
    </section>
  );
}
