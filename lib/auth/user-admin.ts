import { randomUUID } from "node:crypto";
import { z } from "zod";
import { getDb } from "../db/client";
import { auditActorOf, recordAudit } from "../audit";
import { now } from "../clock";
import type { Actor } from "./actor";
import { actorFacts } from "./to-actor";
import { decideAdministration } from "../access/duties";
import { newInitialPassword } from "./initial-password";
import { isLocked } from "./lockout";
import { endSessions } from "./sessions";
import { AccountFieldsError } from "./account";

/** Administrators run accounts; nobody else. A refusal is a typed error the page shows. */
export class NotAdministratorError extends Error {
  constructor() {
    super("administrators only");
  }
}

/** A network administrator who may act as one now (lib/access decides: active, facility not suspended, login complete). */
export const isAdministrator = (actor: Actor) => decideAdministration(actorFacts(actor)).allow;

export function requireAdmin(actor: Actor) {
  if (!isAdministrator(actor)) throw new NotAdministratorError();
}


export interface UserRow {
  id: string;
  loginId: string;
  name: string;
  profession: string;
  licenseNumber: string | null;
  facilityId: string;
  facilityName: string;
  credentialVerifiedAt: string | null;
  credentialVerifiedBy: string | null;
  credentialVerificationMethod: string | null;
  active: boolean;
  locked: boolean;
  secondFactor: boolean;
  openSessions: number;
}

/** Every account, for administrators; the read itself is audited (who looked at the staff list, when). */
export async function listUsers(actor: Actor): Promise<UserRow[]> {
  requireAdmin(actor);
  const db = await getDb();
  const at = now();
  await db.$transaction((tx) => recordAudit(tx, { actor: auditActorOf(actor), action: "USER_LIST_VIEW", outcome: "SUCCESS", purpose: "ADMINISTRATION", at, detail: { what: "user-list" } }));
  const users = await db.user.findMany({ orderBy: [{ facilityId: "asc" }, { loginId: "asc" }], include: { facility: { select: { name: true } }, _count: { select: { sessions: { where: { endedAt: null } } } } } });
  const verifiers = new Map((await db.user.findMany({ where: { id: { in: users.map((u) => u.credentialVerifiedById).filter((x): x is string => !!x) } }, select: { id: true, name: true } })).map((v) => [v.id, v.name]));
  return users.map((u) => ({
    id: u.id,
    loginId: u.loginId,
    name: u.name,
    profession: u.profession,
    licenseNumber: u.licenseNumber,
    facilityId: u.facilityId,
    facilityName: u.facility.name,
    credentialVerifiedAt: u.credentialVerifiedAt?.toISOString() ?? null,
    credentialVerifiedBy: u.credentialVerifiedById ? (verifiers.get(u.credentialVerifiedById) ?? u.credentialVerifiedById) : null,
    credentialVerificationMethod: u.credentialVerificationMethod,
    active: u.active,
    locked: isLocked(u, at),
    secondFactor: u.totpEnrolledAt !== null,
    openSessions: u._count.sessions,
  }));
}

const PROFESSIONS = ["DOCTOR", "DENTIST", "PHARMACIST", "NURSE", "EMERGENCY", "CLERK", "ADMIN"] as const;
/** Professions whose licence (医籍登録番号 etc.) must be recorded and checked. */
const LICENSED = new Set(["DOCTOR", "DENTIST", "PHARMACIST", "NURSE", "EMERGENCY"]);

