import { getDb, type Tx } from "../db/client";
import { RATE_LIMITS, withinLimit, type RateLimited } from "../access/rate-limits";
import type { Actor } from "../auth/actor";
import { refuse } from "./refuse";

const key = (kind: RateLimited, userId: string) => `${kind}:${userId}`;
const windowStartAfter = (kind: RateLimited, at: Date) => at.getTime() - RATE_LIMITS[kind].windowMinutes * 60_000;

/**
 * One more in the user's window for `kind`, atomically: a single INSERT … ON CONFLICT DO UPDATE, so
 * that twenty parallel requests count twenty, never one (a read-then-write would lose updates). A
 * window older than its length restarts at 1. Times go in as epoch milliseconds so that both engines
 * compare the same UTC instants as Prisma stores them (TIMESTAMP(3), UTC).
 */
export async function countOne(db: Pick<Tx, "$queryRaw">, kind: RateLimited, userId: string, at: Date): Promise<number> {
  const rows = await db.$queryRaw<{ failures: number }[]>`
    INSERT INTO "LoginThrottle" ("key", "windowStart", "failures")
    VALUES (${key(kind, userId)}, to_timestamp(${at.getTime()}::float8 / 1000) AT TIME ZONE 'UTC', 1)
    ON CONFLICT ("key") DO UPDATE SET
      "failures" = CASE WHEN "LoginThrottle"."windowStart" <= to_timestamp(${windowStartAfter(kind, at)}::float8 / 1000) AT TIME ZONE 'UTC' THEN 1 ELSE "LoginThrottle"."failures" + 1 END,
      "windowStart" = CASE WHEN "LoginThrottle"."windowStart" <= to_timestamp(${windowStartAfter(kind, at)}::float8 / 1000) AT TIME ZONE 'UTC' THEN EXCLUDED."windowStart" ELSE "LoginThrottle"."windowStart" END
    RETURNING "failures"`;
  return Number(rows[0]!.failures);
}

/** How many the user has used in the current window. */
async function countSoFar(kind: RateLimited, userId: string, at: Date): Promise<number> {
  const db = await getDb();
  const row = await db.loginThrottle.findUnique({ where: { key: key(kind, userId) } });
  if (!row || row.windowStart.getTime() <= windowStartAfter(kind, at)) return 0;
  return row.failures;
}

/** Refuses (audited, RATE_LIMITED) a user whose window for `kind` is full. */
export async function requireWithinLimit(actor: Actor, kind: RateLimited, at: Date, what: string): Promise<void> {
  if (withinLimit(kind, await countSoFar(kind, actor.userId, at))) return;
  await refuse(actor, { action: "RATE_LIMITED", reason: "RATE_LIMITED", purpose: "ADMINISTRATION", what, at, detail: { limit: kind } });
}

/** Counts one use and refuses when it goes over the limit (for look-ups counted before they run). */
export async function takeOne(actor: Actor, kind: RateLimited, at: Date, what: string): Promise<void> {
  const db = await getDb();
  const n = await countOne(db, kind, actor.userId, at);
  if (n > RATE_LIMITS[kind].max) await refuse(actor, { action: "RATE_LIMITED", reason: "RATE_LIMITED", purpose: "ADMINISTRATION", what, at, detail: { limit: kind } });
}
