"use client";

import { lookupAccessReportAction } from "@/app/actions/access-report";
import { messages, type Locale } from "@/lib/i18n/messages";
import { CardLookupForm } from "./CardLookupForm";

export function AccessReportLookup({ locale }: { locale: Locale }) {
  return <CardLookupForm locale={locale} action={lookupAccessReportAction} submitLabel={messages[locale].report.open} buttonClass="rounded bg-blue-700 px-4 py-2 font-semibold text-white hover:bg-blue-800" />;
}
