"use client";

import { useActionState } from "react";
import { lookupAuditPatientAction, type AuditLookupState } from "@/app/actions/admin-audit";
import { messages, type Locale } from "@/lib/i18n/messages";
import { CardFields } from "./CardFields";

/** The patient whose card is in hand: identified by the four items (by POST, never in the address), then searched by id. */
export function AuditPatientByCard({ locale }: { locale: Locale }) {
  const t = messages[locale];
  const [state, action, pending] = useActionState<AuditLookupState, FormData>(lookupAuditPatientAction, {});
  const errors = state.errors ?? {};
  return (
    <details className="rounded-lg border border-slate-300 bg-white p-4" open={Object.keys(errors).length > 0}>
      <summary className="cursor-pointer font-semibold">{t.auditLog.byCard}</summary>
      <form action={action} className="mt-3 space-y-3" noValidate>
        {errors.form && (
          <p role="alert" className="rounded border border-red-600 bg-red-50 px-3 py-2 text-red-900">
            {t.denied.reasons[errors.form] ?? errors.form}
          </p>
        )}
        <CardFields t={t} errors={errors} />
        <button type="submit" disabled={pending} className="rounded bg-blue-700 px-4 py-1.5 font-semibold text-white hover:bg-blue-800 disabled:opacity-60">
          {t.auditLog.byCardSubmit}
        </button>
      </form>
    </details>
  );
}
