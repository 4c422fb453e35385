/**
 * "Now" for access decisions, session ages and "current" medicines: the one seam where tests move
 * time (expiry without sleeping). Everything that compares against the current time calls this, not
 * `new Date()`.
 */
let fixed: Date | null = null;

export function now(): Date {
  return fixed ? new Date(fixed.getTime()) : new Date();
}

/** Freeze "now" (null: back to the real clock). Refused in production, where time must be real. */
export function setClockForTests(at: Date | null): void {
  if (process.env.NODE_ENV === "production") throw new Error("the test clock cannot be set in production");
  fixed = at ? new Date(at.getTime()) : null;
}
