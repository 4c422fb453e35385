"use client";

import { useActionState } from "react";
import { lookupAccessReportAction, type LookupState } from "@/app/actions/access-report";
import { messages, type Locale } from "@/lib/i18n/messages";
import { CardFields, FieldError, fieldAria, inputClass } from "./CardFields";

export function AccessReportLookup({ locale }: { locale: Locale }) {
  const t = messages[locale];
  const [state, action, pending] = useActionState<LookupState, FormData>(lookupAccessReportAction, {});
  return (
    <form action={action} className="space-y-4" noValidate>
      {state.errors?.form && (
        <p role="alert" className="rounded border border-red-600 bg-red-50 px-3 py-2 text-red-900">
          {t.denied.reasons[state.errors.form] ?? state.errors.form}
        </p>
      )}
      <CardFields t={t} errors={state.errors ?? {}} />
      {/* the fourth item on the card: the report opens only when all four match one patient */}
      <label className="flex flex-col text-sm">
        {t.report.insurerNumber}
        <input name="insurerNumber" required inputMode="numeric" autoComplete="off" className={`${inputClass} w-44`} {...fieldAria("insurerNumber", state.errors ?? {})} />
        <FieldError field="insurerNumber" errors={state.errors ?? {}} t={t} />
      </label>
      <button type="submit" disabled={pending} className="rounded bg-blue-700 px-4 py-2 font-semibold text-white hover:bg-blue-800 disabled:opacity-60">
        {t.report.open}
      </button>
    </form>
  );
}
