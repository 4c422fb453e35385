import { verify } from "@node-rs/argon2";
import type { Db } from "../db/client";
import { DEMO_FHIR_KEY, DEMO_PASSWORD, DEMO_TOTP_SECRET } from "../../prisma/seed/demo-credentials";
import { hashKey } from "../auth/facility-key";
import { USERS } from "../../prisma/seed/network";

export interface LiveDemoAccount {
  loginId: string;
  /** what gives it away: the published second-factor secret, or the published password */
  because: "demo second-factor secret" | "demo password" | "demo FHIR key";
}

/**
 * Accounts that anyone who has read the README could log in to: active, and holding the published
 * TOTP secret (under any login id: it is one string compare in SQL), or a demo login id whose password
 * is still the published one. A login id alone is not enough — a real network may well call its own
 * administrator `admin` — and deactivated accounts cannot log in, so neither is reported. The password
 * is checked only for the demo login ids (at most two dozen argon2 verifications, ~45 ms each), never
 * for every user.
 */
export async function findLiveDemoAccounts(db: Db): Promise<LiveDemoAccount[]> {
  const demoIds = USERS.map((u) => u.loginId);
  const rows = await db.user.findMany({
    where: { active: true, OR: [{ loginId: { in: demoIds } }, { totpSecret: DEMO_TOTP_SECRET }, { totpPendingSecret: DEMO_TOTP_SECRET }] },
    select: { loginId: true, passwordHash: true, totpSecret: true, totpPendingSecret: true },
    orderBy: { loginId: "asc" },
  });
  const found: LiveDemoAccount[] = [];
  for (const r of rows) {
    if (r.totpSecret === DEMO_TOTP_SECRET || r.totpPendingSecret === DEMO_TOTP_SECRET) found.push({ loginId: r.loginId, because: "demo second-factor secret" });
    else if (await verify(r.passwordHash, DEMO_PASSWORD).catch(() => false)) found.push({ loginId: r.loginId, because: "demo password" });
  }
  // the README publishes the demo hospital's FHIR key too: while it is live, anyone can push records
  const key = await db.facilityApiKey.findUnique({ where: { hash: hashKey(DEMO_FHIR_KEY) }, select: { id: true, revokedAt: true } });
  if (key && !key.revokedAt) found.push({ loginId: key.id, because: "demo FHIR key" });
  return found;
}

/** The one line a production start stops with: which accounts, why, and how to get past it. */
export function demoAccountsRefusal(accounts: LiveDemoAccount[]): string {
  const list = accounts.map((a) => `${a.loginId} (${a.because})`).join(", ");
  return (
    `Refusing to start in production: ${accounts.length} demo account(s) can be logged in to (or pushed to) with the credentials published in the README: ${list}. ` +
    `Deactivate them with \`npm run db:demo-accounts -- --deactivate\` (or give each its own password and second factor), then start again.`
  );
}

/**
 * Deactivates the given accounts and ends their open sessions (as an administrator's deactivation
 * does), so nobody stays signed in as one. Rows are kept: audit events refer to them.
 */
export async function deactivateDemoAccounts(db: Db, loginIds: string[], at: Date): Promise<number> {
  return db.$transaction(async (tx) => {
    const ids = (await tx.user.findMany({ where: { loginId: { in: loginIds } }, select: { id: true } })).map((u) => u.id);
    await tx.session.updateMany({ where: { userId: { in: ids }, endedAt: null }, data: { endedAt: at, endedReason: "USER_INACTIVE" } });
    await tx.facilityApiKey.updateMany({ where: { hash: hashKey(DEMO_FHIR_KEY), revokedAt: null }, data: { revokedAt: at, revokedBy: "db:demo-accounts" } });
    return (await tx.user.updateMany({ where: { id: { in: ids } }, data: { active: false } })).count;
  });
}
