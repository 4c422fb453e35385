"use client";

import { useActionState } from "react";
import { acknowledgeWarningAction, type AcknowledgeState } from "@/app/actions/acknowledge";
import { messages, type Locale } from "@/lib/i18n/messages";
import { isoDate, isoDateTime } from "@/lib/format/dates";
import { LAB_BY_CODE, measuredText } from "@/lib/interop/codes";
import type { CheckedInteraction, MedicationChecks } from "@/lib/record";

const SEVERITY_STYLE: Record<string, string> = {
  contraindicated: "border-red-700 bg-red-50 text-red-950",
  avoid: "border-orange-600 bg-orange-50 text-orange-950",
  caution: "border-amber-500 bg-amber-50 text-amber-950",
};

/** The form that marks one warning as handled, with a short reason; the action decides and audits. */
function AcknowledgeForm({ patientId, w, locale }: { patientId: string; w: CheckedInteraction; locale: Locale }) {
  const t = messages[locale].checks;
  const [state, act, pending] = useActionState<AcknowledgeState, FormData>(acknowledgeWarningAction, {});
  const id = `ack-${w.key.replace(/[^A-Za-z0-9]/g, "-")}`;
  const error = state.errors?.reason ?? state.errors?.warningKey ?? state.errors?.form;
  const errorText = error ? (t.errors[error] ?? messages[locale].denied.reasons[error] ?? error) : null;
  return (
    <form action={act} className="mt-2 flex flex-wrap items-end gap-2 text-sm">
      <input type="hidden" name="patientId" value={patientId} />
      <input type="hidden" name="warningKey" value={w.key} />
      <label htmlFor={id} className="flex flex-col">
        {t.reasonLabel}
        <input id={id} name="reason" required minLength={2} maxLength={200} aria-invalid={error ? true : undefined} aria-describedby={error ? `${id}-error` : undefined} className="mt-1 w-72 max-w-full rounded border border-slate-500 bg-white px-2 py-1" />
      </label>
      <button type="submit" disabled={pending} className="rounded bg-blue-700 px-3 py-1.5 font-semibold text-white hover:bg-blue-800 disabled:opacity-60">
        {t.submit}
      </button>
      {errorText && (
        <p id={`${id}-error`} role="alert" className="w-full font-semibold text-red-800">
          {errorText}
        </p>
      )}
      {state.done && (
        <p role="status" className="w-full text-emerald-900">
          {t.saved}
        </p>
      )}
    </form>
  );
}

/**
 * The sourced interaction and renal checks: each warning with its severity, the drugs (and who
 * prescribed and dispensed them), the lab value it used, its source, and whether someone already
 * checked it. What could not be checked is said, and so is how far the checks go.
 */
export function InteractionChecks({ checks, patientId, facilities, locale }: { checks: MedicationChecks; patientId: string; facilities: Record<string, string>; locale: Locale }) {
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
                <li key={d.key}>{t.drugLine(d.display, names(d.prescribers), names(d.pharmacies), d.lastIssued)}</li>
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
            {w.acknowledged ? (
              <p className="mt-1 font-semibold text-emerald-900" data-testid="acknowledged">
                ✓ {t.acknowledged(w.acknowledged.userName, facilities[w.acknowledged.facilityId] ?? w.acknowledged.facilityId, isoDateTime(w.acknowledged.at))}: {w.acknowledged.reason}
              </p>
            ) : (
              checks.mayAcknowledge && <AcknowledgeForm patientId={patientId} w={w} locale={locale} />
            )}
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
