import type { Actor } from "@/lib/auth/actor";
import { AccountFieldsError } from "@/lib/auth/account";
import { ACCOUNT_ADMIN_DENY_REASONS, ACCOUNT_FIELD_CODES, createUser, endUserSessions, NotAdministratorError, resetPassword, resetSecondFactor, setFacilityAdministrator, setUserActive, unlockUser, verifyCredential } from "@/lib/auth/user-admin";
import { formText } from "./form-data";

/**
 * What the account pages' server actions do, given the signed-in actor (app/actions/admin-users gets
 * it with requireActor). Kept apart from the "use server" file so the tests can run each with an
 * actor who is refused and its twin who is allowed, on the real database.
 */

const text = (fd: FormData, k: string) => formText(fd, k) ?? "";

/** A typed lib/auth error as the form shows it: field codes beside their fields, a refusal as `user`. */
function accountErrorsOf(e: unknown): Record<string, string> {
  if (e instanceof AccountFieldsError) return e.fields;
  if (e instanceof NotAdministratorError) return { user: "NOT_ADMINISTRATOR" };
  throw e;
}

/**
 * Every code the account forms and buttons can return, beside a field or in ?error=: the fields',
 * lib/access's refusals and the buttons' own. Each has a message in both languages
 * (tests/admin-error-messages.test.ts).
 */
export const ACCOUNT_ACTION_CODES = [...ACCOUNT_FIELD_CODES, ...ACCOUNT_ADMIN_DENY_REASONS, "CONFIRM_REQUIRED"] as const;

export interface CreateUserState {
  errors?: Record<string, string>;
  created?: { loginId: string; initialPassword: string };
}

export async function createUserForm(actor: Actor, fd: FormData): Promise<CreateUserState> {
  const input = { loginId: text(fd, "loginId"), name: text(fd, "name"), nameKana: text(fd, "nameKana"), profession: text(fd, "profession"), facilityId: text(fd, "facilityId"), licenseNumber: text(fd, "licenseNumber") };
  try {
    const { initialPassword } = await createUser(actor, input);
    return { created: { loginId: input.loginId, initialPassword } };
  } catch (e) {
    return { errors: accountErrorsOf(e) };
  }
}

export interface IdentityResetState {
  errors?: Record<string, string>;
  /** a new initial password: shown once, in the page, never put in a URL */
  reset?: { loginId: string; initialPassword: string };
  secondFactorReset?: boolean;
}

/**
 * A reset after an identity check (how, and a note): a new initial password, or (kind
 * second-factor, only with the confirmation box ticked beside the effect it names) a cleared second factor.
 */
export async function identityResetForm(actor: Actor, fd: FormData): Promise<IdentityResetState> {
  const userId = text(fd, "userId");
  const check = { method: text(fd, "method"), note: text(fd, "note") };
  try {
    if (text(fd, "kind") === "second-factor") {
      if (text(fd, "confirm") !== "yes") return { errors: { confirm: "CONFIRM_REQUIRED" } };
      await resetSecondFactor(actor, userId, check);
      return { secondFactorReset: true };
    }
    return { reset: await resetPassword(actor, userId, check) };
  } catch (e) {
    return { errors: accountErrorsOf(e) };
  }
}

/** Where a per-user button sends the administrator back to: the list, or the user's own page (never a URL from the form). */
const backTo = (fd: FormData, userId: string) => (text(fd, "from") === "user" && userId ? `/admin/users/${encodeURIComponent(userId)}` : "/admin/users");

/** The per-user buttons: which operation is the button's value; lib/auth decides the rest. Returns where to go next. */
export async function userOperation(actor: Actor, fd: FormData): Promise<string> {
  const userId = text(fd, "userId");
  const op = text(fd, "op");
  const back = backTo(fd, userId);
  const operations: Record<string, [string, () => Promise<unknown>]> = {
    verify: ["verified", () => verifyCredential(actor, userId, text(fd, "method"))],
    unlock: ["unlocked", () => unlockUser(actor, userId)],
    deactivate: ["deactivated", () => setUserActive(actor, userId, false)],
    reactivate: ["reactivated", () => setUserActive(actor, userId, true)],
    "end-sessions": ["ended", () => endUserSessions(actor, userId)],
    "grant-facility-admin": ["granted", () => setFacilityAdministrator(actor, userId, true)],
    "revoke-facility-admin": ["revoked", () => setFacilityAdministrator(actor, userId, false)],
  };
  const operation = operations[op];
  if (!operation) return `${back}?error=INVALID`;
  // deactivation ends every session at once: only after the box beside that effect was ticked
  if (op === "deactivate" && text(fd, "confirm") !== "yes") return `${back}?error=CONFIRM_REQUIRED`;
  const [done, run] = operation;
  try {
    await run();
  } catch (e) {
    const code = Object.values(accountErrorsOf(e))[0] ?? "INVALID";
    // an account that does not exist has no page to say so on: the list says it
    return `${code === "NOT_FOUND" ? "/admin/users" : back}?error=${encodeURIComponent(code)}`;
  }
  return `${back}?done=${done}`;
}
