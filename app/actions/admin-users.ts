"use server";

import { redirect } from "next/navigation";
import { revalidatePath } from "next/cache";
import { requireActor } from "@/lib/auth/actor";
import { AccountFieldsError } from "@/lib/auth/account";
import { createUser, endUserSessions, resetPassword, setUserActive, unlockUser, verifyCredential } from "@/lib/auth/user-admin";
import { formText } from "./form-data";

export interface CreateUserState {
  errors?: Record<string, string>;
  created?: { loginId: string; initialPassword: string };
}

const text = (fd: FormData, k: string) => formText(fd, k) ?? "";

export async function createUserAction(_prev: CreateUserState, fd: FormData): Promise<CreateUserState> {
  const actor = await requireActor();
  const input = { loginId: text(fd, "loginId"), name: text(fd, "name"), profession: text(fd, "profession"), facilityId: text(fd, "facilityId"), licenseNumber: text(fd, "licenseNumber") };
  try {
    const { initialPassword } = await createUser(actor, input);
    revalidatePath("/admin/users");
    return { created: { loginId: input.loginId, initialPassword } };
  } catch (e) {
    if (e instanceof AccountFieldsError) return { errors: e.fields };
    throw e;
  }
}

export interface ResetPasswordState {
  error?: string;
  /** the new initial password: shown once, in the page, never put in a URL */
  reset?: { loginId: string; initialPassword: string };
}

export async function resetPasswordAction(_prev: ResetPasswordState, fd: FormData): Promise<ResetPasswordState> {
  const actor = await requireActor();
  try {
    const reset = await resetPassword(actor, text(fd, "userId"));
    revalidatePath("/admin/users");
    return { reset };
  } catch (e) {
    if (e instanceof AccountFieldsError) return { error: Object.values(e.fields)[0] ?? "INVALID" };
    throw e;
  }
}

/** One action for the per-user buttons: which operation is the button's value; lib/auth checks the rest. */
export async function userOperationAction(fd: FormData): Promise<void> {
  const actor = await requireActor();
  const userId = text(fd, "userId");
  const op = text(fd, "op");
  const operations: Record<string, [string, () => Promise<unknown>]> = {
    verify: ["verified", () => verifyCredential(actor, userId, text(fd, "method"))],
    unlock: ["unlocked", () => unlockUser(actor, userId)],
    deactivate: ["deactivated", () => setUserActive(actor, userId, false)],
    reactivate: ["reactivated", () => setUserActive(actor, userId, true)],
    "end-sessions": ["ended", () => endUserSessions(actor, userId)],
  };
  const operation = operations[op];
  if (!operation) redirect("/admin/users?error=INVALID");
  const [done, run] = operation;
  try {
    await run();
  } catch (e) {
    if (e instanceof AccountFieldsError) redirect(`/admin/users?error=${encodeURIComponent(Object.values(e.fields)[0] ?? "INVALID")}`);
    throw e;
  }
  revalidatePath("/admin/users");
  redirect(`/admin/users?done=${done}`);
}
