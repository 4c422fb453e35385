"use server";

import { redirect } from "next/navigation";
import { revalidatePath } from "next/cache";
import { requireActor } from "@/lib/auth/actor";
import { createUserForm, identityResetForm, userOperation, type CreateUserState, type IdentityResetState } from "./account-forms";

export type { CreateUserState, IdentityResetState };

export async function createUserAction(_prev: CreateUserState, fd: FormData): Promise<CreateUserState> {
  const state = await createUserForm(await requireActor(), fd);
  if (state.created) revalidatePath("/admin/users");
  return state;
}

export async function identityResetAction(_prev: IdentityResetState, fd: FormData): Promise<IdentityResetState> {
  const state = await identityResetForm(await requireActor(), fd);
  if (!state.errors) revalidatePath("/admin/users");
  return state;
}

/** One action for the per-user buttons (app/actions/account-forms decides where to go next). */
export async function userOperationAction(fd: FormData): Promise<void> {
  const next = await userOperation(await requireActor(), fd);
  revalidatePath("/admin/users");
  redirect(next);
}
