import { COMMON_PASSWORDS } from "./common-passwords";

/**
 * MHLW 安全管理ガイドライン 第6.0版: with a second factor, passwords of at least 8 characters; OWASP ASVS
 * V6: no composition rules, but refuse common and breached passwords and ones built from the account.
 */
export const MIN_LENGTH = 8;
export const MAX_LENGTH = 128;

export type PasswordProblem = "TOO_SHORT" | "TOO_LONG" | "COMMON" | "CONTAINS_LOGIN_ID" | "SAME_AS_CURRENT";

export function checkPasswordPolicy(password: string, ctx: { loginId: string; current?: string }): PasswordProblem | null {
  const length = [...password].length;
  if (length < MIN_LENGTH) return "TOO_SHORT";
  if (length > MAX_LENGTH) return "TOO_LONG";
  const lower = password.normalize("NFKC").toLowerCase();
  // "Password1!", "tsunagu2026": a common word with digits or symbols around it is still common.
  const core = lower.replace(/^[^a-z]+|[^a-z]+$/g, "");
  if (COMMON_PASSWORDS.has(lower) || (core.length >= 4 && COMMON_PASSWORDS.has(core))) return "COMMON";
  if (ctx.loginId.length >= 3 && lower.includes(ctx.loginId.toLowerCase())) return "CONTAINS_LOGIN_ID";
  if (ctx.current !== undefined && password === ctx.current) return "SAME_AS_CURRENT";
  return null;
}
