import Link from "next/link";
import type { Messages } from "@/lib/i18n/messages";
import type { AuditFilterText } from "@/lib/record";
import { FieldError, fieldAria, inputClass } from "./CardFields";

const PURPOSES = ["TREATMENT", "EMERGENCY", "ADMINISTRATION", "PATIENT_REQUEST"] as const;
const OUTCOMES = ["ALLOW", "DENY", "SUCCESS", "FAILURE"] as const;

/**
 * The audit search's filters: an ordinary GET form, so a search is an address the administrator can
 * page, reload and share with the next reviewer (it names no card details: those go by POST).
 */
export function AuditFilters({ t, values, errors, facilities }: { t: Messages; values: AuditFilterText; errors: Record<string, string>; facilities: { id: string; name: string }[] }) {
  const a = t.auditLog;
  const text = (name: "patient" | "user", label: string, hint?: string) => (
    <label className="flex flex-col text-sm">
      {label}
      <input name={name} defaultValue={values[name] ?? ""} autoComplete="off" className={`${inputClass} w-48`} {...fieldAria(name, errors)} {...(hint ? { "aria-describedby": [`${name}-hint`, errors[name] && `${name}-error`].filter(Boolean).join(" ") } : {})} />
      {hint && (
        <span id={`${name}-hint`} className="mt-1 max-w-64 text-xs text-slate-700">
          {hint}
        </span>
      )}
      <FieldError field={name} errors={errors} t={t} texts={{ ...a.errors, ...t.auditOperator.errors }} />
    </label>
  );
  const select = (name: "facility" | "action" | "purpose" | "outcome", label: string, anyLabel: string, options: [string, string][]) => (
    <label className="flex flex-col text-sm">
      {label}
      <select name={name} defaultValue={values[name] ?? ""} className={`${inputClass} max-w-64`} {...fieldAria(name, errors)}>
        <option value="">{anyLabel}</option>
        {options.map(([v, l]) => (
          <option key={v} value={v}>
            {l}
          </option>
        ))}
      </select>
      <FieldError field={name} errors={errors} t={t} texts={a.errors} />
    </label>
  );
  const time = (name: "from" | "to", label: string) => (
    <label className="flex flex-col text-sm">
      {label}
      <input name={name} type="datetime-local" defaultValue={values[name] ?? ""} className={inputClass} {...fieldAria(name, errors)} />
      <FieldError field={name} errors={errors} t={t} texts={a.errors} />
    </label>
  );
  return (
    <form method="get" action="/admin/audit" className="rounded-lg border border-slate-300 bg-white p-4" role="search" aria-label={a.filtersLegend}>
      <fieldset>
        <legend className="px-1 font-semibold">{a.filtersLegend}</legend>
        <div className="mt-2 flex flex-wrap gap-4">
          {text("patient", a.patient)}
          {text("user", a.user, t.auditOperator.hint)}
          {select("facility", a.facility, a.anyFacility, facilities.map((f) => [f.id, `${f.name}${t.paren(f.id)}`]))}
          {select("action", a.action, a.anyAction, Object.entries(a.actions))}
          {select("purpose", a.purpose, a.any, PURPOSES.map((p) => [p, t.report.purposes[p] ?? p]))}
          {select("outcome", a.outcome, a.any, OUTCOMES.map((o) => [o, t.report.outcomes[o] ?? o]))}
          {time("from", a.from)}
          {time("to", a.to)}
        </div>
      </fieldset>
      <div className="mt-3 flex flex-wrap items-center gap-4">
        <button type="submit" className="rounded bg-blue-700 px-4 py-1.5 font-semibold text-white hover:bg-blue-800">
          {a.search}
        </button>
        <Link href="/admin/audit" className="text-sm text-blue-800 underline">
          {a.clear}
        </Link>
      </div>
    </form>
  );
}
