"use client";

import { useActionState } from "react";
import { withdrawConsentAction, type ConsentFormState } from "@/app/actions/consent";
import { messages, type Locale } from "@/lib/i18n/messages";
import { CardFields, FieldError, fieldAria } from "./CardFields";

/**
 * Withdrawal, on the patient's card like every change of consent. It cuts off every user of the
 * facility at once, so it also takes a deliberate tick, not one click.
 */
export function WithdrawConsentForm({ locale, patientId }: { locale: Locale; patientId: string }) {
  const t = messages[locale];
  const c = t.consent;
  const [state, action, pending] = useActionState<ConsentFormState, FormData>(withdrawConsentAction, {});
  const errors = state.errors ?? {};
  return (
    <form action={action} className="mt-3 space-y-3" noValidate aria-label={c.withdraw}>
      <input type="hidden" name="patientId" value={patientId} />
      {errors.form && (
        <p role="alert" className="rounded border border-red-600 bg-red-50 px-3 py-2 text-red-900">
          {t.denied.reasons[errors.form] ?? errors.form}
        </p>
      )}
      <CardFields t={t} errors={errors} />
      <div className="flex flex-wrap items-center gap-3">
        <label className="inline-flex items-center gap-2 text-sm">
          <input type="checkbox" name="confirmed" value="1" required {...fieldAria("confirmed", errors)} /> {c.withdrawConfirm}
        </label>
        <FieldError field="confirmed" errors={errors} t={t} />
        <button type="submit" disabled={pending} className="rounded border-2 border-red-700 px-3 py-1.5 font-semibold text-red-800 hover:bg-red-50 disabled:opacity-60">
          {c.withdraw}
        </button>
      </div>
    </form>
  );
}
