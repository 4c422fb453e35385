"use server";

import { redirect } from "next/navigation";
import { revalidatePath } from "next/cache";
import { requireActor } from "@/lib/auth/actor";
import { facilityOperation, issueKey, saveFacility, type FacilityFormState, type IssueKeyState } from "./facility-forms";

export async function saveFacilityAction(_prev: FacilityFormState, fd: FormData): Promise<FacilityFormState> {
  const saved = await saveFacility(await requireActor(), fd);
  if ("errors" in saved) return saved;
  revalidatePath("/admin/facilities");
  redirect(saved.next);
}

/** One action for the facility page's buttons (suspend, reinstate, revoke a key); lib/network checks the rest. */
export async function facilityOperationAction(fd: FormData): Promise<void> {
  const next = await facilityOperation(await requireActor(), fd);
  revalidatePath("/admin/facilities");
  redirect(next);
}

export async function issueKeyAction(_prev: IssueKeyState, fd: FormData): Promise<IssueKeyState> {
  const state = await issueKey(await requireActor(), fd);
  revalidatePath("/admin/facilities");
  return state;
}
