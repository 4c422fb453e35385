import { isOngoing } from "./problems";
import type { Actor } from "../auth/actor";
import { getDb } from "../db/client";
import { decide, isGrantActive } from "../access/decide";
import { actorFacts } from "../auth/to-actor";
import { EMERGENCY_DATASET, latestOnlyKinds, visibleKinds } from "../access/data-kinds";
import { isoDate } from "../format/dates";
import { now } from "../clock";
import { withPatientAccess } from "./guard";
import { notWithheld, readBanner, type SafetyBanner } from "./banner";
import { readIdentity, type PatientIdentity } from "./identity";
import { closeExpiredGrants } from "./break-glass";
import { daysBefore, EMERGENCY_CONDITIONS, emergencyProcedures, readEmergencyLabs, readEmergencyMedicines, type EmergencyLab } from "./emergency-dataset";
import { inTurn } from "../db/in-turn";

/** The emergency dataset (救急時医療情報) on one page: what an ER needs in the first minutes. */
export interface EmergencySummary {
  patient: PatientIdentity;
  banner: SafetyBanner;
  grant: { reason: string; startedAt: string; expiresAt: string };
  /**
   * current medicines by the 統合ビュー's rule (currentMedications: a supply that covers today, so a
   * 90-day or weekly one issued long ago too), one line per product, regular ones first; a 頓用 one
   * (asNeeded) has no end, its supplyEnd is only the PRN window's. facilityIds: prescribers, then pharmacies.
   */
  medicines: { display: string; dose: string | null; usage: string | null; lastIssued: string; supplyEnd: string; asNeeded: boolean; facilityIds: string[] }[];
  /** the latest value of each emergency-relevant test (EMERGENCY_LAB_CODES), in that order */
  labs: EmergencyLab[];
  /** active diagnoses, and major ones even if ended */
  diagnoses: { display: string; icd10: string | null; since: string; active: boolean; major: boolean; facilityId: string }[];
  /** surgery, anaesthesia, transfusion in the last 3 years */
  procedures: { kind: string; display: string; date: string; facilityId: string; note: string | null }[];
  dialysis: { display: string; date: string; facilityId: string }[];
  implants: { display: string; date: string; facilityId: string; note: string | null }[];
  /** facilities seen in the last year, most recent first, with their telephone */
  recentFacilities: { facilityId: string; name: string; phone: string | null; lastVisit: string }[];
  lastDischargeSummary: { title: string; date: string; facilityId: string; author: string | null; body: string } | null;
  /**
   * the patient withholds some categories (from some facility): they stay withheld in an emergency
   * too, and the page says so — never which category, nor whether such records exist
   */
  withholding: boolean;
}

const ofKinds = (kinds: readonly string[], p: { kind: string }) => kinds.includes(p.kind);

/**
 * The break-glass page's read: decided as an EMERGENCY purpose (an active grant of this user for this
 * patient), scoped to the emergency dataset, audited as every view is.
 */
