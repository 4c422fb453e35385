/**
 * "Now" for access decisions and session ages: the one seam where tests will move time (expiry
 * without sleeping) once a test clock exists. Everything that compares against the current time
 * should call this, not `new Date()`.
 */
export function now(): Date {
  return new Date();
}
