import { randomUUID } from "node:crypto";
import { z } from "zod";
import { getDb } from "../db/client";
import { auditActorOf, recordAudit } from "../audit";
import { now } from "../clock";
import type { Actor } from "./actor";
import { actorFacts } from "./to-actor";
import { decideAdministration } from "../access/duties";
import { decideAccountAdministration } from "../access/account-admin";
import { newInitialPassword } from "./initial-password";
import { endSessionsIn } from "./sessions";
import { accountFieldsError, type AccountFieldCode } from "./account-field-codes";
import { accountAdminFacts, accountScopeOrRefuse, NotAdministratorError, refuseAccountAdministration, withAccount, type AccountRow } from "./account-guard";
import { parseIdentityCheck } from "./identity-check";
import { inTurn } from "../db/in-turn";

export { AccountAdminRefusedError, mayManageAccounts, NotAdministratorError, requireAccountScope } from "./account-guard";
export { IDENTITY_CHECK_METHODS } from "./identity-check";
export { ACCOUNT_ADMIN_DENY_REASONS } from "../access/account-admin";
export { ACCOUNT_FIELD_CODES } from "./account-field-codes";
export { accountFacilities, getUser, listUsers, USER_PAGE_SIZE, USER_STATUSES, type UserRow, type UserListQuery } from "./user-list";

/** A network administrator who may act as one now (lib/access decides: active, facility not suspended, login complete). */
export const isAdministrator = (actor: Actor) => decideAdministration(actorFacts(actor)).allow;

/** The network administrator's own pages (break-glass review, consent review): not a facility administrator's. */
export function requireAdmin(actor: Actor) {
  if (!isAdministrator(actor)) throw new NotAdministratorError();
}

export const PROFESSIONS = ["DOCTOR", "DENTIST", "PHARMACIST", "NURSE", "EMERGENCY", "CLERK", "ADMIN"] as const;
/** Professions whose licence (医籍登録番号 etc.) must be recorded and checked. */
const LICENSED = new Set(["DOCTOR", "DENTIST", "PHARMACIST", "NURSE", "EMERGENCY"]);

const newUser = z
  .object({
    loginId: z.string().trim().regex(/^[a-z0-9][a-z0-9._-]{2,39}$/),
    name: z.string().trim().min(1).max(60),
    nameKana: z.preprocess((v) => (v === "" ? undefined : v), z.string().trim().max(60).regex(/^[\p{Script=Katakana}ー・\s]+$/u).optional()),
    profession: z.enum(PROFESSIONS),
    facilityId: z.string().trim().min(1).max(40),
    licenseNumber: z.preprocess((v) => (v === "" ? undefined : v), z.string().trim().regex(/^[0-9A-Za-z-]{4,20}$/).optional()),
  })
  .superRefine((v, ctx) => {
    if (LICENSED.has(v.profession) && !v.licenseNumber) ctx.addIssue({ code: "custom", path: ["licenseNumber"], message: "REQUIRED" });
  });

/**
 * Creates an account with a one-time initial password (shown once to the administrator): the user
 * must change it at first login, within 72 hours, and enrol a second factor; it sees no patient until
 * its licence is verified. A facility administrator creates accounts at their own facility only.
 */
export async function createUser(actor: Actor, input: unknown): Promise<{ id: string; initialPassword: string }> {
  await accountScopeOrRefuse(actor, "CREATE");
  const p = newUser.safeParse(input);
  if (!p.success) {
    const fields: Record<string, AccountFieldCode> = {};
    for (const i of p.error.issues) fields[String(i.path[0])] ??= i.message === "REQUIRED" ? "REQUIRED" : "INVALID";
    throw accountFieldsError(fields);
  }
  const data = { ...p.data, nameKana: p.data.nameKana ?? null, licenseNumber: p.data.licenseNumber ?? null };
  const at = now();
  const d = decideAccountAdministration(accountAdminFacts(actor), "CREATE", { userId: null, facilityId: data.facilityId, profession: data.profession, facilityAdministrator: false, createdById: actor.userId });
  if (!d.allow) return refuseAccountAdministration(actor, "CREATE", d.reason, { userId: null, facilityId: data.facilityId }, at);
  const db = await getDb();
  const id = `usr-${randomUUID()}`;
  const { initialPassword, stored } = await newInitialPassword(at);
  await db.$transaction(async (tx) => {
    const [facility, taken] = await inTurn(() => tx.facility.findUnique({ where: { id: data.facilityId }, select: { id: true } }), () => tx.user.findUnique({ where: { loginId: data.loginId }, select: { id: true } }));
    if (!facility) throw accountFieldsError({ facilityId: "INVALID" });
    if (taken) throw accountFieldsError({ loginId: "TAKEN" });
    await tx.user.create({ data: { id, ...data, ...stored, createdAt: at, createdById: actor.userId } });
    await recordAudit(tx, { actor: auditActorOf(actor), action: "USER_CREATED", outcome: "SUCCESS", purpose: "ADMINISTRATION", at, detail: { userId: id, loginId: data.loginId, profession: data.profession, facilityId: data.facilityId, before: null, after: { loginId: data.loginId, name: data.name, nameKana: data.nameKana, profession: data.profession, facilityId: data.facilityId, licenseNumber: data.licenseNumber, active: true, credentialVerifiedAt: null } } });
  });
  return { id, initialPassword };
}

