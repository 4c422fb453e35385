import { requireActor } from "@/lib/auth/actor";
import { getMessages } from "@/lib/i18n/server";
import { getPatientView, facilityDirectory } from "@/lib/record";
import { now } from "@/lib/clock";
import { packMap } from "@/lib/format/record-map";
import { PatientFrame } from "@/components/PatientFrame";
import { RecordExplorer } from "@/components/RecordExplorer";
import { CurrentMedications, LatestCheckup, ProblemList, RecentTestsElsewhere } from "@/components/SummaryPanels";
import { RegisteredContacts } from "@/components/RegisteredContacts";
import { readOrExplain } from "./read-or-explain";

/** 統合ビュー: the first screen of a patient's cross-facility record. */
export default async function PatientPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requireActor();
  const { locale, t } = await getMessages();
  const { id } = await params;
  const r = await readOrExplain(actor, t, () => getPatientView(actor, id));
  if (!r.ok) return r.screen;
  const view = r.value;
  const facilities = await facilityDirectory();
  // The record explorer runs in the browser: send it the names of the facilities this record names
  // (every facility with a visible record is on the map), not the whole network's directory, which
  // at 150–400 facilities would be most of the page's data.
  const named = new Set(view.summary.map.cells.map((c) => c.facilityId));
  for (const e of view.timeline.entries) for (const f of [e.facilityId, ...(e.dispenses ?? []).map((d) => d.facilityId)]) named.add(f);
  const explorerFacilities = Object.fromEntries(Object.entries(facilities).filter(([id]) => named.has(id)));
  return (
    <PatientFrame patient={view.patient} banner={view.summary.banner} kinds={view.kinds} scope={view.scope} withheld={view.withheld} tab="overview" locale={locale} t={t} today={now()}>
      <RecentTestsElsewhere tests={view.summary.recentElsewhere} facilities={facilities} t={t} patientId={view.patient.id} />
      <div className="grid gap-4 lg:grid-cols-2">
        {/* current medicines first, in the page's order and not only visually: on a phone, where the
            panels stack, they come right after the safety banner and before a long problem list */}
        {view.kinds.includes("prescription") && <CurrentMedications summary={view.summary} facilities={facilities} t={t} patientId={view.patient.id} partial={view.withheld.length > 0} locale={locale} />}
        {view.kinds.includes("condition") && <ProblemList problems={view.summary.problems} facilities={facilities} t={t} />}
        {view.kinds.includes("checkup") && <LatestCheckup checkup={view.summary.latestCheckup} facilities={facilities} t={t} locale={locale} />}
      </div>
      <RegisteredContacts contacts={view.summary.contacts} facilities={facilities} lastReceived={view.summary.lastReceived} t={t} locale={locale} />
      <p className="flex justify-end">
        {/* a plain link: the browser downloads what the route streams (lib/record decides and audits it) */}
        <a href={`/api/patients/${encodeURIComponent(view.patient.id)}/fhir`} download title={t.fhirExport.hint} className="text-sm text-sky-800 underline hover:text-sky-950">
          {t.fhirExport.save}
        </a>
      </p>
      <RecordExplorer patientId={view.patient.id} map={packMap(view.summary.map)} lastReceived={view.summary.lastReceived} sourceMismatches={view.summary.sourceMismatches} initial={view.timeline} facilities={explorerFacilities} kinds={view.kinds} locale={locale} />
    </PatientFrame>
  );
}
