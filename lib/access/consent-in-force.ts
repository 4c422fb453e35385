import type { ConsentFact } from "./decide";

export type ConsentState = "NONE" | "IN_FORCE" | "WITHDRAWN" | "EXPIRED";

/**
 * The consent of a patient for one facility that is in force: the newest row, whatever its state (a
 * change is a new row and a withdrawal marks every active row, so an older grant can never take over).
 * The one definition that the access decision, patient search and the consent page all use.
 */
export function consentInForce<C extends Pick<ConsentFact, "facilityId" | "status" | "expiresAt" | "capturedAt"> & { id?: string }>(consents: readonly C[], facilityId: string, now: Date): { state: ConsentState; consent: C | null } {
  // newest first; rows of one instant in the order the consent page lists them (id, descending)
  const newest = consents.filter((c) => c.facilityId === facilityId).sort((a, b) => b.capturedAt.getTime() - a.capturedAt.getTime() || (b.id ?? "").localeCompare(a.id ?? ""))[0];
  if (!newest) return { state: "NONE", consent: null };
  if (newest.status === "WITHDRAWN") return { state: "WITHDRAWN", consent: newest };
  if (newest.expiresAt && newest.expiresAt.getTime() <= now.getTime()) return { state: "EXPIRED", consent: newest };
  return { state: "IN_FORCE", consent: newest };
}

/**
 * Every category the patient withholds from any facility: the newest consent row of each facility,
 * withdrawn or not, since a withdrawal ends the access, not the patient's wish about those records.
 * Under break-glass these stay withheld (the owner's decision: withholding holds in an emergency too).
 */
export function withheldAnywhere(consents: readonly ConsentFact[]): ConsentFact["withheldCategories"] {
  const newestByFacility = new Map<string, ConsentFact>();
  for (const c of consents) {
    const seen = newestByFacility.get(c.facilityId);
    if (!seen || seen.capturedAt.getTime() < c.capturedAt.getTime()) newestByFacility.set(c.facilityId, c);
  }
  const all = new Set<ConsentFact["withheldCategories"][number]>();
  for (const c of newestByFacility.values()) for (const w of c.withheldCategories) if (w !== "NORMAL") all.add(w);
  return [...all].sort();
}
