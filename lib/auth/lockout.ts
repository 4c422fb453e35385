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

/** At most `max` in any window of `windowMinutes`: the login address limit, and lib/access's per-user look-up limits. */
export interface WindowLimit {
  max: number;
  windowMinutes: number;
}

export const IP_LIMIT: WindowLimit = { max: IP_MAX_FAILURES, windowMinutes: IP_WINDOW_MINUTES };

/** Is the window still open and already holding `max`? */
export const windowFull = (w: IpWindow | null, at: Date, limit: WindowLimit) => w !== null && at.getTime() - w.windowStart.getTime() < limit.windowMinutes * MIN && w.failures >= limit.max;

/** The window after one more: a new window once the old one has passed. */
export function windowAfterOne(w: IpWindow | null, at: Date, limit: WindowLimit): IpWindow {
  if (!w || at.getTime() - w.windowStart.getTime() >= limit.windowMinutes * MIN) return { windowStart: at, failures: 1 };
  return { windowStart: w.windowStart, failures: w.failures + 1 };
}

export const ipBlocked = (w: IpWindow | null, at: Date) => windowFull(w, at, IP_LIMIT);

/** The address's window after one more failure. */
export const ipAfterFailure = (w: IpWindow | null, at: Date) => windowAfterOne(w, at, IP_LIMIT);
