import { testClockEnabled } from "./env";

/**
 * "Now" for access decisions, session ages, TOTP and "current" medicines: the one seam where tests
 * move time (expiry without sleeping). Everything that compares against the current time calls this,
 * not `new Date()`.
 *
 * The frozen time lives on globalThis: the server's route bundles may each load their own copy of this
 * module, and a clock set through one must be the clock of all.
 */
const g = globalThis as { __tsunaguClock?: number | null };

export function now(): Date {
  return typeof g.__tsunaguClock === "number" ? new Date(g.__tsunaguClock) : new Date();
}

/**
 * Freeze "now" (null: back to the real clock). Refused in production, where time must be real — except
 * on an end-to-end test server (TSUNAGU_TEST_CLOCK=1, which lib/env only accepts on an e2e database).
 */
export function setClockForTests(at: Date | null): void {
  if (process.env.NODE_ENV === "production" && !testClockEnabled()) throw new Error("the test clock cannot be set in production");
  g.__tsunaguClock = at ? at.getTime() : null;
}
