import { notFound } from "next/navigation";
import { requireActor } from "@/lib/auth/actor";
import { getMessages } from "@/lib/i18n/server";
import { getPatientView, facilityDirectory, AccessDeniedError, PatientNotFoundError, InvalidInputError } from "@/lib/record";
import { now } from "@/lib/clock";
import { BREAK_GLASS_PROFESSIONS } from "@/lib/access/decide";
import { AccessDenied } from "@/components/AccessDenied";
import { PatientHeader } from "@/components/PatientHeader";
import { RecordExplorer } from "@/components/RecordExplorer";
import { SafetyBanner } from "@/components/SafetyBanner";
import { CurrentMedications, LatestCheckup, ProblemList } from "@/components/SummaryPanels";

export default async function PatientPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requireActor();
  const { locale, t } = await getMessages();
  const { id } = await params;
  let view;
  try {
    view = await getPatientView(actor, id);
  } catch (e) {
    if (e instanceof PatientNotFoundError) notFound();
    if (e instanceof AccessDeniedError) {
      return <AccessDenied reason={e.reason} t={t} canBreakGlass={actor.facilityCanBreakGlass && BREAK_GLASS_PROFESSIONS.includes(actor.profession)} />;
    }
    if (e instanceof InvalidInputError) return <p role="alert">{t.error.invalidInput}</p>;
    throw e;
  }
  const facilities = await facilityDirectory();
  return (
    <div className="space-y-4">
      <PatientHeader patient={view.patient} locale={locale} t={t} today={now()} />
      {view.scope === "EMERGENCY" && <p className="rounded border border-red-400 bg-red-50 px-3 py-2 font-semibold text-red-900">{t.patient.scopeEmergency}</p>}
      {view.withheld.length > 0 && <p className="rounded border border-slate-400 bg-slate-100 px-3 py-2 text-slate-900">{t.patient.withheld}</p>}
      <SafetyBanner banner={view.summary.banner} canSeeAllergies={view.kinds.includes("allergy")} t={t} />
      <div className="grid gap-4 lg:grid-cols-2">
        {view.kinds.includes("condition") && <ProblemList problems={view.summary.problems} facilities={facilities} t={t} />}
        {view.kinds.includes("prescription") && <CurrentMedications summary={view.summary} facilities={facilities} t={t} />}
        {view.kinds.includes("checkup") && <LatestCheckup checkup={view.summary.latestCheckup} facilities={facilities} t={t} locale={locale} />}
      </div>
      <RecordExplorer patientId={view.patient.id} cells={view.summary.map} initial={view.timeline} facilities={facilities} kinds={view.kinds} locale={locale} />
    </div>
  );
}
