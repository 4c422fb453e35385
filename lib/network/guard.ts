import { getDb, type Tx } from "../db/client";
import type { Facility } from "../db/generated/client";
import { now } from "../clock";
import { auditActorOf, recordAudit } from "../audit";
import type { Actor } from "../auth/actor";
import { actorFacts } from "../auth/to-actor";
import { decideFacilityAdministration, type FacilityAdminAction, type FacilityAdminDenyReason } from "../access/facility-admin";
import { FacilityAdminRefusedError, FacilityNotFoundError } from "./errors";

type OnFacility = Extract<FacilityAdminAction, { facility: unknown }>["kind"];
type General = Exclude<FacilityAdminAction["kind"], OnFacility>;

/** What an administrator does: on the network as a whole (list, add), or on one facility. */
export type AdminOperation<T> =
  | { kind: General; work: (tx: Tx, at: Date) => Promise<T> }
  | { kind: OnFacility; facilityId: string; work: (tx: Tx, at: Date, facility: Facility) => Promise<T> };

/**
 * The one way in to facility administration, as withPatientAccess is to patient data: read the
 * facility, decide with lib/access, do the work and its audit event, in one transaction, so nothing
 * is half-saved and nothing is done unrecorded. A refusal is audited in its own transaction (the
 * work's never ran) and thrown as a typed error.
 */
export async function withFacilityAdmin<T>(actor: Actor, op: AdminOperation<T>): Promise<T> {
  const db = await getDb();
  const at = now();
  type Outcome = { value: T } | { denied: FacilityAdminDenyReason; facilityId: string | null } | { notFound: true };
  const outcome = await db.$transaction(async (tx): Promise<Outcome> => {
    if (!("facilityId" in op)) {
      const d = decideFacilityAdministration(actorFacts(actor), { kind: op.kind });
      return d.allow ? { value: await op.work(tx, at) } : { denied: d.reason, facilityId: null };
    }
    const facility = await tx.facility.findUnique({ where: { id: op.facilityId } });
    if (!facility) return { notFound: true };
    const d = decideFacilityAdministration(actorFacts(actor), { kind: op.kind, facility: { id: facility.id, active: facility.status === "ACTIVE", discloses: facility.discloses } });
    return d.allow ? { value: await op.work(tx, at, facility) } : { denied: d.reason, facilityId: facility.id };
  });
  if ("notFound" in outcome) throw new FacilityNotFoundError();
  if ("denied" in outcome) {
    await db.$transaction((tx) => recordAudit(tx, { actor: auditActorOf(actor), action: "FACILITY_ADMIN_DENIED", outcome: "DENY", purpose: "ADMINISTRATION", at, detail: { attempted: op.kind, facilityId: outcome.facilityId, reason: outcome.denied } }));
    throw new FacilityAdminRefusedError(outcome.denied);
  }
  return outcome.value;
}

/** May this user manage facilities at all (what the pages offer; each operation still decides for itself). */
export const mayManageFacilities = (actor: Actor) => decideFacilityAdministration(actorFacts(actor), { kind: "CREATE" }).allow;
