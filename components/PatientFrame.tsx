import type { ReactNode } from "react";
import type { PatientIdentity, SafetyBanner as Banner } from "@/lib/record";
import type { Locale } from "@/lib/i18n/messages";
import type { Scope, Sensitivity } from "@/lib/access/decide";
import type { RecordKind } from "@/lib/format/record-kinds";
import type { PatientTab } from "./PatientTabs";
import { PatientTop } from "./PatientTop";
import { RecordOnScreen } from "./StaleRecord";

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
  today: Date;
  children: ReactNode;
}) {
  const { patient, banner, kinds, scope, withheld, tab, locale, today, children } = props;
  return (
    <div className="space-y-4">
      <RecordOnScreen record={`patient:${patient.id}`} />
      <PatientTop patient={patient} banner={banner} kinds={kinds} scope={scope} withheld={withheld.length > 0} tab={tab} locale={locale} today={today.toISOString()} />
      {children}
    </div>
  );
}
