"use server";

import { redirect } from "next/navigation";
import { requireActor, requireSignedIn } from "@/lib/auth/actor";
import { AccountFieldsError, changePassword, confirmSecondFactor, logoutEverywhere } from "@/lib/auth/account";

export interface AccountFormState {
  errors?: Record<string, string>;
  /** recovery codes after enrolment: shown once */
  recoveryCodes?: string[];
}

const text = (fd: FormData, k: string) => (typeof fd.get(k) === "string" ? (fd.get(k) as string) : "");

export async function changePasswordAction(_prev: AccountFormState, fd: FormData): Promise<AccountFormState> {
  const actor = await requireSignedIn();
  try {
    await changePassword(actor, { current: text(fd, "current"), next: text(fd, "next"), confirm: text(fd, "confirm") });
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
    return { recoveryCodes: await confirmSecondFactor(actor, text(fd, "code")) };
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
