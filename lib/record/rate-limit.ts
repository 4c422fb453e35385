import { getDb, type Tx } from "../db/client";
import { RATE_LIMITS, type RateLimited } from "../access/rate-limits";
import type { Actor } from "../auth/actor";
import { COUNTING_TX, countInWindow } from "../auth/failure-counters";
import { windowFull } from "../auth/lockout";
import { refuse } from "./refuse";

// The same windowed, row-locked counter as the login address limit (lib/auth/failure-counters), with
// lib/access's per-user limits: twenty parallel requests count twenty, never one.
const key = (kind: RateLimited, userId: string) => `${kind}:${userId}`;

const refuseLimited = (actor: Actor, kind: RateLimited, at: Date, what: string) =>
  refuse(actor, { action: "RATE_LIMITED", reason: "RATE_LIMITED", purpose: "ADMINISTRATION", what, at, detail: { limit: kind } });

/** One more in the user's window for `kind` (inside the caller's transaction); false when it was already full. */
export const countOne = (tx: Tx, kind: RateLimited, userId: string, at: Date) => countInWindow(tx, key(kind, userId), at, RATE_LIMITS[kind]);

/** Refuses (audited, RATE_LIMITED) a user whose window for `kind` is full; counts nothing (for failures counted afterwards). */
export async function requireWithinLimit(actor: Actor, kind: RateLimited, at: Date, what: string): Promise<void> {
  const db = await getDb();
  const row = await db.loginThrottle.findUnique({ where: { key: key(kind, actor.userId) } });
  if (windowFull(row, at, RATE_LIMITS[kind])) await refuseLimited(actor, kind, at, what);
}

/** Counts one use, and refuses it when the window was already full (for look-ups counted before they run). */
export async function takeOne(actor: Actor, kind: RateLimited, at: Date, what: string): Promise<void> {
  const db = await getDb();
  const counted = await db.$transaction((tx) => countOne(tx, kind, actor.userId, at), COUNTING_TX);
  if (!counted) await refuseLimited(actor, kind, at, what);
}
