import { z } from "zod";
import { accountFieldsError, type AccountFieldCode } from "./account-field-codes";

/**
 * How an administrator made sure the person asking for a reset is the account's owner. A reset hands
 * over the account, so it is only as safe as this check: it is recorded with the reset.
 */
export const IDENTITY_CHECK_METHODS = ["IN_PERSON_ID", "SUPERVISOR", "PHONE_CALLBACK"] as const;
export type IdentityCheck = { method: (typeof IDENTITY_CHECK_METHODS)[number]; note: string | null };

const NOTE_MAX = 200;

/** The form's identity check, or every problem with it at once (nothing is written). */
export function parseIdentityCheck(input: unknown, { noteRequired }: { noteRequired: boolean }): IdentityCheck {
  const raw = (typeof input === "object" && input !== null ? input : {}) as Record<string, unknown>;
  const method = z.enum(IDENTITY_CHECK_METHODS).safeParse(raw.method);
  const note = typeof raw.note === "string" ? raw.note.trim() : "";
  const fields: Record<string, AccountFieldCode> = {};
  if (!method.success) fields.method = raw.method ? "INVALID" : "IDENTITY_METHOD_REQUIRED";
  if (note.length > NOTE_MAX) fields.note = "NOTE_TOO_LONG";
  else if (noteRequired && note.length === 0) fields.note = "NOTE_REQUIRED";
  if (!method.success || Object.keys(fields).length > 0) throw accountFieldsError(fields);
  return { method: method.data, note: note || null };
}