/** An account's licence check as its audit events show it, before and after. */
const licenceCheckOf = (u: AccountRow) => ({ credentialVerifiedAt: u.credentialVerifiedAt?.toISOString() ?? null, credentialVerifiedById: u.credentialVerifiedById, credentialVerificationMethod: u.credentialVerificationMethod });

export const VERIFICATION_METHODS = ["MHLW_REGISTRY_SEARCH", "LICENCE_ORIGINAL", "LICENCE_COPY_CERTIFIED"] as const;

/**
 * Records that the licence was checked (who, when, how): from now on the account may view patients.
 * Not by the administrator who created the account (separation of duties, lib/access).
 */
export async function verifyCredential(actor: Actor, userId: string, method: unknown): Promise<void> {
  // decided first, so that only an administrator of this account learns what is wrong with the form
  await withAccount(actor, "RECORD_LICENCE_CHECK", userId, async (tx, at, u) => {
    const m = z.enum(VERIFICATION_METHODS).safeParse(method);
    if (!m.success) throw accountFieldsError({ method: "INVALID" });
    if (LICENSED.has(u.profession) && !u.licenseNumber) throw accountFieldsError({ method: "NO_LICENCE" });
    await tx.user.update({ where: { id: userId }, data: { credentialVerifiedAt: at, credentialVerifiedById: actor.userId, credentialVerificationMethod: m.data } });
    await recordAudit(tx, { actor: auditActorOf(actor), action: "CREDENTIAL_VERIFIED", outcome: "SUCCESS", purpose: "ADMINISTRATION", at, detail: { userId, method: m.data, licenseNumber: u.licenseNumber, before: licenceCheckOf(u), after: { credentialVerifiedAt: at.toISOString(), credentialVerifiedById: actor.userId, credentialVerificationMethod: m.data } } });
  });
}

/**
 * Issues a new initial password (shown once to the administrator), after the administrator has
 * checked who is asking (how is recorded): for a user who forgot theirs, or whose initial password
 * expired unused. Like a new account's, it works for 72 hours and only to set a password of their
 * own. The account is unlocked and every session of it ends; the second factor stays (a lost
 * authenticator is resetSecondFactor's).
 */
export async function resetPassword(actor: Actor, userId: string, identityCheck: unknown): Promise<{ loginId: string; initialPassword: string }> {
  const { initialPassword, stored } = await newInitialPassword(now());
  const { loginId } = await withAccount(actor, "RESET_PASSWORD", userId, async (tx, at, u) => {
    const check = parseIdentityCheck(identityCheck, { noteRequired: false });
    await tx.user.update({ where: { id: userId }, data: { ...stored, failedLoginCount: 0, lockedUntil: null } });
    // what the user notices: a password to set again, and any lock gone (no password hash is kept here)
    const before = { mustChangePassword: u.mustChangePassword, initialPasswordExpiresAt: u.initialPasswordExpiresAt?.toISOString() ?? null, lockedUntil: u.lockedUntil?.toISOString() ?? null, failedLoginCount: u.failedLoginCount };
    const after = { mustChangePassword: true, initialPasswordExpiresAt: stored.initialPasswordExpiresAt.toISOString(), lockedUntil: null, failedLoginCount: 0 };
    await recordAudit(tx, { actor: auditActorOf(actor), action: "PASSWORD_RESET", outcome: "SUCCESS", purpose: "ADMINISTRATION", at, detail: { userId, identityCheck: check, expiresAt: after.initialPasswordExpiresAt, before, after } });
    await endSessionsIn(tx, { userId }, "PASSWORD_RESET", at, actor);
    return u;
  });
  return { loginId, initialPassword };
}

