import type { Tx } from "../db/client";
import { verifyTotp } from "./totp";

export type TotpStep = { ok: true; step: number } | { ok: false; reason: "BAD_CODE" | "REPLAYED_CODE" };

/**
 * Checks a TOTP code and uses up its step, for login and re-authentication alike. The step is taken
 * with an update conditional on the last step we read: two requests racing with one code cannot both
 * win — the second finds the step moved and is a replay.
 */
export async function takeTotpStep(tx: Tx, user: { id: string; totpSecret: string; totpLastStep: bigint | null }, code: string, at: Date): Promise<TotpStep> {
  const check = verifyTotp(user.totpSecret, code, at, user.totpLastStep === null ? null : Number(user.totpLastStep));
  if (!check.ok) return { ok: false, reason: check.reason === "REPLAY" ? "REPLAYED_CODE" : "BAD_CODE" };
  const r = await tx.user.updateMany({ where: { id: user.id, totpLastStep: user.totpLastStep }, data: { totpLastStep: BigInt(check.step) } });
  return r.count === 1 ? check : { ok: false, reason: "REPLAYED_CODE" };
}