const newUser = z
  .object({
    loginId: z.string().trim().regex(/^[a-z0-9][a-z0-9._-]{2,39}$/),
    name: z.string().trim().min(1).max(60),
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
 * its licence is verified.
 */
export async function createUser(actor: Actor, input: unknown): Promise<{ id: string; initialPassword: string }> {
  requireAdmin(actor);
  const p = newUser.safeParse(input);
  if (!p.success) {
    const fields: Record<string, string> = {};
    for (const i of p.error.issues) fields[String(i.path[0])] ??= i.message === "REQUIRED" ? "REQUIRED" : "INVALID";
    throw new AccountFieldsError(fields);
  }
  const db = await getDb();
  const [facility, taken] = await Promise.all([db.facility.findUnique({ where: { id: p.data.facilityId } }), db.user.findUnique({ where: { loginId: p.data.loginId }, select: { id: true } })]);
  if (!facility) throw new AccountFieldsError({ facilityId: "INVALID" });
  if (taken) throw new AccountFieldsError({ loginId: "TAKEN" });
  const id = `usr-${randomUUID()}`;
  const at = now();
  const { initialPassword, stored } = await newInitialPassword(at);
  await db.$transaction(async (tx) => {
    await tx.user.create({ data: { id, ...p.data, licenseNumber: p.data.licenseNumber ?? null, ...stored, createdAt: at, createdById: actor.userId } });
    await recordAudit(tx, { actor: auditActorOf(actor), action: "USER_CREATED", outcome: "SUCCESS", purpose: "ADMINISTRATION", at, detail: { userId: id, loginId: p.data.loginId, profession: p.data.profession, facilityId: p.data.facilityId } });
  });
  return { id, initialPassword };
}

export const VERIFICATION_METHODS = ["MHLW_REGISTRY_SEARCH", "LICENCE_ORIGINAL", "LICENCE_COPY_CERTIFIED"] as const;

/**
 * Records that the licence was checked (who, when, how): from now on the account may view patients.
 * Not by the administrator who created the account (separation of duties, lib/access).
 */
export async function verifyCredential(actor: Actor, userId: string, method: unknown): Promise<void> {
  requireAdmin(actor);
  const m = z.enum(VERIFICATION_METHODS).safeParse(method);
  if (!m.success) throw new AccountFieldsError({ method: "INVALID" });
  const db = await getDb();
  const at = now();
  await db.$transaction(async (tx) => {
    const u = await tx.user.findUniqueOrThrow({ where: { id: userId }, select: { licenseNumber: true, profession: true, createdById: true } });
    const d = decideAdministration(actorFacts(actor), { kind: "RECORD_LICENCE_CHECK", accountCreatedById: u.createdById });
    if (!d.allow) throw new AccountFieldsError({ method: d.reason });
    if (LICENSED.has(u.profession) && !u.licenseNumber) throw new AccountFieldsError({ method: "NO_LICENCE" });
    await tx.user.update({ where: { id: userId }, data: { credentialVerifiedAt: at, credentialVerifiedById: actor.userId, credentialVerificationMethod: m.data } });
    await recordAudit(tx, { actor: auditActorOf(actor), action: "CREDENTIAL_VERIFIED", outcome: "SUCCESS", purpose: "ADMINISTRATION", at, detail: { userId, method: m.data, licenseNumber: u.licenseNumber } });
  });
}

/**
 * Issues a new initial password (shown once to the administrator): for a user who forgot theirs, or
 * whose initial password expired unused. Like a new account's, it works for 72 hours and only to set
 * a password of their own. The account is unlocked and every session of it ends; the second factor
 * stays (a lost authenticator is what the recovery codes are for).
 */
export async function resetPassword(actor: Actor, userId: string): Promise<{ loginId: string; initialPassword: string }> {
  requireAdmin(actor);
  if (userId === actor.userId) throw new AccountFieldsError({ user: "SELF" });
  const db = await getDb();
  const at = now();
  const { initialPassword, stored } = await newInitialPassword(at);
  const { loginId } = await db.$transaction(async (tx) => {
    const u = await tx.user.update({ where: { id: userId }, data: { ...stored, failedLoginCount: 0, lockedUntil: null }, select: { loginId: true } });
    await recordAudit(tx, { actor: auditActorOf(actor), action: "PASSWORD_RESET", outcome: "SUCCESS", purpose: "ADMINISTRATION", at, detail: { userId, expiresAt: stored.initialPasswordExpiresAt.toISOString() } });
    return u;
  });
  await endSessions(db, { userId }, "PASSWORD_RESET", at, actor);
  return { loginId, initialPassword };
}

export async function unlockUser(actor: Actor, userId: string): Promise<void> {
  requireAdmin(actor);
  const db = await getDb();
  const at = now();
  await db.$transaction(async (tx) => {
    await tx.user.update({ where: { id: userId }, data: { lockedUntil: null, failedLoginCount: 0 } });
    await recordAudit(tx, { actor: auditActorOf(actor), action: "ACCOUNT_UNLOCKED", outcome: "SUCCESS", purpose: "ADMINISTRATION", at, detail: { userId } });
  });
}

/** Deactivating ends the user's sessions at once; reactivating lets them log in again. */
export async function setUserActive(actor: Actor, userId: string, active: boolean): Promise<void> {
  requireAdmin(actor);
  if (userId === actor.userId) throw new AccountFieldsError({ user: "SELF" });
  const db = await getDb();
  const at = now();
  await db.$transaction(async (tx) => {
    await tx.user.update({ where: { id: userId }, data: { active } });
    await recordAudit(tx, { actor: auditActorOf(actor), action: active ? "USER_REACTIVATED" : "USER_DEACTIVATED", outcome: "SUCCESS", purpose: "ADMINISTRATION", at, detail: { userId } });
  });
  if (!active) await endSessions(db, { userId }, "USER_INACTIVE", at, actor);
}

export async function endUserSessions(actor: Actor, userId: string): Promise<number> {
  requireAdmin(actor);
  const db = await getDb();
  await db.user.findUniqueOrThrow({ where: { id: userId }, select: { id: true } });
  return endSessions(db, { userId }, "ENDED_BY_ADMIN", now(), actor);
}
