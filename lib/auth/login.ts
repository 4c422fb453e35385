import { z } from "zod";
import { getDb } from "../db/client";
import { recordAuditNow } from "../audit";
import { burnVerifyTime, verifyPassword } from "./password";

export const loginSchema = z.object({
  loginId: z.string().trim().min(1).max(100),
  password: z.string().min(1).max(200),
});

export interface SessionUser {
  id: string;
  name: string;
}

/**
 * Checks a login. Every outcome is audited; the caller gets only "ok" or "no", never which part
 * failed, so the login page cannot reveal whether an account exists.
 */
export async function checkLogin(input: unknown, ip: string | null): Promise<SessionUser | null> {
  const parsed = loginSchema.safeParse(input);
  if (!parsed.success) return null;
  const { loginId, password } = parsed.data;
  const db = await getDb();
  const user = await db.user.findUnique({
    where: { loginId },
    select: { id: true, name: true, profession: true, facilityId: true, active: true, passwordHash: true, facility: { select: { status: true } } },
  });
  if (!user) {
    await burnVerifyTime(password);
    await recordAuditNow(db, { action: "LOGIN_FAILED", outcome: "FAILURE", detail: { loginId, ip, reason: "UNKNOWN_ACCOUNT" } });
    return null;
  }
  const actor = { userId: user.id, name: user.name, profession: user.profession, facilityId: user.facilityId };
  const passwordOk = await verifyPassword(user.passwordHash, password);
  const reason = !passwordOk ? "BAD_PASSWORD" : !user.active ? "USER_INACTIVE" : user.facility.status !== "ACTIVE" ? "FACILITY_SUSPENDED" : null;
  if (reason) {
    await recordAuditNow(db, { actor, action: "LOGIN_FAILED", outcome: "FAILURE", detail: { ip, reason } });
    return null;
  }
  await recordAuditNow(db, { actor, action: "LOGIN", outcome: "SUCCESS", detail: { ip } });
  return { id: user.id, name: user.name };
}
