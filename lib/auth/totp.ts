import { Secret, TOTP } from "otpauth";

/** RFC 6238 as every authenticator app does it: SHA-1, 6 digits, 30-second steps. */
export const TOTP_PERIOD = 30;
/** One step either side: a phone clock a little off, or a code typed as it turned over. */
const WINDOW = 1;
export const TOTP_ISSUER = "Tsunagu";

const totp = (secret: string, label = "") => new TOTP({ issuer: TOTP_ISSUER, label, algorithm: "SHA1", digits: 6, period: TOTP_PERIOD, secret: Secret.fromBase32(secret) });

/** A new random secret (160 bits, base32) for enrolment. */
export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

/** The otpauth:// URI an authenticator app scans from the QR code. */
export function otpauthUri(secret: string, loginId: string): string {
  return totp(secret, loginId).toString();
}

/** The code valid at `at` (demo helper and tests). */
export function totpCode(secret: string, at: Date): string {
  return totp(secret).generate({ timestamp: at.getTime() });
}

export const stepAt = (at: Date) => Math.floor(at.getTime() / 1000 / TOTP_PERIOD);

export type TotpCheck = { ok: true; step: number } | { ok: false; reason: "INVALID" | "REPLAY" };

/**
 * Checks a code at time `at`. A code for a step at or before `lastStep` (the last one accepted for
 * this account) is a replay and refused, even inside the window: each code works once.
 */
export function verifyTotp(secret: string, code: string, at: Date, lastStep: number | null): TotpCheck {
  const token = code.replace(/\s/g, "");
  if (!/^\d{6}$/.test(token)) return { ok: false, reason: "INVALID" };
  const delta = totp(secret).validate({ token, timestamp: at.getTime(), window: WINDOW });
  if (delta === null) return { ok: false, reason: "INVALID" };
  const step = stepAt(at) + delta;
  if (lastStep !== null && step <= lastStep) return { ok: false, reason: "REPLAY" };
  return { ok: true, step };
}
