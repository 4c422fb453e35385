import type { Tx } from "../db/client";
import { afterFailure, IP_LIMIT, isLocked, windowAfterOne, windowFull, type AccountLockState, type WindowLimit } from "./lockout";

/**
 * The lockout and address counters, counted inside the writing transaction. Each row is locked
 * (SELECT … FOR UPDATE) before it is read, so concurrent failures queue on the row and each one sees
 * the count the previous one wrote: 20 guesses at once lock an account exactly as 5 in a row do, and
 * none is lost. The rules themselves stay pure in ./lockout.
 *
 * Lock order, to never deadlock: the user row, then the address row, then the audit chain (which
 * recordAudit takes).
 */

/**
 * Options for the transactions that count: a burst of guesses queues on one row and for the pool's
 * connections, and a guess whose transaction gave up waiting would go uncounted. Prisma's defaults
 * (2 s to get a connection, 5 s to finish) are too short for that queue; these are not.
 */
export const COUNTING_TX = { maxWait: 10_000, timeout: 15_000 } as const;

/** Locks the user's row until the transaction ends and returns its lockout state. */
export async function lockAccountRow(tx: Tx, userId: string): Promise<AccountLockState> {
  await tx.$queryRaw`SELECT 1 FROM "User" WHERE "id" = ${userId} FOR UPDATE`;
  // Read after the lock: under READ COMMITTED this statement sees what the previous holder committed.
  return tx.user.findUniqueOrThrow({ where: { id: userId }, select: { failedLoginCount: true, lockedUntil: true } });
}

export type AccountFailure = { counted: false; lockedUntil: Date | null } | { counted: true; lockedNow: boolean; lockedUntil: Date | null };

/**
 * One more failure for the account. Not counted when the account is already locked (a concurrent
 * failure may have just locked it): the caller reports that attempt as LOCKED, as a sequential one
 * would have been.
 */
export async function countAccountFailure(tx: Tx, userId: string, at: Date): Promise<AccountFailure> {
  const state = await lockAccountRow(tx, userId);
  if (isLocked(state, at)) return { counted: false, lockedUntil: state.lockedUntil };
  const next = afterFailure(state, at);
  await tx.user.update({ where: { id: userId }, data: { failedLoginCount: next.failedLoginCount, lockedUntil: next.lockedUntil } });
  return { counted: true, lockedNow: next.lockedNow, lockedUntil: next.lockedUntil };
}

/** A successful check ends the run of consecutive failures (the row is locked by the caller's check). */
export async function clearAccountFailures(tx: Tx, userId: string): Promise<void> {
  await tx.user.update({ where: { id: userId }, data: { failedLoginCount: 0, lockedUntil: null } });
}

/**
 * One more in the window of `key`; false (not counted) when the window is already full. The row is
 * created first if missing (INSERT … ON CONFLICT DO NOTHING) so that there is a row to lock: two
 * first attempts cannot both create it, and concurrent ones queue on the lock and each see the count
 * the previous one wrote.
 */
export async function countInWindow(tx: Tx, key: string, at: Date, limit: WindowLimit): Promise<boolean> {
  await tx.loginThrottle.createMany({ data: [{ key, windowStart: at, failures: 0 }], skipDuplicates: true });
  await tx.$queryRaw`SELECT 1 FROM "LoginThrottle" WHERE "key" = ${key} FOR UPDATE`;
  const w = await tx.loginThrottle.findUniqueOrThrow({ where: { key } });
  if (windowFull(w, at, limit)) return false;
  await tx.loginThrottle.update({ where: { key }, data: windowAfterOne(w, at, limit) });
  return true;
}

/** One more failure from the address; false (not counted) when the address is already over its limit. */
export const countAddressFailure = (tx: Tx, key: string, at: Date) => countInWindow(tx, key, at, IP_LIMIT);
