import type { ActorFacts, ConsentFact, Scope, Sensitivity } from "./decide";
import { mayKnowWithheldCategories } from "./disclosure";

export interface RequestedConsent {
  scope: Scope;
  withheld: Sensitivity[];
  expiresAt: Date | null;
}

/**
 * May this user record this consent over the one in force? Staff who see the withheld categories (the
 * desk) may record anything the patient asks for. A clinician never sees which categories are withheld,
 * and is the very person who would gain from a broader consent, so a clinician may only narrow one:
 * keep every withheld category, not widen an emergency-only scope, not lengthen or remove the expiry.
 * Lifting a withholding or widening access is for the desk, with the patient and their card there.
 * A first consent (none in force) has nothing to widen.
 */
export function decideConsentChange(
  actor: ActorFacts,
  inForce: Pick<ConsentFact, "scope" | "withheldCategories" | "expiresAt"> | null,
  requested: RequestedConsent,
): { allow: true } | { allow: false; reason: "WIDENING_AT_DESK_ONLY" } {
  if (!inForce || mayKnowWithheldCategories(actor)) return { allow: true };
  const lifts = inForce.withheldCategories.some((c) => c !== "NORMAL" && !requested.withheld.includes(c));
  const widens = inForce.scope === "EMERGENCY" && requested.scope === "FULL";
  const lengthens = inForce.expiresAt !== null && (requested.expiresAt === null || requested.expiresAt.getTime() > inForce.expiresAt.getTime());
  return lifts || widens || lengthens ? { allow: false, reason: "WIDENING_AT_DESK_ONLY" } : { allow: true };
}
