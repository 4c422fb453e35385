import { getDb } from "../db/client";
import { now } from "../clock";
import { auditActorOf, recordAudit } from "../audit";
import { decideSearch } from "../access/duties";
import { consentInForce } from "../access/consent-in-force";
import { actorFacts } from "../auth/to-actor";
import type { Actor } from "../auth/actor";
import { refuse } from "./refuse";
import type { PatientHit } from "./search";
import { patientBasics } from "./identity";

/** "Recent" is the last 30 days: about one outpatient cycle, and short enough to stay a short list. */
export const RECENT_PATIENT_DAYS = 30;
export const RECENT_PATIENT_LIMIT = 10;

export interface RecentPatient extends PatientHit {
  lastOpenedAt: string;
}

/**
 * The patients this user opened in the last RECENT_PATIENT_DAYS days, newest first, read from the
 * audit trail (which already records every opening, so nothing new is stored about the user). Only
 * those this facility may still open are listed, by the same consent rule search uses: a withdrawn or
 * expired consent drops a patient from the list. Decided as a search and audited as one.
 */
export async function recentPatients(actor: Actor): Promise<RecentPatient[]> {
  const at = now();
  const d = decideSearch(actorFacts(actor));
  if (!d.allow) await refuse(actor, { action: "PATIENT_SEARCH", reason: d.reason, purpose: "TREATMENT", what: "recent-patients", at });
  const db = await getDb();
  return db.$transaction(async (tx) => {
    const opened = await tx.auditEvent.groupBy({
      by: ["patientId"],
      where: { actorId: actor.userId, action: "RECORD_VIEW", outcome: "ALLOW", purpose: "TREATMENT", patientId: { not: null }, at: { gte: new Date(at.getTime() - RECENT_PATIENT_DAYS * 86_400_000) } },
      _max: { at: true },
      orderBy: { _max: { at: "desc" } },
      // more than shown: some may no longer be open to this facility
      take: RECENT_PATIENT_LIMIT * 3,
    });
    const ids = opened.map((o) => o.patientId!);
    const rows = ids.length ? await tx.patient.findMany({ where: { id: { in: ids } }, include: { consents: { where: { facilityId: actor.facilityId } } } }) : [];
    const byId = new Map(rows.map((p) => [p.id, p]));
    const list: RecentPatient[] = opened.flatMap((o) => {
      const p = byId.get(o.patientId!);
      if (!p) return [];
      const c = consentInForce(p.consents, actor.facilityId, at);
      return c.state === "IN_FORCE" ? [{ ...patientBasics(p), scope: c.consent!.scope, lastOpenedAt: o._max.at!.toISOString() }] : [];
    }).slice(0, RECENT_PATIENT_LIMIT);
    await recordAudit(tx, { actor: auditActorOf(actor), action: "PATIENT_SEARCH", outcome: "SUCCESS", purpose: "TREATMENT", at, detail: { what: "recent-patients", hits: list.length } });
    return list;
  });
}
