"use client";

import { useActionState } from "react";
import { openByCardAction, type ConsentFormState } from "@/app/actions/consent";
import { messages, type Locale } from "@/lib/i18n/messages";
import { CardFields } from "./CardFields";

/** The desk opens a patient's consent page (withdraw, history, access report) by the card in hand. */
export function OpenByCardForm({ locale }: { locale: Locale }) {
  const t = messages[locale];
  const [state, action, pending] = useActionState<ConsentFormState, FormData>(openByCardAction, {});
  const errors = state.errors ?? {};
  return (
    <form action={action} className="space-y-4" noValidate aria-label={t.consent.openTitle}>
      {errors.form && (
        <p role="alert" className="rounded border border-red-600 bg-red-50 px-3 py-2 text-red-900">
          {t.denied.reasons[errors.form] ?? errors.form}
        </p>
      )}
      <CardFields t={t} errors={errors} />
      <button type="submit" disabled={pending} className="rounded border-2 border-blue-700 px-4 py-2 font-semibold text-blue-800 hover:bg-blue-50 disabled:opacity-60">
        {t.consent.open}
      </button>
    </form>
  );
}
