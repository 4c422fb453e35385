/**
 * What a screen may say about a patient's withholding and about where they have records. Pure, like
 * decide(): lib/record asks, then shapes what leaves the database.
 */
import { CLINICAL_PROFESSIONS, decideConsentManagement, type ActorFacts, type Sensitivity } from "./decide";

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
