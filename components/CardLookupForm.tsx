"use client";

import { useActionState } from "react";
import { messages, type Locale } from "@/lib/i18n/messages";
import { CardFields } from "./CardFields";

/** What a card look-up action answers when it does not move on: field errors, or a refusal under `form`. */
export interface CardLookupState {
  errors?: Record<string, string>;
}

/**
 * The four card items and one button, posted to a look-up action (the desk's consent page, the access
 * report, the audit search): the refusal as an alert, field problems beside their fields.
 */
export function CardLookupForm({ locale, action: lookup, submitLabel, buttonClass, label }: { locale: Locale; action: (prev: CardLookupState, fd: FormData) => Promise<CardLookupState>; submitLabel: string; buttonClass: string; label?: string }) {
  const t = messages[locale];
  const [state, action, pending] = useActionState<CardLookupState, FormData>(lookup, {});
  const errors = state.errors ?? {};
  return (
    <form action={action} className="space-y-4" noValidate aria-label={label}>
      {errors.form && (
        <p role="alert" className="rounded border border-red-600 bg-red-50 px-3 py-2 text-red-900">
          {t.denied.reasons[errors.form] ?? errors.form}
        </p>
      )}
      <CardFields t={t} errors={errors} />
      <button type="submit" disabled={pending} className={`${buttonClass} disabled:opacity-60`}>
        {submitLabel}
      </button>
    </form>
  );
}
