import { notFound } from "next/navigation";
import { requireActor } from "@/lib/auth/actor";
import { getMessages } from "@/lib/i18n/server";
import { getPatientView, facilityDirectory, AccessDeniedError, PatientNotFoundError, InvalidInputError } from "@/lib/record";
import { now } from "@/lib/clock";
import { BREAK_GLASS_PROFESSIONS } from "@/lib/access/decide";
import { AccessDenied } from "@/components/AccessDenied";
import { PatientHeader } from "@/components/PatientHeader";
import { Timeline } from "@/components/Timeline";

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
      <Timeline patientId={view.patient.id} initial={view.timeline} facilities={facilities} locale={locale} />
    </div>
  );
}
