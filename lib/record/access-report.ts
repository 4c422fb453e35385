import type { Actor } from "../auth/actor";
import { isAdministrator } from "../auth/user-admin";
import { getDb, type Tx } from "../db/client";
import { now } from "../clock";
import { auditActorOf, recordAudit } from "../audit";

import { decideAccessReport, reportShowsReasonText, CARD_IDENTIFICATION_MINUTES } from "../access/disclosure";
import { PatientNotFoundError } from "./errors";
import { actorFacts } from "./guard";
import { patientBasics, type PatientBasics } from "./identity";
import { identifyByCard, requireConsentStaff, withKnownPatient } from "./consent";
import { refuse } from "./refuse";
import { lastIdentification } from "./identification-log";
import { inTurn } from "../db/in-turn";

/** One access to the patient's record, as the patient is told about it. */
export interface AccessReportEntry {
  at: string;
  /** a scroll through the timeline is one line: the time of its last page */
  until: string | null;
  /** timeline pages folded into this line (0 for an ordinary line) */
  pages: number;
  facilityId: string | null;
  facilityName: string | null;
  profession: string | null;
  /** shown to administrators only; the patient's copy names the facility and role, not the person */
  actorName: string | null;
  action: string;
  purpose: string | null;
  outcome: string;
  /** what was looked at (patient-record, lab-trend, document, consent, …) */
  what: string | null;
  /** for refusals: why; for emergency access: the reason given */
  reason: string | null;
  /** emergency access: the free-text reason, on the administrator's copy only */
  reasonText: string | null;
}

export interface AccessReport {
  patient: PatientBasics;
  generatedAt: string;
  withNames: boolean;
  entries: AccessReportEntry[];
}

/** How far the report reaches: plenty for a person's record, bounded for one printable page set. */
const MAX_ENTRIES = 2000;

/**
 * Timeline pages read by the same user within this long of the previous one are one scroll. A
 * clinician scrolling a long record fetches a page every few seconds; five minutes apart is a new look.
 */
export const SCROLL_WINDOW_MS = 5 * 60_000;

type ReportEvent = Omit<AccessReportEntry, "until" | "pages"> & { actorId: string | null };

const isPage = (e: ReportEvent) => e.action === "RECORD_VIEW" && e.outcome === "ALLOW" && e.what === "timeline-page";
const isFirstScreen = (e: ReportEvent) => e.action === "RECORD_VIEW" && e.outcome === "ALLOW" && e.what === "patient-record";

/**
 * Folds a scroll into one line: timeline pages read by the same user (and facility) within
 * SCROLL_WINDOW_MS of their previous read join the line that opened the record (or the first page),
 * which then says how many pages followed and until when. Any other event of that user ends the
 * scroll; other users' events in between do not. Pure; `events` newest first, as is the result.
 */
export function groupScrolls(events: readonly ReportEvent[]): AccessReportEntry[] {
  const lines: (AccessReportEntry & { last: number })[] = [];
  const open = new Map<string, number>();
  for (const e of [...events].reverse()) {
    const who = `${e.actorId ?? "-"}|${e.facilityId ?? "-"}`;
    const t = new Date(e.at).getTime();
    const i = open.get(who);
    const line = i === undefined ? undefined : lines[i];
    if (isPage(e) && line && t - line.last <= SCROLL_WINDOW_MS) {
      line.pages += 1;
      line.until = e.at;
      line.last = t;
      continue;
    }
    const { actorId: _actorId, ...entry } = e;
    void _actorId;
    lines.push({ ...entry, until: null, pages: 0, last: t });
    if (isPage(e) || isFirstScreen(e)) open.set(who, lines.length - 1);
    else open.delete(who);
  }
  return lines.reverse().map(({ last: _last, ...l }) => (void _last, l));
}

/**
 * Every access to one patient's record, newest first: facility, role, when, purpose, what, outcome.
 * The administrator's copy names the staff and quotes break-glass reasons; the patient's copy, printed
 * by consent staff after identifying the patient by card (lib/access/disclosure), does neither.
 */