/**
 * Resets the second factor of a user who lost their authenticator (and their recovery codes), after
 * the administrator has checked who is asking, recorded with how and a note. The authenticator's
 * secret and every recovery code are cleared and every session ends: at the next login the password
 * alone opens only the enrolment of a new authenticator (the first-login step), nothing else.
 */
export async function resetSecondFactor(actor: Actor, userId: string, identityCheck: unknown): Promise<void> {
  await withAccount(actor, "RESET_SECOND_FACTOR", userId, async (tx, at, u) => {
    const check = parseIdentityCheck(identityCheck, { noteRequired: true });
    await tx.user.update({ where: { id: userId }, data: { totpSecret: null, totpPendingSecret: null, totpLastStep: null, totpEnrolledAt: null } });
    const codes = await tx.recoveryCode.deleteMany({ where: { userId } });
    await recordAudit(tx, { actor: auditActorOf(actor), action: "SECOND_FACTOR_RESET", outcome: "SUCCESS", purpose: "ADMINISTRATION", at, detail: { userId, loginId: u.loginId, identityCheck: check, recoveryCodesCleared: codes.count, before: { totpEnrolledAt: u.totpEnrolledAt?.toISOString() ?? null, recoveryCodes: codes.count }, after: { totpEnrolledAt: null, recoveryCodes: 0 } } });
    await endSessionsIn(tx, { userId }, "SECOND_FACTOR_RESET", at, actor);
  });
}

export async function unlockUser(actor: Actor, userId: string): Promise<void> {
  await withAccount(actor, "UNLOCK", userId, async (tx, at, u) => {
    await tx.user.update({ where: { id: userId }, data: { lockedUntil: null, failedLoginCount: 0 } });
    await recordAudit(tx, { actor: auditActorOf(actor), action: "ACCOUNT_UNLOCKED", outcome: "SUCCESS", purpose: "ADMINISTRATION", at, detail: { userId, before: { lockedUntil: u.lockedUntil?.toISOString() ?? null, failedLoginCount: u.failedLoginCount }, after: { lockedUntil: null, failedLoginCount: 0 } } });
  });
}

/** Deactivating ends the user's sessions at once; reactivating lets them log in again. */
export async function setUserActive(actor: Actor, userId: string, active: boolean): Promise<void> {
  await withAccount(actor, active ? "REACTIVATE" : "DEACTIVATE", userId, async (tx, at, u) => {
    await tx.user.update({ where: { id: userId }, data: { active } });
    await recordAudit(tx, { actor: auditActorOf(actor), action: active ? "USER_REACTIVATED" : "USER_DEACTIVATED", outcome: "SUCCESS", purpose: "ADMINISTRATION", at, detail: { userId, before: { active: u.active }, after: { active } } });
    if (!active) await endSessionsIn(tx, { userId }, "USER_INACTIVE", at, actor);
  });
}

export async function endUserSessions(actor: Actor, userId: string): Promise<number> {
  return withAccount(actor, "END_SESSIONS", userId, (tx, at) => endSessionsIn(tx, { userId }, "ENDED_BY_ADMIN", at, actor));
}

/**
 * Makes a user their facility's administrator (施設管理者), or stops them being one: the network
 * administrator only (lib/access). Takes effect at the user's next request; audited with before and after.
 */
export async function setFacilityAdministrator(actor: Actor, userId: string, facilityAdministrator: boolean): Promise<void> {
  await withAccount(actor, facilityAdministrator ? "GRANT_FACILITY_ADMINISTRATOR" : "REVOKE_FACILITY_ADMINISTRATOR", userId, async (tx, at, u) => {
    await tx.user.update({ where: { id: userId }, data: { facilityAdministrator } });
    await recordAudit(tx, {
      actor: auditActorOf(actor),
      action: facilityAdministrator ? "FACILITY_ADMINISTRATOR_GRANTED" : "FACILITY_ADMINISTRATOR_REVOKED",
      outcome: "SUCCESS",
      purpose: "ADMINISTRATION",
      at,
      detail: { userId, facilityId: u.facilityId, before: { facilityAdministrator: u.facilityAdministrator }, after: { facilityAdministrator } },
    });
  });
}
