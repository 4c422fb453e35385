/**
 * Who may manage the network's participating facilities: the network administrator only. Pure,
 * like decide(): facts in, decision out, tested as a matrix (tests/facility-admin-access.test.ts),
 * each deny with its allow twin one fact away.
 */
import type { ActorFacts } from "./decide";
import type { Refusal } from "./duties";

/** The facility an action concerns, as far as the decision needs it. */
export interface FacilityFacts {
  id: string;
  active: boolean;
  discloses: boolean;
}

export type FacilityAdminAction =
  | { kind: "VIEW" }
  | { kind: "VIEW_ONE"; facility: FacilityFacts }
  | { kind: "CREATE" }
  | { kind: "EDIT"; facility: FacilityFacts }
  | { kind: "SUSPEND"; facility: FacilityFacts }
  | { kind: "REINSTATE"; facility: FacilityFacts }
  | { kind: "ISSUE_KEY"; facility: FacilityFacts }
  | { kind: "REVOKE_KEY"; facility: FacilityFacts }
  /** the identity review of imported records: read the queue, confirm or reject a candidate */
  | { kind: "REVIEW_IDENTITY" }
  | { kind: "DECIDE_IDENTITY" }
  /** the network dashboard: anonymous counts of the whole network's use (facilities, users, views, refusals, imports) */
  | { kind: "VIEW_DASHBOARD" };

/** Every reason a facility action is refused (each has a message in lib/i18n: tests/admin-error-messages.test.ts). */
export const FACILITY_ADMIN_DENY_REASONS = ["LOGIN_INCOMPLETE", "NOT_NETWORK_ADMINISTRATOR", "OWN_FACILITY", "ALREADY_SUSPENDED", "NOT_SUSPENDED", "FACILITY_SUSPENDED", "FACILITY_NOT_DISCLOSING"] as const;
export type FacilityAdminDenyReason = (typeof FACILITY_ADMIN_DENY_REASONS)[number];

/**
 * A network administrator (profession ADMIN, active, at an active facility, both factors checked)
 * manages every facility. Nobody suspends their own facility: it would end their own session and
 * every colleague's at once, with nobody left there to undo it — another administrator must. A push
 * key goes only to an active 開示施設, the only kind of facility whose pushes are accepted
 * (decideIngest); revoking is always possible, since a leaked key must be stoppable whatever the state.
 */
export function decideFacilityAdministration(actor: ActorFacts, action: FacilityAdminAction): Refusal<FacilityAdminDenyReason> {
  if (!actor.loginComplete) return { allow: false, reason: "LOGIN_INCOMPLETE" };
  if (actor.profession !== "ADMIN" || !actor.active || !actor.facilityActive) return { allow: false, reason: "NOT_NETWORK_ADMINISTRATOR" };
  switch (action.kind) {
    case "SUSPEND":
      if (action.facility.id === actor.facilityId) return { allow: false, reason: "OWN_FACILITY" };
      return action.facility.active ? { allow: true } : { allow: false, reason: "ALREADY_SUSPENDED" };
    case "REINSTATE":
      return action.facility.active ? { allow: false, reason: "NOT_SUSPENDED" } : { allow: true };
    case "ISSUE_KEY":
      if (!action.facility.active) return { allow: false, reason: "FACILITY_SUSPENDED" };
      return action.facility.discloses ? { allow: true } : { allow: false, reason: "FACILITY_NOT_DISCLOSING" };
    default:
      return { allow: true };
  }
}
