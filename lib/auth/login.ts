import { z } from "zod";
import { getDb, type Tx } from "../db/client";
import { auditActorOfUser, recordAudit } from "../audit";
import { now } from "../clock";
import { burnVerifyTime, hashPassword, needsRehash, verifyPassword } from "./password";
import { useRecoveryCode } from "./recovery";
import { ipBlocked, isLocked } from "./lockout";
import { clearAccountFailures, COUNTING_TX, countAccountFailure, countAddressFailure, lockAccountRow } from "./failure-counters";
import { takeTotpStep } from "./totp-step";
import { initialPasswordExpired } from "./initial-password";
import { loginIdForAudit } from "./login-id-audit";
import { startSession } from "./sessions";

export const loginSchema = z.object({
  loginId: z.string().trim().min(1).max(100),
  password: z.string().min(1).max(200),
  /** the authenticator's 6 digits, or a recovery code; empty for an account still to enrol */
  code: z.string().trim().max(20).optional().default(""),
});

export interface SessionUser {
  id: string;
  name: string;
  /** the server-side session the cookie will name */
  sid: string;
}

/**
 * The right password, but an initial one that was not changed within its 72 hours: the one refusal
 * the login page explains (only someone who knows the password gets this far), because the user
 * cannot fix it alone — an administrator must issue a new one.
 */
export class InitialPasswordExpiredError extends Error {
  constructor() {
    super("INITIAL_PASSWORD_EXPIRED");
  }
}

/**
 * Both factors were right, but the account may not be used now: deactivated, or its facility's
 * participation suspended. Told to the user (who proved who they are) so they know whom to ask,
 * instead of the generic refusal that sends them guessing their password into a lockout.
 */
export class AccountUnavailableError extends Error {
  constructor(readonly reason: "USER_INACTIVE" | "FACILITY_SUSPENDED") {
    super(reason);
  }
}

type Failure = "UNKNOWN_ACCOUNT" | "RATE_LIMITED" | "LOCKED" | "BAD_PASSWORD" | "CODE_REQUIRED" | "BAD_CODE" | "REPLAYED_CODE" | "USER_INACTIVE" | "FACILITY_SUSPENDED" | "INITIAL_PASSWORD_EXPIRED";

/** Failures that are guesses at a credential: they count towards lockout and the address's limit. */
const GUESSES: ReadonlySet<Failure> = new Set(["UNKNOWN_ACCOUNT", "BAD_PASSWORD", "CODE_REQUIRED", "BAD_CODE", "REPLAYED_CODE", "LOCKED"]);

/**
 * The per-address limit's key. Without an address (no socket peer reached us: a script, a test) all
 * such attempts share one bucket; a request over HTTP always has its own address (lib/auth/client-address).
 */
const addressKey = (ip: string | null) => `ip:${ip ?? "unknown"}`;

/**
 * Checks a login: password, then the second factor (TOTP, a code used once; or a recovery code).
 * Every outcome is audited with its reason; the caller gets only "ok" or "no", so the login page
 * cannot reveal whether an account exists, is locked, or which factor was wrong. (The exceptions, told
 * only to someone who gave the right password and second factor: an expired initial password throws
 * InitialPasswordExpiredError, a deactivated account or a suspended facility AccountUnavailableError.)
 *
 * The reads before the password check only spare a blocked address or a locked account the slow
 * hash; every count is taken again under the row's lock in the transaction that writes it
 * (./failure-counters), so parallel guesses cannot slip past the limits.
 *
 * An account without a second factor yet (new, or reset) gets a session that can only enrol one.
 */
