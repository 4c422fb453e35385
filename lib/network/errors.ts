import type { FacilityAdminDenyReason } from "../access/facility-admin";

/** lib/access refused the administrator (audited before it is thrown). The page shows why. */
export class FacilityAdminRefusedError extends Error {
  constructor(readonly reason: FacilityAdminDenyReason) {
    super(reason);
  }
}

/**
 * Every code a facility form or button puts beside a field or in the page's message. A new code is a
 * compile error until it is listed here, and tests/admin-error-messages.test.ts holds each to a
 * message in Japanese and English.
 */
export const FACILITY_FIELD_CODES = [
  "REQUIRED",
  "TOO_LONG",
  "INVALID",
  "KANA",
  "PHONE",
  "EMAIL",
  "DATE",
  "CODE_FORMAT",
  "CODE_PREFECTURE",
  "CODE_TABLE",
  "CODE_TABLE_KIND",
  "CODE_PREFECTURE_MISMATCH",
  "CODE_CHECK_DIGIT",
  "CODE_TAKEN",
  "CODE_IN_USE",
  "ROLE_REQUIRED",
  "BREAK_GLASS_NEEDS_VIEWS",
  "NAME_IN_USE",
  "NO_SUCH_KEY",
  "ALREADY_REVOKED",
  "UNKNOWN_FACILITY",
] as const;
export type FacilityFieldCode = (typeof FACILITY_FIELD_CODES)[number];

export const isFacilityFieldCode = (s: string): s is FacilityFieldCode => (FACILITY_FIELD_CODES as readonly string[]).includes(s);

/** The form's fields that are wrong, each with a code the form shows next to it (lib/i18n facilities.errors). */
export class FacilityFieldsError extends Error {
  constructor(readonly fields: Record<string, FacilityFieldCode>) {
    super(Object.keys(fields).join(", "));
  }
}

export class FacilityNotFoundError extends Error {
  constructor() {
    super("no such facility");
  }
}

/**
 * Another facility already has this name (under another code): perhaps the same hospital typed twice.
 * The form names it and its code, and adds the new one only when the administrator confirms.
 */
export class FacilitySameNameError extends FacilityFieldsError {
  constructor(readonly existing: { id: string; name: string; code: string }) {
    super({ name: "NAME_IN_USE" });
  }
}
