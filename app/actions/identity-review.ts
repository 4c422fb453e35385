"use server";

import { redirect } from "next/navigation";
import { revalidatePath } from "next/cache";
import { requireActor } from "@/lib/auth/actor";
import { identityDecision, identityUnlink } from "./identity-review-form";

/** Confirm or reject one identity candidate (lib/network decides and audits). */
export async function identityDecisionAction(fd: FormData): Promise<void> {
  const next = await identityDecision(await requireActor(), fd);
  revalidatePath("/admin/identity");
  redirect(next);
}

/** Undo one link of a facility's patient id (lib/network decides and audits). */
export async function identityUnlinkAction(fd: FormData): Promise<void> {
  const next = await identityUnlink(await requireActor(), fd);
  revalidatePath("/admin/identity");
  redirect(next);
}
