import { getDb, type Tx } from "../db/client";
import type { Prisma } from "../db/generated/client";
import { auditActorOf, recordAudit } from "../audit";
import { now } from "../clock";
import { accountScope, decideAccountAdministration, type AccountAction, type AccountAdminDenyReason, type AccountAdminFacts, type AccountFacts } from "../access/account-admin";
import type { Actor } from "./actor";
import { actorFacts } from "./to-actor";
import { AccountFieldsError } from "./account";
import { accountFieldsError } from "./account-field-codes";

/** Administrators run accounts; nobody else. A refusal is a typed error the page shows. */
export class NotAdministratorError extends Error {
  constructor() {
    super("administrators only");
  }
}

/**
 * An administrator refused this one account (another facility's, their own, a network
 * administrator's…): a form error naming why, so the page says it in the user's language.
 */
export class AccountAdminRefusedError extends AccountFieldsError {
  constructor(readonly reason: AccountAdminDenyReason) {
    super({ user: reason });
  }
}

export const accountAdminFacts = (actor: Actor): AccountAdminFacts => ({ ...actorFacts(actor), facilityAdministrator: actor.facilityAdministrator });

/** Does this user manage any accounts (what the navigation offers; each action still decides for itself). */
export const mayManageAccounts = (actor: Actor) => accountScope(accountAdminFacts(actor)).allow;

/** Whose accounts this user manages: every facility's (null) or one's; anyone else is refused. */
export function requireAccountScope(actor: Actor): { facilityId: string | null } {
  const scope = accountScope(accountAdminFacts(actor));
  if (!scope.allow) throw new NotAdministratorError();
  return { facilityId: scope.facilityId ?? null };
}

/** requireAccountScope for a change: the refusal of someone who manages no accounts is audited too. */
export async function accountScopeOrRefuse(actor: Actor, attempted: AccountAction): Promise<{ facilityId: string | null }> {
  const scope = accountScope(accountAdminFacts(actor));
  if (!scope.allow) return refuseAccountAdministration(actor, attempted, scope.reason, { userId: null, facilityId: null }, now());
  return { facilityId: scope.facilityId ?? null };
}

/** A user's row as the decision and the work need it. */
// the lock, licence check and initial password too: an administrative change audits them before and after
const accountSelect = {
  id: true, loginId: true, facilityId: true, profession: true, facilityAdministrator: true, createdById: true, licenseNumber: true, active: true, mustChangePassword: true, totpEnrolledAt: true,
  lockedUntil: true, failedLoginCount: true, credentialVerifiedAt: true, credentialVerifiedById: true, credentialVerificationMethod: true, initialPasswordExpiresAt: true,
} as const;
export type AccountRow = Prisma.UserGetPayload<{ select: typeof accountSelect }>;

export const accountFactsOf = (u: Pick<AccountRow, "id" | "facilityId" | "profession" | "facilityAdministrator" | "createdById">): AccountFacts => ({
  userId: u.id,
  facilityId: u.facilityId,
  profession: u.profession,
  facilityAdministrator: u.facilityAdministrator,
  createdById: u.createdById,
});

/**
 * The one way in to an existing account, as withFacilityAdmin is to a facility: read the account,
 * decide with lib/access, do the work and its audit event in one transaction, so nothing is
 * half-saved. A refusal is audited in its own transaction (the work never ran) and thrown.
 */
/**
 * Who reset the account's other factor, if that reset is still pending: the password reset while the
 * initial password is unused, the second-factor reset while no authenticator is enrolled; from the
 * audit trail, which records who did each.
 */
async function pendingResetOfOtherFactor(tx: Tx, account: AccountRow, action: "RESET_PASSWORD" | "RESET_SECOND_FACTOR"): Promise<string | null> {
  const pending = action === "RESET_SECOND_FACTOR" ? account.mustChangePassword : account.totpEnrolledAt === null;
  if (!pending) return null;
  const event = await tx.auditEvent.findFirst({
    where: { action: action === "RESET_SECOND_FACTOR" ? "PASSWORD_RESET" : "SECOND_FACTOR_RESET", outcome: "SUCCESS", detail: { path: ["userId"], equals: account.id } },
    orderBy: { seq: "desc" },
    select: { actorId: true },
  });
  return event?.actorId ?? null;
}

export async function withAccount<T>(actor: Actor, action: AccountAction, userId: string, work: (tx: Tx, at: Date, account: AccountRow) => Promise<T>): Promise<T> {
  const db = await getDb();
  const at = now();
  const outcome = await db.$transaction(async (tx): Promise<{ value: T } | { denied: AccountAdminDenyReason; facilityId: string | null }> => {
    const account = await tx.user.findUnique({ where: { id: userId }, select: accountSelect });
    if (!account) {
      // only someone who may manage accounts learns that there is no such account
      requireAccountScope(actor);
      throw accountFieldsError({ user: "NOT_FOUND" });
    }
    const otherFactorResetBy = action === "RESET_PASSWORD" || action === "RESET_SECOND_FACTOR" ? await pendingResetOfOtherFactor(tx, account, action) : null;
    const d = decideAccountAdministration(accountAdminFacts(actor), action, { ...accountFactsOf(account), otherFactorResetBy });
    return d.allow ? { value: await work(tx, at, account) } : { denied: d.reason, facilityId: account.facilityId };
  });
  if ("denied" in outcome) return refuseAccountAdministration(actor, action, outcome.denied, { userId, facilityId: outcome.facilityId }, at);
  return outcome.value;
}

/** A refusal: audited, then thrown (not an administrator at all, or not for this account). */
export async function refuseAccountAdministration(actor: Actor, attempted: AccountAction, reason: AccountAdminDenyReason, target: { userId: string | null; facilityId: string | null }, at: Date): Promise<never> {
  const db = await getDb();
  await db.$transaction((tx) => recordAudit(tx, { actor: auditActorOf(actor), action: "ACCOUNT_ADMIN_DENIED", outcome: "DENY", purpose: "ADMINISTRATION", at, detail: { attempted, reason, ...target } }));
  if (reason === "NOT_ADMINISTRATOR" || reason === "LOGIN_INCOMPLETE") throw new NotAdministratorError();
  throw new AccountAdminRefusedError(reason);
}
