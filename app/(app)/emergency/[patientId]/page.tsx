import Link from "next/link";
import type { ReactNode } from "react";
import { requireActor, type Actor } from "@/lib/auth/actor";
import { getMessages } from "@/lib/i18n/server";
import { AccessDeniedError, PatientNotFoundError, emergencyGrantState, facilityDirectory, getEmergencySummary } from "@/lib/record";
import { now } from "@/lib/clock";
import { isoDateTime } from "@/lib/format/dates";
import type { Messages } from "@/lib/i18n/messages";
import { notFound } from "next/navigation";
import { endBreakGlassAction } from "@/app/actions/emergency";
import { PatientHeader } from "@/components/PatientHeader";
import { SafetyBanner } from "@/components/SafetyBanner";
import { GrantCountdown } from "@/components/GrantCountdown";
import { PrintButton } from "@/components/PrintButton";
import { PrintFooter } from "@/components/PrintFooter";
import { AsNeeded } from "@/components/AsNeeded";
import { EmergencyLabTable } from "@/components/EmergencyLabTable";
import { LeaveStaleRecord, RecordOnScreen } from "@/components/StaleRecord";
import { titled } from "@/lib/i18n/page-title";

export const generateMetadata = titled((t) => t.emergency.title);

/**
 * The printout is one A4 sheet: small margins (app/globals.css, @page emergency-sheet), and print: variants below that shrink the type and
 * spacing (for the shared header and banner too, through the wrapper) and set the blocks in two columns.
 */
const PRINT_COMPACT =
  "print:space-y-1 print:text-[8pt] print:leading-snug print:[&_*]:text-[length:inherit]! print:[&_h1]:text-[10pt]! print:[&_h2]:text-[8.5pt]! print:[&_section]:p-1.5! print:[&_section]:rounded-none!";

function Block({ id, title, children, empty }: { id: string; title: string; children: ReactNode; empty: boolean }) {
  return (
    <section aria-labelledby={id} className="rounded-lg border border-slate-400 bg-white p-4 break-inside-avoid">
      <h2 id={id} className="mb-2 text-xl font-bold print:mb-0.5">
        {title}
      </h2>
      {empty ? <p className="text-lg text-slate-700">—</p> : children}
    </section>
  );
}

/** Why there is no dataset to show: a grant that ended, none ever started, or another refusal. */
async function NoDataset({ actor, err, patientId, t }: { actor: Actor; err: AccessDeniedError; patientId: string; t: Messages }) {
  const e = t.emergency;
  const grant = err.reason === "NO_ACTIVE_GRANT" ? await emergencyGrantState(actor, patientId) : null;
  const [title, detail] =
    grant?.state === "ENDED" ? [e.expired, e.endedAt(isoDateTime(grant.endedAt))] : grant ? [e.noGrant, e.noGrantHint] : [t.denied.title, t.denied.reasons[err.reason] ?? err.reason];
  return (
    <section role="alert" className="mx-auto max-w-2xl rounded-lg border-2 border-amber-500 bg-amber-50 p-6">
      {/* the grant ended while its dataset was on screen, and a click brought this: the dataset's page goes */}
      <LeaveStaleRecord record={`emergency:${patientId}`} reason={err.reason} />
      <h1 className="text-xl font-bold">{title}</h1>
      <p className="mt-2">{detail}</p>
      <Link href="/emergency" className="mt-4 inline-block text-blue-800 underline">
        {e.title}
      </Link>
    </section>
  );
}

