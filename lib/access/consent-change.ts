import type { ActorFacts, ConsentFact, Scope, Sensitivity } from "./decide";
import { mayKnowWithheldCategories } from "./disclosure";

export interface RequestedConsent {
  scope: Scope;
  withheld: Sensitivity[];
  expiresAt: Date | null;
}

export type ConsentInForce = Pick<ConsentFact, "scope" | "withheldCategories" | "expiresAt">;

/**
 * One way a change shares more than the consent in force: a withheld category no longer withheld
 * (its records become visible to the facility's viewers), emergency-only widened to the whole record,
 * or the consent holding longer (`until`: the new end, null for none).
 */
export type ConsentWidening = { kind: "CATEGORY"; category: Sensitivity } | { kind: "SCOPE" } | { kind: "EXPIRY"; until: Date | null };

/** What the requested consent shares that the consent in force does not; empty for a first consent or a narrowing. */
export function consentWidening(inForce: ConsentInForce | null, requested: RequestedConsent): ConsentWidening[] {
  if (!inForce) return [];
  const lifted: ConsentWidening[] = inForce.withheldCategories
    .filter((c) => c !== "NORMAL" && !requested.withheld.includes(c))
    .sort()
    .map((category) => ({ kind: "CATEGORY", category }));
  const scope: ConsentWidening[] = inForce.scope === "EMERGENCY" && requested.scope === "FULL" ? [{ kind: "SCOPE" }] : [];
  const later = inForce.expiresAt !== null && (requested.expiresAt === null || requested.expiresAt.getTime() > inForce.expiresAt.getTime());
  return [...lifted, ...scope, ...(later ? [{ kind: "EXPIRY" as const, until: requested.expiresAt }] : [])];
}

/**
 * The confirmation a widening needs, as one string: the form sends back the key of the widening it
 * showed, so a confirmation covers exactly that widening and no other (a different change, or a consent
 * changed by someone else in between, gives another key).
 */
export const wideningKey = (widening: readonly ConsentWidening[]): string =>
  widening.map((w) => (w.kind === "CATEGORY" ? `CATEGORY:${w.category}` : w.kind === "EXPIRY" ? `EXPIRY:${w.until?.toISOString() ?? "NONE"}` : w.kind)).join(" ");

export type ConsentChangeDecision =
  | { allow: true; widening: ConsentWidening[] }
  | { allow: false; reason: "WIDENING_AT_DESK_ONLY" }
  | { allow: false; reason: "WIDENING_NOT_CONFIRMED"; widening: ConsentWidening[] };

/**
 * May this user record this consent over the one in force? A change that shares no more (or a first
 * consent, with nothing in force to widen) may be recorded by any consent staff.
 * A clinician never sees which categories are withheld, and is the very person who would gain from a
 * broader consent, so a clinician may only narrow one: lifting a withholding or widening access is for
 * the desk, with the patient and their card there.
 * The desk may record a widening only when it was confirmed as what it is (`confirmed`, the key of the
 * widening shown): the change form starts from the consent in force, but a desk clerk who meant to set
 * an expiry must never lift a withholding of psychiatric records without being told so.
 */
export function decideConsentChange(actor: ActorFacts, inForce: ConsentInForce | null, requested: RequestedConsent, confirmed: string | null = null): ConsentChangeDecision {
  const widening = consentWidening(inForce, requested);
  if (widening.length === 0) return { allow: true, widening };
  if (!mayKnowWithheldCategories(actor)) return { allow: false, reason: "WIDENING_AT_DESK_ONLY" };
  if (confirmed !== wideningKey(widening)) return { allow: false, reason: "WIDENING_NOT_CONFIRMED", widening };
  return { allow: true, widening };
}
