import type { ReactNode } from "react";
import type { PatientIdentity, SafetyBanner as Banner } from "@/lib/record";
import type { Locale, Messages } from "@/lib/i18n/messages";
import type { Scope, Sensitivity } from "@/lib/access/decide";
import type { RecordKind } from "@/lib/format/record-kinds";
import { PatientHeader } from "./PatientHeader";
import { SafetyBanner } from "./SafetyBanner";
import { PatientTabs, type PatientTab } from "./PatientTabs";

/**
 * What every patient page shows above its own content: who the patient is, the safety banner (never
 * hidden by paging or filters), the scope and withheld notices, and the page tabs.
 */
export function PatientFrame(props: {
  patient: PatientIdentity;
  banner: Banner;
  kinds: readonly RecordKind[];
  scope?: Scope;
  withheld: Sensitivity[];
  tab: PatientTab | null;
  locale: Locale;
  t: Messages;
  today: Date;
  children: ReactNode;
}) {
  const { patient, banner, kinds, scope, withheld, tab, locale, t, today, children } = props;
  return (
    <div className="space-y-4">
      <PatientHeader patient={patient} locale={locale} t={t} today={today} />
      {scope === "EMERGENCY" && <p className="rounded border border-red-400 bg-red-50 px-3 py-2 font-semibold text-red-900">{t.patient.scopeEmergency}</p>}
      {withheld.length > 0 && <p className="rounded border border-slate-400 bg-slate-100 px-3 py-2 text-slate-900">{t.patient.withheld}</p>}
      <SafetyBanner banner={banner} canSeeAllergies={kinds.includes("allergy")} t={t} />
      <PatientTabs patientId={patient.id} active={tab} kinds={kinds} t={t} />
      {children}
    </div>
  );
}
