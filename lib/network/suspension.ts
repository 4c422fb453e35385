import { auditActorOf, recordAudit } from "../audit";
import type { Actor } from "../auth/actor";
import { withFacilityAdmin } from "./guard";

/**
 * Suspends a facility at once. Its users' open sessions end in the same transaction (and lib/auth's
 * session check refuses a suspended facility's users at every request anyway, so nobody gets back in
 * by logging in again); its push keys stay but POST /api/fhir refuses them (lib/access decideIngest)
 * until it is reinstated. The records it disclosed stay visible to the facilities a patient consented
 * to, unless the administrator also withholds them (a facility found sending another patient's data):
 * then no read shows them (lib/access decide → lib/record) from the next one on. The audit event names
 * what was stopped, withholding included.
 */
export async function suspendFacility(actor: Actor, facilityId: string, opts: { withholdRecords?: boolean } = {}): Promise<{ sessionsEnded: number }> {
  const recordsWithheld = opts.withholdRecords === true;
  return withFacilityAdmin(actor, {
    kind: "SUSPEND",
    facilityId,
    work: async (tx, at) => {
      await tx.facility.update({ where: { id: facilityId }, data: { status: "SUSPENDED", suspendedAt: at, recordsWithheld } });
      const ended = await tx.session.updateMany({ where: { endedAt: null, user: { facilityId } }, data: { endedAt: at, endedReason: "FACILITY_SUSPENDED" } });
      // its staff's FHIR API tokens too: a reinstatement must not bring them back to life
      const tokens = await tx.apiToken.updateMany({ where: { revokedAt: null, user: { facilityId } }, data: { revokedAt: at } });
      const liveKeys = await tx.facilityApiKey.count({ where: { facilityId, revokedAt: null } });
      await recordAudit(tx, { actor: auditActorOf(actor), action: "FACILITY_SUSPENDED", outcome: "SUCCESS", purpose: "ADMINISTRATION", at, detail: { facilityId, before: { status: "ACTIVE" }, after: { status: "SUSPENDED" }, sessionsEnded: ended.count, apiTokensRevoked: tokens.count, keysRefused: liveKeys, recordsWithheld } });
      return { sessionsEnded: ended.count };
    },
  });
}

/** Reinstates a suspended facility: its users may log in again, its live keys push again, and records it withheld are shown again. */
export async function reinstateFacility(actor: Actor, facilityId: string): Promise<void> {
  await withFacilityAdmin(actor, {
    kind: "REINSTATE",
    facilityId,
    work: async (tx, at, f) => {
      await tx.facility.update({ where: { id: facilityId }, data: { status: "ACTIVE", suspendedAt: null, recordsWithheld: false } });
      await recordAudit(tx, { actor: auditActorOf(actor), action: "FACILITY_REINSTATED", outcome: "SUCCESS", purpose: "ADMINISTRATION", at, detail: { facilityId, before: { status: "SUSPENDED", suspendedAt: f.suspendedAt?.toISOString() ?? null, recordsWithheld: f.recordsWithheld }, after: { status: "ACTIVE", recordsWithheld: false } } });
    },
  });
}
