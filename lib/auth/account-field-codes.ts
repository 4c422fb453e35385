import { AccountFieldsError } from "./account";

/**
 * Every code the account administration forms put beside a field. Thrown only through
 * accountFieldsError, so a new code is a compile error until it is listed here, and
 * tests/admin-error-messages.test.ts holds each to a message in Japanese and English.
 */
export const ACCOUNT_FIELD_CODES = ["REQUIRED", "INVALID", "TAKEN", "NO_LICENCE", "NOT_FOUND", "IDENTITY_METHOD_REQUIRED", "NOTE_REQUIRED", "NOTE_TOO_LONG"] as const;
export type AccountFieldCode = (typeof ACCOUNT_FIELD_CODES)[number];

export const accountFieldsError = (fields: Record<string, AccountFieldCode>) => new AccountFieldsError(fields);
