"use server";

import { redirect } from "next/navigation";
import { revalidatePath } from "next/cache";
import { requireActor } from "@/lib/auth/actor";
import { InvalidFieldsError, reviewBreakGlass, setDisasterMode } from "@/lib/record";
import { formText, formTexts } from "./form-data";

export async function reviewBreakGlassAction(fd: FormData): Promise<void> {
  const actor = await requireActor();
  try {
    await reviewBreakGlass(actor, formTexts(fd, ["patientId", "grantId", "outcome", "note"]));
  } catch (e) {
    if (e instanceof InvalidFieldsError) redirect(`/admin/break-glass?error=${encodeURIComponent(Object.keys(e.fields)[0] ?? "form")}&grant=${encodeURIComponent(formText(fd, "grantId") ?? "")}`);
    throw e;
  }
  revalidatePath("/admin/break-glass");
  redirect("/admin/break-glass?done=reviewed");
}

export async function disasterModeAction(fd: FormData): Promise<void> {
  const actor = await requireActor();
  await setDisasterMode(actor, formText(fd, "region") ?? "", formText(fd, "active") === "1");
  revalidatePath("/admin/break-glass");
  redirect("/admin/break-glass");
}
