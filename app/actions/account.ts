"use server";

import { redirect } from "next/navigation";
import { requireActor, requireSignedIn } from "@/lib/auth/actor";
import { AccountFieldsError, changePassword, confirmSecondFactor, logoutEverywhere } from "@/lib/auth/account";
import { formText } from "./form-data";

export interface AccountFormState {
  errors?: Record<string, string>;
  /** recovery codes after enrolment: shown once */
  recoveryCodes?: string[];
}

export async function changePasswordAction(_prev: AccountFormState, fd: FormData): Promise<AccountFormState> {
  const actor = await requireSignedIn();
  try {
    const text = (k: string) => formText(fd, k) ?? "";
    await changePassword(actor, { current: text("current"), code: text("code"), next: text("next"), confirm: text("confirm") });
  } catch (e) {
    if (e instanceof AccountFieldsError) return { errors: e.fields };
    throw e;
  }
  // A first login goes on to the second factor (requireActor sends it there); others back to work.
  redirect(actor.mfa ? "/account?done=password" : "/account/second-factor");
}

export async function confirmSecondFactorAction(_prev: AccountFormState, fd: FormData): Promise<AccountFormState> {
  const actor = await requireSignedIn();
  try {
    return { recoveryCodes: await confirmSecondFactor(actor, formText(fd, "code") ?? "") };
  } catch (e) {
    if (e instanceof AccountFieldsError) return { errors: e.fields };
    throw e;
  }
}

export async function logoutEverywhereAction(): Promise<void> {
  const actor = await requireActor();
  await logoutEverywhere(actor);
  redirect("/login");
}
