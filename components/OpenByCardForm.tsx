"use client";

import { openByCardAction } from "@/app/actions/consent";
import { messages, type Locale } from "@/lib/i18n/messages";
import { CardLookupForm } from "./CardLookupForm";

/** The desk opens a patient's consent page (withdraw, history, access report) by the card in hand. */
export function OpenByCardForm({ locale }: { locale: Locale }) {
  const t = messages[locale];
  return <CardLookupForm locale={locale} action={openByCardAction} submitLabel={t.consent.open} label={t.consent.openTitle} buttonClass="rounded border-2 border-blue-700 px-4 py-2 font-semibold text-blue-800 hover:bg-blue-50" />;
}
