import type { DenyReason, StaffDenyReason } from "../access/decide";
import type { AccessReportDenyReason } from "../access/disclosure";

/** A refused read. Pages turn it into a screen that explains the refusal and the next step. */
export class AccessDeniedError extends Error {
  constructor(readonly reason: DenyReason | StaffDenyReason | AccessReportDenyReason, readonly patientId: string) {
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
