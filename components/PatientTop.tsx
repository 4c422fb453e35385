"use client";

import type { PatientIdentity, SafetyBanner as Banner } from "@/lib/record";
import { messages, type Locale } from "@/lib/i18n/messages";
import type { Scope } from "@/lib/access/decide";
import type { RecordKind } from "@/lib/format/record-kinds";
import { PatientHeader } from "./PatientHeader";
import { SafetyBanner } from "./SafetyBanner";
import { PatientTabs, type PatientTab } from "./PatientTabs";

/**
 * The top of every patient page — who the patient is, the scope and withheld notices, the safety
 * banner and the tabs — drawn from their data. A client component for the pages' weight: as server
 * output it travelled twice, as HTML and as an element tree in the flight data (issue 17).
 */
export function PatientTop({ patient, banner, kinds, scope, withheld, tab, locale, today }: { patient: PatientIdentity; banner: Banner; kinds: readonly RecordKind[]; scope?: Scope; withheld: boolean; tab: PatientTab | null; locale: Locale; today: string }) {
  const t = messages[locale];
  return (
    <>
      <PatientHeader patient={patient} locale={locale} t={t} today={new Date(today)} />
      {scope === "EMERGENCY" && <p className="rounded border border-red-400 bg-red-50 px-3 py-2 font-semibold text-red-900">{t.patient.scopeEmergency}</p>}
      {withheld && <p className="rounded border border-slate-400 bg-slate-100 px-3 py-2 text-slate-900">{t.patient.withheld}</p>}
      <SafetyBanner banner={banner} canSeeAllergies={kinds.includes("allergy")} t={t} />
      <PatientTabs patientId={patient.id} active={tab} kinds={kinds} t={t} />
    </>
  );
}

