/**
 * Who manages which user accounts. The network administrator (profession ADMIN) manages every
 * account; a facility administrator (施設管理者, a flag a network administrator grants) manages only
 * their own facility's, and never an administrator's rights. Pure, like decide(): facts in, decision
 * out, tested as a matrix (tests/account-admin-access.test.ts), each deny with its allow twin one
 * fact away.
 */
import type { ActorFacts, Profession } from "./decide";
import type { Refusal } from "./duties";

/** The signed-in user's facts plus the one this decision adds: are they their facility's administrator. */
export interface AccountAdminFacts extends ActorFacts {
  facilityAdministrator: boolean;
}

/** The account an action concerns: an existing one, or (CREATE) the one about to be made. */
export interface AccountFacts {
  /** null for an account not created yet */
  userId: string | null;
  facilityId: string;
  profession: Profession;
  facilityAdministrator: boolean;
  /** who created it: they may not also record its licence check */
  createdById: string | null;
  /**
   * who reset the account's other factor, while that reset is still pending (a new password not yet
   * set, an authenticator not yet enrolled): the same administrator may not reset this one too, or
   * one person could take over the account (a clinic clerk, a doctor's login)
   */
  otherFactorResetBy?: string | null;
}

export const ACCOUNT_ACTIONS = [
  /** open the account's page */
  "VIEW",
  "CREATE",
  "RECORD_LICENCE_CHECK",
  "UNLOCK",
  "DEACTIVATE",
  "REACTIVATE",
  "END_SESSIONS",
  "RESET_PASSWORD",
  "RESET_SECOND_FACTOR",
  "GRANT_FACILITY_ADMINISTRATOR",
  "REVOKE_FACILITY_ADMINISTRATOR",
] as const;
export type AccountAction = (typeof ACCOUNT_ACTIONS)[number];

/** Every reason an account action is refused (each has a message in lib/i18n: tests/admin-error-messages.test.ts). */
export const ACCOUNT_ADMIN_DENY_REASONS = [
  "LOGIN_INCOMPLETE",
  "NOT_ADMINISTRATOR",
  "OTHER_FACILITY",
  "NETWORK_ADMINISTRATOR_ACCOUNT",
  "NETWORK_ADMINISTRATOR_ONLY",
  "SELF",
  "SEPARATION_OF_DUTIES",
  "BOTH_FACTORS",
  "ALREADY_FACILITY_ADMINISTRATOR",
  "NOT_FACILITY_ADMINISTRATOR",
] as const;
export type AccountAdminDenyReason = (typeof ACCOUNT_ADMIN_DENY_REASONS)[number];

/**
 * What one may not do to one's own account from the administration pages: locking oneself out, or
 * vouching for or widening one's own rights. Unlock and ending sessions are harmless on oneself
 * (the account page ends one's own sessions anyway).
 */
const NOT_ON_SELF: ReadonlySet<AccountAction> = new Set(["RECORD_LICENCE_CHECK", "DEACTIVATE", "REACTIVATE", "RESET_PASSWORD", "RESET_SECOND_FACTOR", "GRANT_FACILITY_ADMINISTRATOR", "REVOKE_FACILITY_ADMINISTRATOR"]);

/** Which accounts this user may manage at all: every facility's (null), one facility's, or none. */
export function accountScope(actor: AccountAdminFacts): Refusal<"LOGIN_INCOMPLETE" | "NOT_ADMINISTRATOR"> & { facilityId?: string | null } {
  if (!actor.loginComplete) return { allow: false, reason: "LOGIN_INCOMPLETE" };
  if (!actor.active || !actor.facilityActive) return { allow: false, reason: "NOT_ADMINISTRATOR" };
  if (actor.profession === "ADMIN") return { allow: true, facilityId: null };
  if (actor.facilityAdministrator) return { allow: true, facilityId: actor.facilityId };
  return { allow: false, reason: "NOT_ADMINISTRATOR" };
}

/**
 * One action on one account. A facility administrator acts only on their own facility's accounts,
 * never on a network administrator's, never creates one, and never grants or revokes administrator
 * rights: otherwise a facility could raise its own staff to the network's level. Separation of
 * duties holds for everyone: whoever created an account does not also record its licence check.
 */
export function decideAccountAdministration(actor: AccountAdminFacts, action: AccountAction, account: AccountFacts): Refusal<AccountAdminDenyReason> {
  const scope = accountScope(actor);
  if (!scope.allow) return scope;
  const network = scope.facilityId === null;
  if (!network) {
    if (action === "GRANT_FACILITY_ADMINISTRATOR" || action === "REVOKE_FACILITY_ADMINISTRATOR") return { allow: false, reason: "NETWORK_ADMINISTRATOR_ONLY" };
    if (account.facilityId !== scope.facilityId) return { allow: false, reason: "OTHER_FACILITY" };
    if (account.profession === "ADMIN") return { allow: false, reason: "NETWORK_ADMINISTRATOR_ACCOUNT" };
  }
  if (account.userId === actor.userId && NOT_ON_SELF.has(action)) return { allow: false, reason: "SELF" };
  switch (action) {
    case "RECORD_LICENCE_CHECK":
      return account.createdById === actor.userId ? { allow: false, reason: "SEPARATION_OF_DUTIES" } : { allow: true };
    case "GRANT_FACILITY_ADMINISTRATOR":
      // a network administrator already manages every account: the flag would mean nothing
      if (account.profession === "ADMIN") return { allow: false, reason: "NETWORK_ADMINISTRATOR_ACCOUNT" };
      return account.facilityAdministrator ? { allow: false, reason: "ALREADY_FACILITY_ADMINISTRATOR" } : { allow: true };
    case "REVOKE_FACILITY_ADMINISTRATOR":
      return account.facilityAdministrator ? { allow: true } : { allow: false, reason: "NOT_FACILITY_ADMINISTRATOR" };
    case "RESET_PASSWORD":
    case "RESET_SECOND_FACTOR":
      return account.otherFactorResetBy === actor.userId ? { allow: false, reason: "BOTH_FACTORS" } : { allow: true };
    default:
      return { allow: true };
  }
}
