import type { Actor } from "../../lib/auth/actor";

/** A signed-in, verified user at a facility, as lib/* receives one (the tests create the matching rows). */
export function testActor(facilityId: string, profession: Actor["profession"], over: Partial<Actor> = {}): Actor {
  const userId = over.userId ?? `u-${facilityId}-${profession}`;
  return {
    userId,
    loginId: userId,
    name: `氏名-${userId}`,
    profession,
    facilityId,
    facilityName: `施設${facilityId}`,
    facilityStatus: "ACTIVE",
    facilityViews: true,
    facilityCanBreakGlass: false,
    active: true,
    facilityAdministrator: false,
    credentialVerified: true,
    sessionId: `s-${userId}`,
    mfa: true,
    mustChangePassword: false,
    ...over,
  };
}
