import type { ActorFacts, Profession } from "../../lib/access/decide";

/** The facts lib/access decides on, for a verified user with a complete login at an active viewing facility. */
export const actorFactsFor = (profession: Profession, over: Partial<ActorFacts> = {}): ActorFacts => ({
  userId: "u",
  loginComplete: true,
  profession,
  active: true,
  credentialVerified: true,
  facilityId: "fA",
  facilityActive: true,
  facilityViews: true,
  facilityCanBreakGlass: false,
  ...over,
});
