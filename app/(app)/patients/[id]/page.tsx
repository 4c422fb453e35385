import { requireActor } from "@/lib/auth/actor";
import { getMessages } from "@/lib/i18n/server";
import { getPatientView, facilityDirectory, forBrowser, type IntegratedSummary } from "@/lib/record";
import { medLine } from "@/lib/record/medication";
import { now } from "@/lib/clock";
import { packMap } from "@/lib/format/record-map";
import { facilityNamesIn } from "@/lib/format/facility-names";
import { PatientFrame } from "@/components/PatientFrame";
import { RecordExplorer } from "@/components/RecordExplorer";
import { OverviewSummary, type OverviewData } from "@/components/OverviewSummary";
import { RegisteredContacts } from "@/components/RegisteredContacts";
import { ScopeLimits } from "@/components/ScopeLimits";
import { PrintPages } from "@/components/PrintPages";
import { PrintFooter } from "@/components/PrintFooter";
import { readOrExplain } from "./read-or-explain";
import { titled } from "@/lib/i18n/page-title";
import { FhirDownloadLink } from "@/components/FhirDownloadLink";

export const generateMetadata = titled((t) => t.tabs.overview);

/** The summary panels' part of the summary, and nothing else: what is sent to the browser is the page's weight. */
const overviewData = (s: IntegratedSummary): OverviewData => ({
  recentElsewhere: s.recentElsewhere,
  // the list's lines, not the rows and doses the checks were worked out from
  medications: s.medications.map(medLine),
  asNeeded: s.asNeeded,
  duplicates: s.duplicates,
  conflicts: s.conflicts,
  checks: s.checks,
  problems: s.problems,
  latestCheckup: s.latestCheckup,
});

/** 統合ビュー: the first screen of a patient's cross-facility record. */
export default async function PatientPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requireActor();
  const { locale, t } = await getMessages();
  const { id } = await params;
  const r = await readOrExplain(actor, t, () => getPatientView(actor, id));
  if (!r.ok) return r.screen;
  const view = r.value;
  const facilities = await facilityDirectory();
  // The record explorer and the summary panels run in the browser: send them the names of the
  // facilities their data names, not the whole network's directory, which at 150–400 facilities would
  // be most of the page's data.
  const overview = overviewData(view.summary);
  const explorerFacilities = facilityNamesIn([view.summary.map.cells, view.timeline.entries], facilities);
  const overviewFacilities = facilityNamesIn(overview, facilities);
  const at = now();
  // printed, every sheet names the patient and who printed it when (PrintPages repeats the footer)
  const footer = <PrintFooter renderedAt={at.toISOString()} userName={actor.name} facilityName={actor.facilityName} patient={{ name: `${view.patient.familyName} ${view.patient.givenName}`, id: view.patient.id }} locale={locale} />;
  return (
    <PrintPages footer={footer}>
    <PatientFrame patient={view.patient} banner={view.summary.banner} kinds={view.kinds} scope={view.scope} withheld={view.withheld} tab="overview" locale={locale} today={at}>
      <OverviewSummary data={overview} facilities={overviewFacilities} kinds={view.kinds} patientId={view.patient.id} partial={view.withheld.length > 0} locale={locale} />
      <ScopeLimits note={view.scopeNote} facilities={facilities} t={t} />
      <RegisteredContacts contacts={view.summary.contacts} facilities={facilities} lastReceived={view.summary.lastReceived} t={t} locale={locale} />
      <p className="no-print flex justify-end">
        <FhirDownloadLink href={`/api/patients/${encodeURIComponent(view.patient.id)}/fhir`} locale={locale} />
      </p>
      <RecordExplorer patientId={view.patient.id} map={packMap(view.summary.map)} lastReceived={view.summary.lastReceived} sourceMismatches={view.summary.sourceMismatches} initial={forBrowser(view.timeline)} facilities={explorerFacilities} kinds={view.kinds} locale={locale} />
    </PatientFrame>
    </PrintPages>
  );
}