/** The emergency dataset on one printable page, in large type, under a red bar with the time left. */
export default async function EmergencySummaryPage({ params }: { params: Promise<{ patientId: string }> }) {
  const actor = await requireActor();
  const { locale, t } = await getMessages();
  const e = t.emergency;
  const { patientId } = await params;
  let v;
  try {
    v = await getEmergencySummary(actor, patientId);
  } catch (err) {
    if (err instanceof PatientNotFoundError) notFound();
    if (err instanceof AccessDeniedError) return <NoDataset actor={actor} err={err} patientId={patientId} t={t} />;
    throw err;
  }
  const facilities = await facilityDirectory();
  const name = (id: string) => facilities[id] ?? id;
  const at = now();
  const remainingMs = new Date(v.grant.expiresAt).getTime() - at.getTime();
  return (
    // data-print-sheet: the A4 sheet with small margins (app/globals.css, @page emergency-sheet)
    <div className={`space-y-4 text-lg ${PRINT_COMPACT}`} data-print-sheet="emergency">
      <RecordOnScreen record={`emergency:${v.patient.id}`} />
      <div role="status" className="sticky top-0 z-10 flex flex-wrap items-center justify-between gap-2 rounded bg-red-700 px-4 py-2 text-white print:static print:px-2 print:py-0.5" data-testid="break-glass-bar">
        <strong className="text-xl">{e.active}</strong>
        <span>
          {e.reasons[v.grant.reason] ?? v.grant.reason} · <GrantCountdown remainingMs={remainingMs} locale={locale} />
        </span>
        <span className="flex gap-2 no-print">
          <PrintButton label={e.print} onDark />
          <form action={endBreakGlassAction}>
            <input type="hidden" name="patientId" value={v.patient.id} />
            <button type="submit" className="rounded border-2 border-white px-3 py-1.5 font-semibold hover:bg-red-800">
              {e.end}
            </button>
          </form>
        </span>
      </div>
      <PatientHeader patient={v.patient} locale={locale} t={t} today={at} />
      <SafetyBanner banner={v.banner} canSeeAllergies t={t} />
      {v.withholding && (
        <p role="note" data-testid="em-withheld" className="rounded border border-slate-400 bg-slate-50 px-3 py-2 text-slate-900 print:px-1.5 print:py-0.5">
          {t.patient.withheld}
        </p>
      )}
      <div className="grid gap-4 lg:grid-cols-2 print:grid-cols-2 print:gap-1.5">
        <Block id="em-meds" title={e.medicines} empty={v.medicines.length === 0}>
          <ul className="space-y-1 print:space-y-0" data-testid="em-medicines">
            {v.medicines.map((m, i) => (
              <li key={i}>
                <strong>{m.display}</strong> {[m.dose, m.usage].filter(Boolean).join(" ")}
                <span className="block text-base text-slate-700">
                  {m.asNeeded ? <AsNeeded since={m.lastIssued} t={t} /> : `${m.lastIssued}〜${m.supplyEnd}`} · {t.list(m.facilityIds.map(name))}
                </span>
              </li>
            ))}
          </ul>
        </Block>
        <Block id="em-labs-title" title={e.labs} empty={v.labs.length === 0}>
          <EmergencyLabTable labs={v.labs} name={name} t={t} />
        </Block>
        <Block id="em-dx" title={e.diagnoses} empty={v.diagnoses.length === 0}>
          <ul className="space-y-1 print:space-y-0" data-testid="em-diagnoses">
            {v.diagnoses.map((d, i) => (
              <li key={i}>
                <strong className={d.major ? "font-bold" : "font-medium"}>{d.display}</strong>
                {!d.active && <span className="ml-1 text-base text-slate-700">（{e.ended_}）</span>}
                <span className="block text-base text-slate-700 print:inline print:ml-1">
                  {d.icd10 ?? ""} {d.since}〜 · {name(d.facilityId)}
                </span>
              </li>
            ))}
          </ul>
        </Block>
        <Block id="em-proc" title={e.procedures} empty={v.procedures.length === 0}>
          <ul className="space-y-1 print:space-y-0">
            {v.procedures.map((p, i) => (
              <li key={i}>
                <strong>{p.display}</strong> <span className="text-base">（{t.patient.tag[p.kind] ?? p.kind}）</span>
                <span className="block text-base text-slate-700">
                  {p.date} · {name(p.facilityId)} {p.note ?? ""}
                </span>
              </li>
            ))}
          </ul>
        </Block>
        <Block id="em-dialysis" title={`${e.dialysis} / ${e.implants}`} empty={v.dialysis.length === 0 && v.implants.length === 0}>
          <ul className="space-y-1 print:space-y-0" data-testid="em-dialysis">
            {[...v.dialysis.map((d) => ({ ...d, note: null as string | null, tag: e.dialysis })), ...v.implants.map((d) => ({ ...d, tag: e.implants }))].map((d, i) => (
              <li key={i}>
                <strong>{d.display}</strong> <span className="text-base">（{d.tag}）</span>
                <span className="block text-base text-slate-700">
                  {d.date} · {name(d.facilityId)} {d.note ?? ""}
                </span>
              </li>
            ))}
          </ul>
        </Block>
        <Block id="em-fac" title={e.facilities} empty={v.recentFacilities.length === 0}>
          <ul className="space-y-1 print:space-y-0" data-testid="em-facilities">
            {v.recentFacilities.map((f) => (
              <li key={f.facilityId}>
                <strong>{f.name}</strong> <span className="font-mono">{f.phone ?? "—"}</span>
                <span className="block text-base text-slate-700 print:inline print:ml-1">{f.lastVisit}</span>
              </li>
            ))}
          </ul>
        </Block>
        <Block id="em-discharge" title={e.discharge} empty={!v.lastDischargeSummary}>
          {v.lastDischargeSummary && (
            <div>
              <p className="font-semibold">
                {v.lastDischargeSummary.title} · {v.lastDischargeSummary.date} · {name(v.lastDischargeSummary.facilityId)} {v.lastDischargeSummary.author ?? ""}
              </p>
              {/* on paper, its first lines only: the essentials must fit one A4 sheet; the screen has it all */}
              <div className="mt-2 text-base whitespace-pre-wrap print:mt-0.5 print:line-clamp-8 print:whitespace-normal">{v.lastDischargeSummary.body}</div>
              <p className="hidden print:block print:italic">{e.dischargeClipped}</p>
            </div>
          )}
        </Block>
      </div>
      <PrintFooter renderedAt={at.toISOString()} userName={actor.name} facilityName={actor.facilityName} grantExpiresAt={v.grant.expiresAt} locale={locale} />
    </div>
  );
}
