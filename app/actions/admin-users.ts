"use server";

import { redirect } from "next/navigation";
import { revalidatePath } from "next/cache";
import { requireActor } from "@/lib/auth/actor";
import { AccountFieldsError } from "@/lib/auth/account";
import { createUser, endUserSessions, NotAdministratorError, resetPassword, resetSecondFactor, setFacilityAdministrator, setUserActive, unlockUser, verifyCredential } from "@/lib/auth/user-admin";
import { formText } from "./form-data";

export interface CreateUserState {
  errors?: Record<string, string>;
  created?: { loginId: string; initialPassword: string };
}

const text = (fd: FormData, k: string) => formText(fd, k) ?? "";

export async function createUserAction(_prev: CreateUserState, fd: FormData): Promise<CreateUserState> {
  const actor = await requireActor();
  const input = { loginId: text(fd, "loginId"), name: text(fd, "name"), nameKana: text(fd, "nameKana"), profession: text(fd, "profession"), facilityId: text(fd, "facilityId"), licenseNumber: text(fd, "licenseNumber") };
  try {
    const { initialPassword } = await createUser(actor, input);
    revalidatePath("/admin/users");
    return { created: { loginId: input.loginId, initialPassword } };
  } catch (e) {
    if (e instanceof AccountFieldsError) return { errors: e.fields };
    if (e instanceof NotAdministratorError) return { errors: { user: "NOT_ADMINISTRATOR" } };
    throw e;
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
 * second-factor, after the confirmation box) a cleared second factor. The box is the form's: the
 * effect was named beside it.
 */
export async function identityResetAction(_prev: IdentityResetState, fd: FormData): Promise<IdentityResetState> {
  const actor = await requireActor();
  const userId = text(fd, "userId");
  const check = { method: text(fd, "method"), note: text(fd, "note") };
  try {
    if (text(fd, "kind") === "second-factor") {
      if (text(fd, "confirm") !== "yes") return { errors: { confirm: "CONFIRM_REQUIRED" } };
      await resetSecondFactor(actor, userId, check);
      revalidatePath("/admin/users");
      return { secondFactorReset: true };
    }
    const reset = await resetPassword(actor, userId, check);
    revalidatePath("/admin/users");
    return { reset };
  } catch (e) {
    if (e instanceof AccountFieldsError) return { errors: e.fields };
    if (e instanceof NotAdministratorError) return { errors: { user: "NOT_ADMINISTRATOR" } };
    throw e;
  }
}

/** Where a per-user button sends the administrator back to: the list, or the user's own page (never a URL from the form). */
const backTo = (fd: FormData, userId: string) => (text(fd, "from") === "user" && userId ? `/admin/users/${encodeURIComponent(userId)}` : "/admin/users");

/** One action for the per-user buttons: which operation is the button's value; lib/auth checks the rest. */
export async function userOperationAction(fd: FormData): Promise<void> {
  const actor = await requireActor();
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
  if (!operation) redirect(`${back}?error=INVALID`);
  // deactivation ends every session at once: only after the box beside that effect was checked
  if (op === "deactivate" && text(fd, "confirm") !== "yes") redirect(`${back}?error=CONFIRM_REQUIRED`);
  const [done, run] = operation;
  try {
    await run();
  } catch (e) {
    if (e instanceof AccountFieldsError) redirect(`${back}?error=${encodeURIComponent(Object.values(e.fields)[0] ?? "INVALID")}`);
    if (e instanceof NotAdministratorError) redirect(`${back}?error=NOT_ADMINISTRATOR`);
    throw e;
  }
  revalidatePath("/admin/users");
  redirect(`${back}?done=${done}`);
}
