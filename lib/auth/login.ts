import { z } from "zod";
import { getDb, type Tx } from "../db/client";
import { recordAudit } from "../audit";
import { now } from "../clock";
import { burnVerifyTime, verifyPassword } from "./password";
import { verifyTotp } from "./totp";
import { useRecoveryCode } from "./recovery";
import { afterFailure, ipAfterFailure, ipBlocked, isLocked } from "./lockout";
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

type Failure = "UNKNOWN_ACCOUNT" | "RATE_LIMITED" | "LOCKED" | "BAD_PASSWORD" | "CODE_REQUIRED" | "BAD_CODE" | "REPLAYED_CODE" | "USER_INACTIVE" | "FACILITY_SUSPENDED";

/** Failures that are guesses at a credential: they count towards lockout and the address's limit. */
const GUESSES: ReadonlySet<Failure> = new Set(["UNKNOWN_ACCOUNT", "BAD_PASSWORD", "CODE_REQUIRED", "BAD_CODE", "REPLAYED_CODE", "LOCKED"]);

/**
 * Checks a login: password, then the second factor (TOTP, a code used once; or a recovery code).
 * Every outcome is audited with its reason; the caller gets only "ok" or "no", so the login page
 * cannot reveal whether an account exists, is locked, or which factor was wrong.
 *
 * An account without a second factor yet (new, or reset) gets a session that can only enrol one.
 */
export async function checkLogin(input: unknown, ip: string | null): Promise<SessionUser | null> {
  const parsed = loginSchema.safeParse(input);
  if (!parsed.success) return null;
  const { loginId, password, code } = parsed.data;
  const db = await getDb();
  const at = now();
  const ipKey = `ip:${ip ?? "unknown"}`;

  const [user, ipWindow] = await Promise.all([
    db.user.findUnique({
      where: { loginId },
      select: {
        id: true, name: true, profession: true, facilityId: true, active: true, passwordHash: true, totpSecret: true, totpLastStep: true,
        failedLoginCount: true, lockedUntil: true, facility: { select: { status: true } },
      },
    }),
    db.loginThrottle.findUnique({ where: { key: ipKey } }),
  ]);

  const fail = async (reason: Failure, tx?: Tx) => {
    const write = async (t: Tx) => {
      const actor = user ? { userId: user.id, name: user.name, profession: user.profession, facilityId: user.facilityId } : null;
      await recordAudit(t, { actor, action: "LOGIN_FAILED", outcome: "FAILURE", at, detail: { loginId, ip, reason } });
      if (!GUESSES.has(reason)) return;
      const w = ipAfterFailure(ipWindow, at);
      await t.loginThrottle.upsert({ where: { key: ipKey }, create: { key: ipKey, ...w }, update: w });
      if (user && reason !== "LOCKED") {
        const next = afterFailure(user, at);
        await t.user.update({ where: { id: user.id }, data: { failedLoginCount: next.failedLoginCount, lockedUntil: next.lockedUntil } });
        if (next.lockedNow) {
          await recordAudit(t, { actor, action: "ACCOUNT_LOCKED", outcome: "SUCCESS", at, detail: { loginId, ip, until: next.lockedUntil?.toISOString() } });
        }
      }
    };
    if (tx) await write(tx);
    else await db.$transaction(write);
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
  if (!user.active) return fail("USER_INACTIVE");
  if (user.facility.status !== "ACTIVE") return fail("FACILITY_SUSPENDED");

  return db.$transaction(async (tx) => {
    let mfa = false;
    let recovery = false;
    if (user.totpSecret) {
      if (!code) return fail("CODE_REQUIRED", tx);
      const check = verifyTotp(user.totpSecret, code, at, user.totpLastStep === null ? null : Number(user.totpLastStep));
      if (check.ok) {
        // Conditional on the step we read: two logins racing with one code cannot both win.
        const r = await tx.user.updateMany({ where: { id: user.id, totpLastStep: user.totpLastStep }, data: { totpLastStep: BigInt(check.step) } });
        if (r.count !== 1) return fail("REPLAYED_CODE", tx);
        mfa = true;
      } else if (await useRecoveryCode(tx, user.id, code, at)) {
        mfa = recovery = true;
      } else {
        return fail(check.reason === "REPLAY" ? "REPLAYED_CODE" : "BAD_CODE", tx);
      }
    }
    await tx.user.update({ where: { id: user.id }, data: { failedLoginCount: 0, lockedUntil: null } });
    const sid = await startSession(tx, user.id, mfa, ip, at);
    const actor = { userId: user.id, name: user.name, profession: user.profession, facilityId: user.facilityId };
    if (recovery) await recordAudit(tx, { actor, action: "RECOVERY_CODE_USED", outcome: "SUCCESS", at, detail: { ip } });
    await recordAudit(tx, { actor, action: "LOGIN", outcome: "SUCCESS", at, detail: { ip, mfa, secondFactor: recovery ? "RECOVERY_CODE" : mfa ? "TOTP" : "NOT_ENROLLED" } });
    return { id: user.id, name: user.name, sid };
  });
}