export async function getAccessReport(actor: Actor, patientId: string): Promise<AccessReport> {
  const administrator = isAdministrator(actor);
  const db = await getDb();
  const at = now();
  const identifiedAt = administrator ? null : await db.$transaction((tx) => lastIdentification(tx, actor.userId, patientId, "access-report"));
  const decision = decideAccessReport(actorFacts(actor), { administrator, identifiedAt, now: at });
  if (!decision.allow) return refuse(actor, { action: "ACCESS_REPORT_VIEW", reason: decision.reason, patientId, purpose: "PATIENT_REQUEST", what: "access-report", at });
  const isAdmin = decision.copy === "ADMINISTRATOR";
  const withReasonText = reportShowsReasonText(decision.copy);
  const read = async (tx: Tx, at: Date) => {
    const [p, events, facilities] = await inTurn(
      () => tx.patient.findUniqueOrThrow({ where: { id: patientId } }),
      () => tx.auditEvent.findMany({ where: { patientId }, orderBy: { seq: "desc" }, take: MAX_ENTRIES }),
      () => tx.facility.findMany({ select: { id: true, name: true } }));
    const facilityName = new Map(facilities.map((f) => [f.id, f.name]));
    const rows: ReportEvent[] = events.map((e) => {
      const d = (e.detail ?? {}) as { what?: unknown; reason?: unknown; reasonText?: unknown };
      return {
        at: e.at.toISOString(),
        actorId: e.actorId,
        facilityId: e.facilityId,
        facilityName: e.facilityId ? (facilityName.get(e.facilityId) ?? e.facilityId) : null,
        profession: e.actorProfession,
        actorName: isAdmin ? e.actorName : null,
        action: e.action,
        purpose: e.purpose,
        outcome: e.outcome,
        what: typeof d.what === "string" ? d.what : null,
        reason: typeof d.reason === "string" ? d.reason : null,
        reasonText: withReasonText && typeof d.reasonText === "string" ? d.reasonText : null,
      };
    });
    return { value: { patient: patientBasics(p), generatedAt: at.toISOString(), withNames: isAdmin, entries: groupScrolls(rows) } };
  };
  if (!isAdmin) return withKnownPatient(actor, patientId, "ACCESS_REPORT_VIEW", "access-report", read);

  // Administrators answer a patient's or a privacy officer's request for any patient.
  const r = await db.$transaction(async (tx) => {
    if (!(await tx.patient.findUnique({ where: { id: patientId }, select: { id: true } }))) return null;
    const { value } = await read(tx, at);
    await recordAudit(tx, { actor: auditActorOf(actor), action: "ACCESS_REPORT_VIEW", outcome: "SUCCESS", patientId, purpose: "ADMINISTRATION", at, detail: { what: "access-report", withNames: true } });
    return value;
  });
  if (!r) throw new PatientNotFoundError(patientId);
  return r;
}

/**
 * Must this user identify the patient by card before the report opens? Only the user's own card
 * identifications are read, nothing of the patient, so showing the card form is no access to the record
 * and writes no audit event: it used to be recorded as a refused report, printed on every patient's copy
 * as someone refused their record (review 4, F10). Any other refusal (staff who may not print reports, a
 * suspended facility) is false here, so getAccessReport refuses and audits it as before; a card that
 * names nobody is audited by the identification itself.
 */
export async function accessReportNeedsCard(actor: Actor, patientId: string): Promise<boolean> {
  const administrator = isAdministrator(actor);
  if (administrator) return false;
  const db = await getDb();
  const identifiedAt = await db.$transaction((tx) => lastIdentification(tx, actor.userId, patientId, "access-report"));
  const decision = decideAccessReport(actorFacts(actor), { administrator, identifiedAt, now: now() });
  return !decision.allow && decision.reason === "CARD_NOT_IDENTIFIED";
}

/**
 * The patient asks for their access report: staff who may manage consent (or an administrator
 * answering a disclosure request) identify them by the four items on their card (lib/record/consent).
 * Returns the patient id, which opens the report for this user for CARD_IDENTIFICATION_MINUTES.
 */
export async function identifyForAccessReport(actor: Actor, input: unknown): Promise<string> {
  const administrator = isAdministrator(actor);
  if (!administrator) await requireConsentStaff(actor, null, "access-report");
  return identifyByCard(actor, input, { what: "access-report", purpose: administrator ? "ADMINISTRATION" : "PATIENT_REQUEST", detail: { validMinutes: CARD_IDENTIFICATION_MINUTES } });
}
