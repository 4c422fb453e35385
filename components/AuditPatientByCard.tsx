"use client";

import { lookupAuditPatientAction } from "@/app/actions/admin-audit";
import { messages, type Locale } from "@/lib/i18n/messages";
import { CardLookupForm } from "./CardLookupForm";

/** The patient whose card is in hand: identified by the four items (by POST, never in the address), then searched by id. */
export function AuditPatientByCard({ locale }: { locale: Locale }) {
  const t = messages[locale];
  return (
    <details className="rounded-lg border border-slate-300 bg-white p-4">
      <summary className="cursor-pointer font-semibold">{t.auditLog.byCard}</summary>
      <div className="mt-3">
        <CardLookupForm locale={locale} action={lookupAuditPatientAction} submitLabel={t.auditLog.byCardSubmit} buttonClass="rounded bg-blue-700 px-4 py-1.5 font-semibold text-white hover:bg-blue-800" />
      </div>
    </details>
  );
}