export async function getEmergencySummary(actor: Actor, patientId: string): Promise<EmergencySummary> {
  await closeExpiredGrants(actor, patientId);
  return withPatientAccess(actor, patientId, "EMERGENCY", {
    replica: true,
    action: "RECORD_VIEW",
    what: "emergency-summary",
    read: async (tx, decision) => {
      const kinds = visibleKinds(actor.profession, decision.scope);
      const at = now();
      const hide = notWithheld(decision.withheld);
      const [patient, { banner }, current, labs, conditions, procedures, encounters, discharge, grant] = await inTurn(
        () => readIdentity(tx, patientId, { facilityId: actor.facilityId, kinds, withheld: decision.withheld }),
        () => readBanner(tx, patientId, kinds, decision.withheld),
        () => kinds.includes("prescription") ? readEmergencyMedicines(tx, patientId, decision.withheld, at) : Promise.resolve([]),
        () => readEmergencyLabs(tx, patientId, latestOnlyKinds(actor.profession, decision), decision.withheld, at),
        () => tx.condition.findMany({ where: { patientId, ...EMERGENCY_CONDITIONS, ...hide }, orderBy: [{ major: "desc" }, { occurredAt: "desc" }] }),
        () => tx.procedure.findMany({ where: { patientId, ...hide }, orderBy: [{ occurredAt: "desc" }, { id: "desc" }] }),
        () => tx.encounter.findMany({ where: { patientId, occurredAt: { gte: daysBefore(at, EMERGENCY_DATASET.encounterDays) }, ...hide }, orderBy: { occurredAt: "desc" }, include: { facility: { select: { name: true, phone: true } } } }),
        () => tx.document.findFirst({ where: { patientId, kind: EMERGENCY_DATASET.latestDocumentKind, ...hide }, orderBy: [{ occurredAt: "desc" }, { id: "desc" }] }),
        () => tx.breakGlass.findFirst({ where: { patientId, userId: actor.userId, endedAt: null, expiresAt: { gt: at } }, orderBy: { startedAt: "desc" } }));
      const medicines = [...current.filter((m) => !m.asNeeded), ...current.filter((m) => m.asNeeded)].map((m) => ({
        display: m.display,
        dose: m.dose,
        usage: m.usageText,
        lastIssued: m.lastIssued,
        supplyEnd: m.supplyEnd,
        asNeeded: m.asNeeded,
        facilityIds: [...new Set([...m.prescribers, ...m.pharmacies])],
      }));
      const shownProcedures = emergencyProcedures(procedures, at);
      const facilities = new Map<string, EmergencySummary["recentFacilities"][number]>();
      for (const e of encounters) {
        if (!facilities.has(e.facilityId)) facilities.set(e.facilityId, { facilityId: e.facilityId, name: e.facility.name, phone: e.facility.phone, lastVisit: isoDate(e.occurredAt) });
      }
      return {
        patient,
        banner,
        grant: grant ? { reason: grant.reason, startedAt: grant.startedAt.toISOString(), expiresAt: grant.expiresAt.toISOString() } : { reason: "", startedAt: at.toISOString(), expiresAt: at.toISOString() },
        medicines,
        labs,
        diagnoses: conditions.map((c) => ({ display: c.display, icd10: c.icd10, since: isoDate(c.occurredAt), active: isOngoing(c), major: c.major, facilityId: c.facilityId })),
        procedures: shownProcedures
          .filter((p) => ofKinds(EMERGENCY_DATASET.procedures.recentKinds, p))
          .map((p) => ({ kind: p.kind, display: p.display, date: isoDate(p.occurredAt), facilityId: p.facilityId, note: p.note })),
        dialysis: shownProcedures.filter((p) => p.kind === "DIALYSIS").map((p) => ({ display: p.display, date: isoDate(p.occurredAt), facilityId: p.facilityId })),
        implants: shownProcedures.filter((p) => p.kind === "IMPLANT").map((p) => ({ display: p.display, date: isoDate(p.occurredAt), facilityId: p.facilityId, note: p.note })),
        recentFacilities: [...facilities.values()],
        lastDischargeSummary: discharge ? { title: discharge.title, date: isoDate(discharge.occurredAt), facilityId: discharge.facilityId, author: discharge.authorName, body: discharge.body } : null,
        withholding: decision.withheld.categories.length > 0 || decision.withheld.facilities.length > 0,
      };
    },
  });
}

/** Where the actor stands with the emergency dataset of one patient (times as ISO instants). */
export type EmergencyGrantState = { state: "ACTIVE"; expiresAt: string } | { state: "ENDED"; endedAt: string } | { state: "NONE" };

/**
 * May the actor open this patient's emergency dataset now — lib/access.decide with purpose EMERGENCY,
 * on the facts the emergency page's own read is decided on — and if not, did a grant of theirs end, or
 * was none ever started? Refusal screens ask it to offer the way to the dataset, and the emergency page
 * to say which of the two it is. It reads only the actor's own grants and the consents' facts, nothing
 * of the record, so it writes no audit event (the read it leads to does).
 */
export async function emergencyGrantState(actor: Actor, patientId: string): Promise<EmergencyGrantState> {
  const db = await getDb();
  const at = now();
  const patient = await db.patient.findUnique({
    where: { id: patientId },
    select: { consents: true, breakGlasses: { where: { userId: actor.userId }, orderBy: { startedAt: "desc" } } },
  });
  if (!patient) return { state: "NONE" };
  const grants = patient.breakGlasses;
  const d = decide({ actor: actorFacts(actor), patientId, purpose: "EMERGENCY", consents: patient.consents, grants, now: at });
  const active = grants.find((g) => isGrantActive(g, at));
  if (d.allow && active) return { state: "ACTIVE", expiresAt: active.expiresAt.toISOString() };
  // the newest grant that is over; a lapsed one not yet closed (closeExpiredGrants runs lazily) ended at its expiry
  const last = grants.find((g) => !isGrantActive(g, at));
  return last ? { state: "ENDED", endedAt: (last.endedAt ?? last.expiresAt).toISOString() } : { state: "NONE" };
}
