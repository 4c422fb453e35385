import { z } from "zod";
import { getDb } from "../db/client";
import { auditActorOf, recordAudit } from "../audit";
import { now } from "../clock";
import type { Actor } from "./actor";
import { hashPassword } from "./password";
import { reauthenticate } from "./reauthenticate";
import { checkPasswordPolicy } from "./password-policy";
import { newTotpSecret, otpauthUri, verifyTotp } from "./totp";
import { issueRecoveryCodes } from "./recovery";
import { ABSOLUTE_SECONDS, IDLE_SECONDS, endSessions } from "./sessions";

/** A form with problems: field → code. Nothing was written. */
export class AccountFieldsError extends Error {
  constructor(readonly fields: Record<string, string>) {
    super(`invalid: ${Object.keys(fields).join(", ")}`);
  }
}

const passwordChange = z.object({ current: z.string().min(1).max(200), code: z.string().trim().max(20).optional(), next: z.string().max(400), confirm: z.string().max(400) });

/**
 * Changes the actor's password after re-authentication (the current password, and a fresh code when
 * the account has a second factor: a session left open must not be enough) and the policy. The other
 * sessions of the account end (someone who knew the old password is thrown out); this one continues.
 * The new password is checked first, so a typo there does not use up the code.
 */
export async function changePassword(actor: Actor, input: unknown): Promise<void> {
  const p = passwordChange.safeParse(input);
  if (!p.success) throw new AccountFieldsError({ current: "REQUIRED" });
  const problem = checkPasswordPolicy(p.data.next, { loginId: actor.loginId, current: p.data.current });
  if (problem) throw new AccountFieldsError({ next: problem });
  if (p.data.next !== p.data.confirm) throw new AccountFieldsError({ confirm: "MISMATCH" });
  const check = await reauthenticate(actor, { password: p.data.current, code: p.data.code }, "PASSWORD_CHANGE");
  if (!check.ok) throw new AccountFieldsError({ current: check.reason === "LOCKED" ? "LOCKED" : "REAUTH_FAILED" });
  const db = await getDb();
  const at = now();
  const passwordHash = await hashPassword(p.data.next);
  await db.$transaction(async (tx) => {
    await tx.user.update({ where: { id: actor.userId }, data: { passwordHash, mustChangePassword: false, initialPasswordExpiresAt: null } });
    await recordAudit(tx, { actor: auditActorOf(actor), action: "PASSWORD_CHANGED", outcome: "SUCCESS", purpose: "ADMINISTRATION", at, detail: { forced: actor.mustChangePassword } });
  });
  await endSessions(db, { userId: actor.userId, exceptId: actor.sessionId }, "PASSWORD_CHANGED", now(), actor);
}

/** "Log out everywhere": every session of the account ends, this one included. */
export async function logoutEverywhere(actor: Actor): Promise<number> {
  const db = await getDb();
  return endSessions(db, { userId: actor.userId }, "LOGOUT_ALL", now(), actor);
}

export interface Enrolment {
  enrolled: boolean;
  /** for a pending enrolment: what the authenticator app scans or the user types */
  secret?: string;
  uri?: string;
}

/** The second-factor state; starts an enrolment (a pending secret) when there is none. */
export async function secondFactorEnrolment(actor: Actor): Promise<Enrolment> {
  const db = await getDb();
  const u = await db.user.findUniqueOrThrow({ where: { id: actor.userId }, select: { loginId: true, totpSecret: true, totpPendingSecret: true } });
  if (u.totpSecret) return { enrolled: true };
  let secret = u.totpPendingSecret;
  if (!secret) {
    secret = newTotpSecret();
    await db.user.update({ where: { id: actor.userId }, data: { totpPendingSecret: secret } });
  }
  return { enrolled: false, secret, uri: otpauthUri(secret, u.loginId) };
}

/**
 * Finishes enrolment: the code proves the app holds the pending secret. The secret becomes the
 * account's, this session counts as two-factor from now on, and ten recovery codes are returned —
 * in clear, once.
 */
export async function confirmSecondFactor(actor: Actor, code: unknown): Promise<string[]> {
  const db = await getDb();
  const at = now();
  const u = await db.user.findUniqueOrThrow({ where: { id: actor.userId }, select: { totpSecret: true, totpPendingSecret: true } });
  if (u.totpSecret || !u.totpPendingSecret) throw new AccountFieldsError({ code: "NO_ENROLMENT" });
  const check = verifyTotp(u.totpPendingSecret, typeof code === "string" ? code : "", at, null);
  if (!check.ok) throw new AccountFieldsError({ code: "WRONG" });
  return db.$transaction(async (tx) => {
    await tx.user.update({ where: { id: actor.userId }, data: { totpSecret: u.totpPendingSecret, totpPendingSecret: null, totpEnrolledAt: at, totpLastStep: BigInt(check.step) } });
    await tx.session.update({ where: { id: actor.sessionId }, data: { mfa: true } });
    const codes = await issueRecoveryCodes(tx, actor.userId, at);
    await recordAudit(tx, { actor: auditActorOf(actor), action: "MFA_ENROLLED", outcome: "SUCCESS", purpose: "ADMINISTRATION", at, detail: { method: "TOTP", recoveryCodes: codes.length } });
    return codes;
  });
}

export interface SessionRow {
  id: string;
  createdAt: string;
  lastSeenAt: string;
  ip: string | null;
  current: boolean;
}

/** The account's open sessions, for "where am I logged in". */
export async function openSessions(actor: Actor): Promise<SessionRow[]> {
  const db = await getDb();
  const at = now().getTime();
  const rows = await db.session.findMany({
    where: { userId: actor.userId, endedAt: null, lastSeenAt: { gt: new Date(at - IDLE_SECONDS * 1000) }, createdAt: { gt: new Date(at - ABSOLUTE_SECONDS * 1000) } },
    orderBy: { lastSeenAt: "desc" },
  });
  return rows.map((s) => ({ id: s.id, createdAt: s.createdAt.toISOString(), lastSeenAt: s.lastSeenAt.toISOString(), ip: s.ip, current: s.id === actor.sessionId }));
}
