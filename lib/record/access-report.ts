import type { Actor } from "../auth/actor";
import { isAdministrator } from "../auth/user-admin";
import { getDb, type Tx } from "../db/client";
import { now } from "../clock";
import { auditActorOf, recordAudit } from "../audit";
import { AccessDeniedError, InvalidFieldsError, PatientNotFoundError } from "./errors";
import { patientBasics, type PatientBasics } from "./identity";
import { findByCard, identification, parse, withKnownPatient } from "./consent";

/** One access to the patient's record, as the patient is told about it. */
export interface AccessReportEntry {
  at: string;
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
  /** emergency access: the free-text reason */
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
 * Every access to one patient's record, newest first: facility, role, when, purpose, what, outcome.
 * Administrators see staff names; facility staff print the patient's copy, which has none.
 */
export async function getAccessReport(actor: Actor, patientId: string): Promise<AccessReport> {
  const isAdmin = isAdministrator(actor);
  const read = async (tx: Tx, at: Date) => {
    const [p, events, facilities] = await Promise.all([
      tx.patient.findUniqueOrThrow({ where: { id: patientId } }),
      tx.auditEvent.findMany({ where: { patientId }, orderBy: { seq: "desc" }, take: MAX_ENTRIES }),
      tx.facility.findMany({ select: { id: true, name: true } }),
    ]);
    const facilityName = new Map(facilities.map((f) => [f.id, f.name]));
    const entries = events.map((e) => {
      const d = (e.detail ?? {}) as { what?: unknown; reason?: unknown; reasonText?: unknown };
      return {
        at: e.at.toISOString(),
        facilityId: e.facilityId,
        facilityName: e.facilityId ? (facilityName.get(e.facilityId) ?? e.facilityId) : null,
        profession: e.actorProfession,
        actorName: isAdmin ? e.actorName : null,
        action: e.action,
        purpose: e.purpose,
        outcome: e.outcome,
        what: typeof d.what === "string" ? d.what : null,
        reason: typeof d.reason === "string" ? d.reason : null,
        reasonText: typeof d.reasonText === "string" ? d.reasonText : null,
      };
    });
    return { value: { patient: patientBasics(p), generatedAt: at.toISOString(), withNames: isAdmin, entries } };
  };
  if (!isAdmin) return withKnownPatient(actor, patientId, "ACCESS_REPORT_VIEW", "access-report", read);

  // Administrators answer a patient's or a privacy officer's request for any patient.
  const db = await getDb();
  const at = now();
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
 * An administrator answering a disclosure request finds the patient the way the desk does: by the
 * three items on their card. Returns the patient id for the report, or field errors. Audited.
 */
export async function identifyForAccessReport(actor: Actor, input: unknown): Promise<string> {
  if (!isAdministrator(actor)) throw new AccessDeniedError("PROFESSION_NOT_CLINICAL", "");
  const errors: Record<string, string> = {};
  const who = parse(identification, input, errors);
  if (!who) throw new InvalidFieldsError(errors);
  const db = await getDb();
  const at = now();
  const patientId = await db.$transaction(async (tx) => {
    const id = await findByCard(tx, who);
    await recordAudit(tx, { actor: auditActorOf(actor), action: "PATIENT_IDENTIFY", outcome: id ? "SUCCESS" : "FAILURE", patientId: id, purpose: "ADMINISTRATION", at, detail: { what: "access-report" } });
    return id;
  });
  if (!patientId) throw new InvalidFieldsError({ identify: "notFound" });
  return patientId;
}
