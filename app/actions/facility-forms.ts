import type { Actor } from "@/lib/auth/actor";
import { createFacility, FACILITY_ADMIN_DENY_REASONS, FACILITY_FIELD_CODES, FacilityAdminRefusedError, FacilityFieldsError, FacilityNotFoundError, FacilitySameNameError, issueKeyFor, reinstateFacility, revokeKeyOf, suspendFacility, updateFacility } from "@/lib/network";
import { formText } from "./form-data";

/**
 * What the facility pages' server actions do, given the signed-in actor (app/actions/admin-facilities
 * gets it with requireActor). Kept apart from the "use server" file so the tests can run each with a
 * non-administrator (refused) and the administrator (allowed) on the real database.
 */

const TEXT_FIELDS = ["code", "name", "nameKana", "kind", "prefecture", "address", "phone", "contactName", "contactEmail", "joinedOn"] as const;
const ROLE_FIELDS = ["discloses", "views", "canBreakGlass"] as const;

/** The form as lib/network parses it: text as sent, a checkbox as whether it was ticked. */
export function facilityInputOf(fd: FormData): Record<string, unknown> {
  return {
    ...Object.fromEntries(TEXT_FIELDS.map((k) => [k, formText(fd, k) ?? ""])),
    ...Object.fromEntries(ROLE_FIELDS.map((k) => [k, formText(fd, k) === "on"])),
    acceptCheckDigit: formText(fd, "acceptCheckDigit") === "on",
    acceptSameName: formText(fd, "acceptSameName") === "on",
  };
}

/**
 * Every code the facility forms and buttons can return, beside a field or in ?error=: the fields',
 * lib/access's refusals, a missing facility and an unknown button. Each has a message in both
 * languages (tests/admin-error-messages.test.ts).
 */
export const FACILITY_ACTION_CODES = [...FACILITY_FIELD_CODES, ...FACILITY_ADMIN_DENY_REASONS, "NOT_FOUND"] as const;

/** A typed lib/network error as the form shows it: fields beside their fields, a refusal or a missing facility as the form's message. */
export function facilityErrorsOf(e: unknown): Record<string, string> {
  if (e instanceof FacilityFieldsError) return e.fields;
  if (e instanceof FacilityAdminRefusedError) return { form: e.reason };
  if (e instanceof FacilityNotFoundError) return { form: "NOT_FOUND" };
  throw e;
}

export interface FacilityFormState {
  errors?: Record<string, string>;
  /** what was sent, so a form with an error comes back as the user filled it */
  values?: Record<string, unknown>;
  /** the facility that already has this name, which the form names before adding another */
  sameName?: { name: string; code: string };
}

/** Adds (no facilityId) or edits a facility; on success, where to go next. */
export async function saveFacility(actor: Actor, fd: FormData): Promise<(FacilityFormState & { errors: Record<string, string> }) | { next: string }> {
  const facilityId = formText(fd, "facilityId");
  try {
    if (!facilityId) {
      const { id } = await createFacility(actor, facilityInputOf(fd));
      return { next: `/admin/facilities/${encodeURIComponent(id)}?done=created` };
    }
    const { changed } = await updateFacility(actor, facilityId, facilityInputOf(fd));
    return { next: `/admin/facilities/${encodeURIComponent(facilityId)}?done=${changed.length ? "updated" : "unchanged"}` };
  } catch (e) {
    const sameName = e instanceof FacilitySameNameError ? { sameName: { name: e.existing.name, code: e.existing.code } } : {};
    return { errors: facilityErrorsOf(e), values: facilityInputOf(fd), ...sameName };
  }
}

/** Suspend, reinstate or revoke a key (the button's `op`); the facility page to return to, with what happened. */
export async function facilityOperation(actor: Actor, fd: FormData): Promise<string> {
  const facilityId = formText(fd, "facilityId") ?? "";
  const page = `/admin/facilities/${encodeURIComponent(facilityId)}`;
  const operations: Record<string, [string, () => Promise<unknown>]> = {
    suspend: ["suspended", () => suspendFacility(actor, facilityId, { withholdRecords: formText(fd, "withholdRecords") === "on" })],
    reinstate: ["reinstated", () => reinstateFacility(actor, facilityId)],
    revoke: ["revoked", () => revokeKeyOf(actor, facilityId, formText(fd, "keyId") ?? "")],
  };
  const operation = operations[formText(fd, "op") ?? ""];
  if (!operation) return `${page}?error=INVALID`;
  try {
    await operation[1]();
  } catch (e) {
    const code = Object.values(facilityErrorsOf(e))[0] ?? "INVALID";
    // a facility that does not exist has no page to say so on: the list says it
    return `${code === "NOT_FOUND" ? "/admin/facilities" : page}?error=${encodeURIComponent(code)}`;
  }
  return `${page}?done=${operation[0]}`;
}

export interface IssueKeyState {
  error?: string;
  /** the key itself: shown once, in the page, never in a URL */
  issued?: { id: string; key: string };
}

export async function issueKey(actor: Actor, fd: FormData): Promise<IssueKeyState> {
  try {
    return { issued: await issueKeyFor(actor, formText(fd, "facilityId") ?? "") };
  } catch (e) {
    return { error: Object.values(facilityErrorsOf(e))[0] ?? "INVALID" };
  }
}
