/**
 * What a screen may say about a patient's withholding and about where they have records. Pure, like
 * decide(): lib/record asks, then shapes what leaves the database.
 */
import { CLINICAL_PROFESSIONS, decideConsentManagement, type ActorFacts, type Sensitivity } from "./decide";
import { identifiedRecently } from "./identification";

/**
 * May this user see WHICH categories a patient withholds? Only staff who manage consent and are not
 * clinicians: the person at the desk who wrote the consent down must read it back, but a clinician
 * who learns "withholds psychiatric records" has learnt what was withheld. A doctor may manage
 * consent too (decideConsentManagement lets any verified staff member), so the profession decides,
 * not the right to manage: clinicians see only that some records are withheld.
 */
export function mayKnowWithheldCategories(actor: ActorFacts): boolean {
  return decideConsentManagement(actor).allow && !CLINICAL_PROFESSIONS.includes(actor.profession);
}

/** What a consent says about withholding, as this user may be told it. */
export type WithholdingNotice = { categories: Sensitivity[] } | { some: boolean };

export function withholdingNotice(actor: ActorFacts, withheld: readonly Sensitivity[]): WithholdingNotice {
  const real = withheld.filter((w) => w !== "NORMAL");
  return mayKnowWithheldCategories(actor) ? { categories: real } : { some: real.length > 0 };
}

/**
 * Which of a patient's linked facilities a viewer may be told of: those holding at least one record
 * the viewer may see. A psychiatric clinic's name in the header says what the patient withheld.
 * `visibleRecordsAt` counts, per facility, the records left after the viewer's withholding and kinds.
 */
export function disclosedFacilities<F extends { id: string }>(linked: readonly F[], visibleRecordsAt: ReadonlyMap<string, number>): F[] {
  return linked.filter((f) => (visibleRecordsAt.get(f.id) ?? 0) > 0);
}

/** How long a card identification at the desk opens that patient's access report for the same user. */
export { IDENTIFICATION_MINUTES as CARD_IDENTIFICATION_MINUTES } from "./identification";

export type AccessReportDenyReason = Exclude<ReturnType<typeof decideConsentManagement>, { allow: true }>["reason"] | "CARD_NOT_IDENTIFIED";

export type AccessReportDecision = { allow: true; copy: "ADMINISTRATOR" | "PATIENT" } | { allow: false; reason: AccessReportDenyReason };

/**
 * May this user print a patient's access report? The patient's copy is printed at the patient's
 * request by staff who may manage consent, and only after the patient was identified by their card
 * (kana, birth date, insured and insurer numbers) by this same user in the last
 * CARD_IDENTIFICATION_MINUTES: a patient id in an address is no request from the patient. The
 * administrator's copy (staff names, break-glass reasons in the requester's words) answers a
 * disclosure request to the network, found by the same card look-up.
 */
export function decideAccessReport(actor: ActorFacts, f: { administrator: boolean; identifiedAt: Date | null; now: Date }): AccessReportDecision {
  if (f.administrator) return actor.active ? { allow: true, copy: "ADMINISTRATOR" } : { allow: false, reason: "USER_INACTIVE" };
  const staff = decideConsentManagement(actor);
  if (!staff.allow) return staff;
  return identifiedRecently(f.identifiedAt, f.now) ? { allow: true, copy: "PATIENT" } : { allow: false, reason: "CARD_NOT_IDENTIFIED" };
}

/** What of a break-glass event each copy shows: the coded reason to all, the free text only to the administrator. */
export const reportShowsReasonText = (copy: "ADMINISTRATOR" | "PATIENT") => copy === "ADMINISTRATOR";
