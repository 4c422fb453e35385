import { auditActorOf } from "../audit";
import type { Actor } from "../auth/actor";
import { FacilityKeyError, issueFacilityKey, revokeFacilityKeys } from "../auth/facility-key";
import { getDb } from "../db/client";
import { FacilityFieldsError } from "./errors";
import { withFacilityAdmin } from "./guard";

/**
 * Push keys from the facility page: lib/access decides (an active 開示施設 only, for issuing), then
 * lib/auth/facility-key issues or revokes exactly as `npm run facility:key` does, audited under the
 * administrator's name. The key row records the administrator's login id as who issued it.
 */
export async function issueKeyFor(actor: Actor, facilityId: string): Promise<{ id: string; key: string }> {
  const code = await withFacilityAdmin(actor, { kind: "ISSUE_KEY", facilityId, work: async (_tx, _at, f) => f.code });
  return issueFacilityKey(await getDb(), code, `admin:${actor.loginId}`, auditActorOf(actor));
}

export async function revokeKeyOf(actor: Actor, facilityId: string, keyId: string): Promise<void> {
  const code = await withFacilityAdmin(actor, { kind: "REVOKE_KEY", facilityId, work: async (_tx, _at, f) => f.code });
  try {
    await revokeFacilityKeys(await getDb(), code, `admin:${actor.loginId}`, keyId, auditActorOf(actor));
  } catch (e) {
    if (e instanceof FacilityKeyError) throw new FacilityFieldsError({ key: e.reason });
    throw e;
  }
}
