import type { ActorFacts, ConsentFact, Scope, Sensitivity } from "./decide";
import { mayKnowWithheldCategories } from "./disclosure";

export interface RequestedConsent {
  scope: Scope;
  withheld: Sensitivity[];
  expiresAt: Date | null;
}

export type ConsentInForce = Pick<ConsentFact, "scope" | "withheldCategories" | "expiresAt">;

/**
 * The facility's last consent for the patient, whatever became of it: in force (`ended` null), or
 * withdrawn or expired. A new consent is compared with it, not only with one in force: recording
 * afresh after a withdrawal must not be a way around the rules for changing one.
 */
export type LastConsent = ConsentInForce & { ended?: "WITHDRAWN" | "EXPIRED" | null };

/**
 * One way a change shares more than the consent in force: a withheld category no longer withheld
 * (its records become visible to the facility's viewers), emergency-only widened to the whole record,
 * or the consent holding longer (`until`: the new end, null for none).
 */
export type ConsentWidening =
  | { kind: "CATEGORY"; category: Sensitivity }
  | { kind: "SCOPE" }
  | { kind: "EXPIRY"; until: Date | null }
  /** the last consent was withdrawn or ran out: this one opens the record to the facility again */
  | { kind: "RESUMED"; ended: "WITHDRAWN" | "EXPIRED" };

/**
 * What the requested consent shares that the facility's last one did not; empty for a first consent
 * or a narrowing of the one in force. After a withdrawal or an expiry the record opens again (RESUMED),
 * and what the last one withheld or kept to the emergency dataset still counts: a withholding of
 * psychiatric records is not dropped by withdrawing and recording afresh.
 */
export function consentWidening(last: LastConsent | null, requested: RequestedConsent): ConsentWidening[] {
  if (!last) return [];
  const ended = last.ended ?? null;
  const lifted: ConsentWidening[] = last.withheldCategories
    .filter((c) => c !== "NORMAL" && !requested.withheld.includes(c))
    .sort()
    .map((category) => ({ kind: "CATEGORY", category }));
  const scope: ConsentWidening[] = last.scope === "EMERGENCY" && requested.scope === "FULL" ? [{ kind: "SCOPE" }] : [];
  if (ended) return [{ kind: "RESUMED", ended }, ...lifted, ...scope];
  const later = last.expiresAt !== null && (requested.expiresAt === null || requested.expiresAt.getTime() > last.expiresAt.getTime());
  return [...lifted, ...scope, ...(later ? [{ kind: "EXPIRY" as const, until: requested.expiresAt }] : [])];
}

/**
 * The confirmation a widening needs, as one string: the form sends back the key of the widening it
 * showed, so a confirmation covers exactly that widening and no other (a different change, or a consent
 * changed by someone else in between, gives another key).
 */
export const wideningKey = (widening: readonly ConsentWidening[]): string =>
  widening.map((w) => (w.kind === "CATEGORY" ? `CATEGORY:${w.category}` : w.kind === "EXPIRY" ? `EXPIRY:${w.until?.toISOString() ?? "NONE"}` : w.kind === "RESUMED" ? `RESUMED:${w.ended}` : w.kind)).join(" ");

export type ConsentChangeDecision =
  | { allow: true; widening: ConsentWidening[] }
  | { allow: false; reason: "WIDENING_AT_DESK_ONLY" | "FIRST_CONSENT_AT_DESK_ONLY" | "RESUMED_AT_DESK_ONLY" }
  | { allow: false; reason: "WIDENING_NOT_CONFIRMED"; widening: ConsentWidening[] };

/**
 * May this user record this consent over the facility's last one? A change that shares no more may be
 * recorded by any consent staff, and so may a first consent, by a clinician only for a patient the
 * facility already has. Recording afresh after a withdrawal or an expiry is a widening (RESUMED).
 * A clinician never sees which categories are withheld, and is the very person who would gain from a
 * broader consent, so a clinician may only narrow one: lifting a withholding or widening access is for
 * the desk, with the patient and their card there.
 * The desk may record a widening only when it was confirmed as what it is (`confirmed`, the key of the
 * widening shown): the change form starts from the consent in force, but a desk clerk who meant to set
 * an expiry must never lift a withholding of psychiatric records without being told so.
 */
export function decideConsentChange(actor: ActorFacts, last: LastConsent | null, requested: RequestedConsent, confirmed: string | null = null, facility: { knowsPatient: boolean } = { knowsPatient: true }): ConsentChangeDecision {
  const desk = mayKnowWithheldCategories(actor);
  // A clinician's first consent needs a patient the facility already has (its own patient id for them):
  // the card's four items are on every prescription and receipt, and are no proof the patient is here.
  if (!last && !desk && !facility.knowsPatient) return { allow: false, reason: "FIRST_CONSENT_AT_DESK_ONLY" };
  const widening = consentWidening(last, requested);
  if (widening.length === 0) return { allow: true, widening };
  // after a withdrawal or an expiry the refusal says so: "clinicians may only narrow" puzzled a nurse
  // whose request withheld more than before
  if (!desk) return { allow: false, reason: widening.some((w) => w.kind === "RESUMED") ? "RESUMED_AT_DESK_ONLY" : "WIDENING_AT_DESK_ONLY" };
  if (confirmed !== wideningKey(widening)) return { allow: false, reason: "WIDENING_NOT_CONFIRMED", widening };
  return { allow: true, widening };
}
