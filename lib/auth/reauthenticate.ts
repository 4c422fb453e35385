import { getDb, type Tx } from "../db/client";
import { auditActorOf, recordAudit } from "../audit";
import { now } from "../clock";
import type { Actor } from "./to-actor";
import { burnVerifyTime, verifyPassword } from "./password";
import { isLocked } from "./lockout";
import { clearAccountFailures, COUNTING_TX, countAccountFailure, lockAccountRow } from "./failure-counters";
import { takeTotpStep } from "./totp-step";

/** What the re-authentication was for: it is written into the audit event. */
export type ReauthPurpose = "BREAK_GLASS" | "PASSWORD_CHANGE";
export type ReauthFailure = "LOCKED" | "BAD_PASSWORD" | "CODE_REQUIRED" | "BAD_CODE" | "REPLAYED_CODE";
export type Reauthentication = { ok: true } | { ok: false; reason: ReauthFailure };

/**
 * Proves again that the signed-in user is at the keyboard, before a step that a stolen session must
 * not be able to take (breaking glass, changing the password): the password, and a fresh TOTP code
 * when the account has a second factor. It is a login without a new session, so it obeys the same
 * rules: a locked account is refused, each failure counts towards the same lockout as failed logins
 * (five in a row lock the account), a success ends the run of failures, and the code's step is
 * taken with a conditional update (./totp-step), so one code cannot serve twice, even concurrently.
 * A failure is audited (REAUTHENTICATION_FAILED, with its purpose and reason); the caller only
 * learns "no".
 */
export async function reauthenticate(actor: Actor, input: { password: string; code?: string }, purpose: ReauthPurpose): Promise<Reauthentication> {
  const db = await getDb();
  const at = now();
  const user = await db.user.findUniqueOrThrow({ where: { id: actor.userId }, select: { passwordHash: true, totpSecret: true, totpLastStep: true, failedLoginCount: true, lockedUntil: true } });

  const fail = (reason: ReauthFailure, tx?: Tx): Promise<Reauthentication> => {
    const write = async (t: Tx): Promise<Reauthentication> => {
      let final = reason;
      if (reason !== "LOCKED") {
        const counted = await countAccountFailure(t, actor.userId, at);
        if (!counted.counted) final = "LOCKED";
        else if (counted.lockedNow) await recordAudit(t, { actor: auditActorOf(actor), action: "ACCOUNT_LOCKED", outcome: "SUCCESS", purpose: "ADMINISTRATION", at, detail: { reauthentication: purpose, until: counted.lockedUntil?.toISOString() } });
      }
      await recordAudit(t, { actor: auditActorOf(actor), action: "REAUTHENTICATION_FAILED", outcome: "FAILURE", purpose: "ADMINISTRATION", at, detail: { purpose, reason: final } });
      return { ok: false, reason: final };
    };
    return tx ? write(tx) : db.$transaction(write, COUNTING_TX);
  };

  if (isLocked(user, at)) {
    await burnVerifyTime(input.password);
    return fail("LOCKED");
  }
  if (!(await verifyPassword(user.passwordHash, input.password))) return fail("BAD_PASSWORD");
  return db.$transaction(async (tx) => {
    if (isLocked(await lockAccountRow(tx, actor.userId), at)) return fail("LOCKED", tx);
    if (user.totpSecret) {
      if (!input.code) return fail("CODE_REQUIRED", tx);
      const step = await takeTotpStep(tx, { id: actor.userId, totpSecret: user.totpSecret, totpLastStep: user.totpLastStep }, input.code, at);
      if (!step.ok) return fail(step.reason, tx);
    }
    await clearAccountFailures(tx, actor.userId);
    return { ok: true };
  }, COUNTING_TX);
}
