/**
 * Who may search, open, export and verify the audit trail: the network administrator only. The trail
 * names every patient every user looked at, across all facilities, so it is not for clinicians, the
 * desk, or (once they exist) administrators of one facility. Pure: facts in, decision out.
 */
import type { ActorFacts } from "./decide";
import type { Refusal } from "./duties";

export type AuditSearchDenyReason = "LOGIN_INCOMPLETE" | "NOT_ADMINISTRATOR";

export function decideAuditSearch(actor: ActorFacts): Refusal<AuditSearchDenyReason> {
  if (!actor.loginComplete) return { allow: false, reason: "LOGIN_INCOMPLETE" };
  // An inactive account or a suspended facility's administrator is no administrator now.
  if (actor.profession !== "ADMIN" || !actor.active || !actor.facilityActive) return { allow: false, reason: "NOT_ADMINISTRATOR" };
  return { allow: true };
}
