import type { DenyReason, StaffDenyReason } from "../access/decide";
import type { AdminDenyReason } from "../access/duties";
import type { AccessReportDenyReason } from "../access/disclosure";
import type { ConsentWidening } from "../access/consent-change";

export type RefusalReason = DenyReason | StaffDenyReason | AdminDenyReason | AccessReportDenyReason | "RATE_LIMITED" | "PATIENT_NOT_IDENTIFIED" | "WIDENING_AT_DESK_ONLY" | "FIRST_CONSENT_AT_DESK_ONLY" | "RESUMED_AT_DESK_ONLY" | "PROFESSION_MAY_NOT_ACKNOWLEDGE" | "SCOPE_EMERGENCY_ONLY" | "KIND_NOT_FOR_PROFESSION";

/** A refused read or action. Pages turn it into a screen that explains the refusal and the next step. */
export class AccessDeniedError extends Error {
  constructor(readonly reason: RefusalReason, readonly patientId: string) {
    super(`access denied: ${reason}`);
  }
}

export class PatientNotFoundError extends Error {
  constructor(readonly patientId: string) {
    super("patient not found");
  }
}

/** Malformed user input (filters, cursors): shown as a validation message, never a crash. */
export class InvalidInputError extends Error {
  constructor(readonly field: string, message: string) {
    super(message);
  }
}

/** A document that does not exist for this patient, or that this actor may not see (not revealed). */
export class DocumentNotFoundError extends Error {
  constructor(readonly patientId: string, readonly documentId: string) {
    super("document not found");
  }
}

/** A form with problems: field → code, shown beside each field. Nothing was written. */
export class InvalidFieldsError extends Error {
  constructor(readonly fields: Record<string, string>) {
    super(`invalid fields: ${Object.keys(fields).join(", ")}`);
  }
}

/**
 * A consent change that shares more than the consent in force, sent without the confirmation of exactly
 * that widening (`required`: none; `changed`: one for another widening, e.g. the consent changed in
 * between). A form error on `confirmWidening`, carrying what would widen so the form can name it.
 */
export class WideningNotConfirmedError extends InvalidFieldsError {
  constructor(readonly widening: ConsentWidening[], code: "required" | "changed") {
    super({ confirmWidening: code });
  }
}

/** What a typed error means to whoever asked: an HTTP status and a code, never a server message. */
export type ErrorOutcome =
  | { kind: "unauthenticated"; status: 401; code: "LOGIN_INCOMPLETE" }
  | { kind: "denied"; status: 403 | 429; code: "ACCESS_DENIED" | "RATE_LIMITED"; reason: RefusalReason }
  | { kind: "notFound"; status: 404; code: "NOT_FOUND" }
  | { kind: "invalid"; status: 400; code: "INVALID_INPUT"; fields: Record<string, string> };

/**
 * The one mapping from lib/record's typed errors to what a page, an action or the API answers. A
 * half-finished login is "not yet authenticated" (401), not a refusal of this patient (403). Anything
 * else is a bug and returns null, for the caller to rethrow to its error boundary.
 */
export function outcomeOf(e: unknown): ErrorOutcome | null {
  if (e instanceof AccessDeniedError) {
    if (e.reason === "LOGIN_INCOMPLETE") return { kind: "unauthenticated", status: 401, code: "LOGIN_INCOMPLETE" };
    if (e.reason === "RATE_LIMITED") return { kind: "denied", status: 429, code: "RATE_LIMITED", reason: e.reason };
    return { kind: "denied", status: 403, code: "ACCESS_DENIED", reason: e.reason };
  }
  if (e instanceof PatientNotFoundError || e instanceof DocumentNotFoundError) return { kind: "notFound", status: 404, code: "NOT_FOUND" };
  if (e instanceof InvalidInputError) return { kind: "invalid", status: 400, code: "INVALID_INPUT", fields: { [e.field]: "invalid" } };
  if (e instanceof InvalidFieldsError) return { kind: "invalid", status: 400, code: "INVALID_INPUT", fields: e.fields };
  return null;
}