export async function checkLogin(input: unknown, ip: string | null): Promise<SessionUser | null> {
  const parsed = loginSchema.safeParse(input);
  if (!parsed.success) return null;
  const { loginId, password, code } = parsed.data;
  const db = await getDb();
  const at = now();
  const ipKey = addressKey(ip);

  const [user, ipWindow] = await Promise.all([
    db.user.findUnique({
      where: { loginId },
      select: {
        id: true, name: true, profession: true, facilityId: true, active: true, passwordHash: true, totpSecret: true, totpLastStep: true,
        failedLoginCount: true, lockedUntil: true, mustChangePassword: true, initialPasswordExpiresAt: true, facility: { select: { status: true } },
      },
    }),
    db.loginThrottle.findUnique({ where: { key: ipKey } }),
  ]);
  const actor = user ? auditActorOfUser(user) : null;
  const who = loginIdForAudit(loginId, user !== null);

  const fail = async (reason: Failure, tx?: Tx) => {
    const write = async (t: Tx) => {
      let final = reason;
      if (GUESSES.has(reason)) {
        // The user's row first, always (the success path below holds it too): one lock order, no deadlock.
        if (user) await lockAccountRow(t, user.id);
        // A concurrent failure may have filled the address's window or locked the account since the
        // read above: then this attempt is what a sequential one would have been, and is not counted.
        if (!(await countAddressFailure(t, ipKey, at))) final = "RATE_LIMITED";
        else if (user && reason !== "LOCKED") {
          const counted = await countAccountFailure(t, user.id, at);
          if (!counted.counted) final = "LOCKED";
          else if (counted.lockedNow) await recordAudit(t, { actor, action: "ACCOUNT_LOCKED", outcome: "SUCCESS", at, detail: { ...who, ip, until: counted.lockedUntil?.toISOString() } });
        }
      }
      await recordAudit(t, { actor, action: "LOGIN_FAILED", outcome: "FAILURE", at, detail: { ...who, ip, reason: final } });
    };
    if (tx) await write(tx);
    else await db.$transaction(write, COUNTING_TX);
    return null;
  };

  if (ipBlocked(ipWindow, at)) {
    await burnVerifyTime(password);
    return fail("RATE_LIMITED");
  }
  if (!user) {
    await burnVerifyTime(password);
    return fail("UNKNOWN_ACCOUNT");
  }
  if (isLocked(user, at)) {
    // Same work as a real check, so the answer's timing says nothing either.
    await burnVerifyTime(password);
    return fail("LOCKED");
  }
  if (!(await verifyPassword(user.passwordHash, password))) return fail("BAD_PASSWORD");
  if (initialPasswordExpired(user, at)) {
    await fail("INITIAL_PASSWORD_EXPIRED");
    throw new InitialPasswordExpiredError();
  }
  // The password is in hand: a hash made with weaker parameters than today's is made again.
  const rehashed = needsRehash(user.passwordHash) ? await hashPassword(password) : null;

  const unavailable = !user.active ? "USER_INACTIVE" : user.facility.status !== "ACTIVE" ? "FACILITY_SUSPENDED" : null;
  const result = await db.$transaction(async (tx): Promise<SessionUser | null | AccountUnavailableError> => {
    if (isLocked(await lockAccountRow(tx, user.id), at)) return fail("LOCKED", tx);
    let mfa = false;
    let recovery = false;
    if (user.totpSecret) {
      if (!code) return fail("CODE_REQUIRED", tx);
      const step = await takeTotpStep(tx, { id: user.id, totpSecret: user.totpSecret, totpLastStep: user.totpLastStep }, code, at);
      if (step.ok) mfa = true;
      else if (await useRecoveryCode(tx, user.id, code, at)) mfa = recovery = true;
      else return fail(step.reason, tx);
    }
    await clearAccountFailures(tx, user.id);
    // after the second factor, so that the state of an account is told only to its holder
    if (unavailable) {
      await fail(unavailable, tx);
      return new AccountUnavailableError(unavailable);
    }
    // Conditional on the hash we verified: a password changed meanwhile is not overwritten.
    if (rehashed) await tx.user.updateMany({ where: { id: user.id, passwordHash: user.passwordHash }, data: { passwordHash: rehashed } });
    const sid = await startSession(tx, user.id, mfa, ip, at);
    if (recovery) await recordAudit(tx, { actor, action: "RECOVERY_CODE_USED", outcome: "SUCCESS", at, detail: { ip } });
    await recordAudit(tx, { actor, action: "LOGIN", outcome: "SUCCESS", at, detail: { ip, mfa, secondFactor: recovery ? "RECOVERY_CODE" : mfa ? "TOTP" : "NOT_ENROLLED" } });
    return { id: user.id, name: user.name, sid };
  }, COUNTING_TX);
  // thrown once the transaction (and its audit event) is committed
  if (result instanceof AccountUnavailableError) throw result;
  return result;
}
