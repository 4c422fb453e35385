/**
 * Lockout timing, pure so it is tested exactly: after MAX_FAILURES consecutive failures an account is
 * locked for LOCK_MINUTES (an administrator can unlock it sooner). Per client address, at most
 * IP_MAX_FAILURES failures per IP_WINDOW_MINUTES, whichever accounts they were for.
 */
export const MAX_FAILURES = 5;
export const LOCK_MINUTES = 15;
export const IP_MAX_FAILURES = 20;
export const IP_WINDOW_MINUTES = 15;

const MIN = 60_000;

export interface AccountLockState {
  failedLoginCount: number;
  lockedUntil: Date | null;
}

export const isLocked = (s: AccountLockState, at: Date) => s.lockedUntil !== null && at.getTime() < s.lockedUntil.getTime();

/** The state after one more failure; `lockedNow` when this failure locks the account. */
export function afterFailure(s: AccountLockState, at: Date): AccountLockState & { lockedNow: boolean } {
  const count = s.failedLoginCount + 1;
  if (count >= MAX_FAILURES) return { failedLoginCount: 0, lockedUntil: new Date(at.getTime() + LOCK_MINUTES * MIN), lockedNow: true };
  return { failedLoginCount: count, lockedUntil: s.lockedUntil, lockedNow: false };
}

export interface IpWindow {
  windowStart: Date;
  failures: number;
}

export const ipBlocked = (w: IpWindow | null, at: Date) => w !== null && at.getTime() - w.windowStart.getTime() < IP_WINDOW_MINUTES * MIN && w.failures >= IP_MAX_FAILURES;

/** The address's window after one more failure: a new window once the old one has passed. */
export function ipAfterFailure(w: IpWindow | null, at: Date): IpWindow {
  if (!w || at.getTime() - w.windowStart.getTime() >= IP_WINDOW_MINUTES * MIN) return { windowStart: at, failures: 1 };
  return { windowStart: w.windowStart, failures: w.failures + 1 };
}
