import type { Actor } from "../auth/actor";
import { visibleKinds } from "../access/data-kinds";
import { isoDate } from "../format/dates";
import { now } from "../clock";
import { withPatientAccess } from "./guard";
import { readBanner, type SafetyBanner } from "./banner";
import { readIdentity, type PatientIdentity } from "./identity";
import { readMedRows } from "./prescriptions";
import { doseText, supplyWindow } from "./medication";
import { closeExpiredGrants } from "./break-glass";

const DAY = 86_400_000;

/** The emergency dataset (救急時医療情報) on one page: what an ER needs in the first minutes. */
export interface EmergencySummary {
  patient: PatientIdentity;
  banner: SafetyBanner;
  grant: { reason: string; startedAt: string; expiresAt: string };
  /** medicines issued in the last 3 months, one line per product, newest issue first; for a 頓用 one (asNeeded) supplyEnd is the PRN window's end, not a supply of days */
  medicines: { display: string; dose: string | null; usage: string | null; lastIssued: string; supplyEnd: string; asNeeded: boolean; facilityId: string }[];
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

/**
 * The break-glass page's read: decided as an EMERGENCY purpose (an active grant of this user for this
 * patient), scoped to the emergency dataset, audited as every view is.
 */
export async function getEmergencySummary(actor: Actor, patientId: string): Promise<EmergencySummary> {
  await closeExpiredGrants(actor, patientId);
  return withPatientAccess(actor, patientId, "EMERGENCY", {
    action: "RECORD_VIEW",
    what: "emergency-summary",
    read: async (tx, decision) => {
      const kinds = visibleKinds(actor.profession, decision.scope);
      const at = now();
      const hide = decision.withheld.length ? { sensitivity: { notIn: [...decision.withheld] } } : {};
      const [patient, { banner }, meds, conditions, procedures, encounters, discharge, grant] = await Promise.all([
        readIdentity(tx, patientId, { facilityId: actor.facilityId, kinds, withheld: decision.withheld }),
        readBanner(tx, patientId, kinds, decision.withheld),
        readMedRows(tx, patientId, new Date(at.getTime() - 92 * DAY), decision.withheld),
        tx.condition.findMany({ where: { patientId, OR: [{ endedAt: null }, { major: true }], ...hide }, orderBy: [{ major: "desc" }, { occurredAt: "desc" }] }),
        tx.procedure.findMany({ where: { patientId, ...hide }, orderBy: { occurredAt: "desc" } }),
        tx.encounter.findMany({ where: { patientId, occurredAt: { gte: new Date(at.getTime() - 365 * DAY) }, ...hide }, orderBy: { occurredAt: "desc" }, include: { facility: { select: { name: true, phone: true } } } }),
        tx.document.findFirst({ where: { patientId, kind: "DISCHARGE_SUMMARY", ...hide }, orderBy: { occurredAt: "desc" } }),
        tx.breakGlass.findFirst({ where: { patientId, userId: actor.userId, endedAt: null, expiresAt: { gt: at } }, orderBy: { startedAt: "desc" } }),
      ]);
      const byProduct = new Map<string, EmergencySummary["medicines"][number]>();
      for (const r of meds) {
        const key = r.yjCode ?? `${r.codeSystem}|${r.code}`;
        if (byProduct.has(key)) continue; // newest first: the first row is the latest issue
        byProduct.set(key, { display: r.display, dose: doseText(r), usage: r.usageText, lastIssued: isoDate(r.occurredAt), supplyEnd: supplyWindow(r).end, asNeeded: r.asNeeded, facilityId: r.facilityId });
      }
      const threeYears = at.getTime() - 3 * 365 * DAY;
      const facilities = new Map<string, EmergencySummary["recentFacilities"][number]>();
      for (const e of encounters) {
        if (!facilities.has(e.facilityId)) facilities.set(e.facilityId, { facilityId: e.facilityId, name: e.facility.name, phone: e.facility.phone, lastVisit: isoDate(e.occurredAt) });
      }
      return {
        patient,
        banner,
        grant: grant ? { reason: grant.reason, startedAt: grant.startedAt.toISOString(), expiresAt: grant.expiresAt.toISOString() } : { reason: "", startedAt: at.toISOString(), expiresAt: at.toISOString() },
        medicines: [...byProduct.values()],
        diagnoses: conditions.map((c) => ({ display: c.display, icd10: c.icd10, since: isoDate(c.occurredAt), active: c.endedAt === null, major: c.major, facilityId: c.facilityId })),
        procedures: procedures
          .filter((p) => ["SURGERY", "ANESTHESIA", "TRANSFUSION"].includes(p.kind) && p.occurredAt.getTime() >= threeYears)
          .map((p) => ({ kind: p.kind, display: p.display, date: isoDate(p.occurredAt), facilityId: p.facilityId, note: p.note })),
        dialysis: procedures.filter((p) => p.kind === "DIALYSIS").slice(0, 1).map((p) => ({ display: p.display, date: isoDate(p.occurredAt), facilityId: p.facilityId })),
        implants: procedures.filter((p) => p.kind === "IMPLANT").map((p) => ({ display: p.display, date: isoDate(p.occurredAt), facilityId: p.facilityId, note: p.note })),
        recentFacilities: [...facilities.values()],
        lastDischargeSummary: discharge ? { title: discharge.title, date: isoDate(discharge.occurredAt), facilityId: discharge.facilityId, author: discharge.authorName, body: discharge.body } : null,
        withholding: decision.withheld.length > 0,
      };
    },
  });
}
