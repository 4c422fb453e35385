import { randomBytes } from "node:crypto";
import { hashPassword } from "./password";

/**
 * An initial password is handed over by an administrator (on paper, by phone): it is a secret that
 * more than one person has seen. It works for 72 hours, long enough for a weekend, and only to set
 * the user's own password; after that an administrator must issue a new one.
 */
export const INITIAL_PASSWORD_HOURS = 72;

/** What an account with a fresh initial password stores; the password itself is shown once. */
export async function newInitialPassword(at: Date) {
  const initialPassword = randomBytes(9).toString("base64url"); // 12 characters, 72 bits
  return {
    initialPassword,
    stored: { passwordHash: await hashPassword(initialPassword), mustChangePassword: true, initialPasswordExpiresAt: initialPasswordExpiry(at) },
  };
}

export const initialPasswordExpiry = (at: Date) => new Date(at.getTime() + INITIAL_PASSWORD_HOURS * 3_600_000);

/** Whether the account still has its initial password and that has run out. */
export const initialPasswordExpired = (u: { mustChangePassword: boolean; initialPasswordExpiresAt: Date | null }, at: Date) =>
  u.mustChangePassword && u.initialPasswordExpiresAt !== null && at.getTime() >= u.initialPasswordExpiresAt.getTime();
