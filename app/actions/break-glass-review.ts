"use server";

import { redirect } from "next/navigation";
import { revalidatePath } from "next/cache";
import { requireActor } from "@/lib/auth/actor";
import { InvalidFieldsError, reviewBreakGlass, setDisasterMode } from "@/lib/record";

const text = (fd: FormData, k: string) => (typeof fd.get(k) === "string" ? (fd.get(k) as string) : undefined);

export async function reviewBreakGlassAction(fd: FormData): Promise<void> {
  const actor = await requireActor();
  try {
    await reviewBreakGlass(actor, { patientId: text(fd, "patientId"), grantId: text(fd, "grantId"), outcome: text(fd, "outcome"), note: text(fd, "note") });
  } catch (e) {
    if (e instanceof InvalidFieldsError) redirect(`/admin/break-glass?error=${encodeURIComponent(Object.keys(e.fields)[0] ?? "form")}&grant=${encodeURIComponent(text(fd, "grantId") ?? "")}`);
    throw e;
  }
  revalidatePath("/admin/break-glass");
  redirect("/admin/break-glass?done=reviewed");
}

export async function disasterModeAction(fd: FormData): Promise<void> {
  const actor = await requireActor();
  await setDisasterMode(actor, text(fd, "region") ?? "", text(fd, "active") === "1");
  revalidatePath("/admin/break-glass");
  redirect("/admin/break-glass");
}
