"use server";

import { redirect } from "next/navigation";
import { revalidatePath } from "next/cache";
import { requireActor } from "@/lib/auth/actor";
import { outcomeOf, reviewBreakGlass, reviewSelfConsentUse, setDisasterMode } from "@/lib/record";
import { formText, formTexts } from "./form-data";

/** Runs one action and returns to the queue (`done`), naming the problem (a field, or the refusal) if there was one. */
async function runAndReturn(run: () => Promise<void>, item: string, done = "/admin/break-glass?done=reviewed"): Promise<void> {
  try {
    await run();
  } catch (e) {
    const o = outcomeOf(e);
    if (!o) throw e;
    const error = o.kind === "invalid" ? (Object.keys(o.fields)[0] ?? "form") : o.kind === "denied" ? o.reason : o.code;
    redirect(`/admin/break-glass?error=${encodeURIComponent(error)}&item=${encodeURIComponent(item)}`);
  }
  revalidatePath("/admin/break-glass");
  redirect(done);
}

export async function reviewBreakGlassAction(fd: FormData): Promise<void> {
  const actor = await requireActor();
  await runAndReturn(() => reviewBreakGlass(actor, formTexts(fd, ["patientId", "grantId", "outcome", "note"])), formText(fd, "grantId") ?? "");
}

export async function reviewSelfConsentAction(fd: FormData): Promise<void> {
  const actor = await requireActor();
  await runAndReturn(() => reviewSelfConsentUse(actor, formTexts(fd, ["patientId", "consentId"])), formText(fd, "consentId") ?? "");
}

export async function disasterModeAction(fd: FormData): Promise<void> {
  const actor = await requireActor();
  const region = formText(fd, "region") ?? "";
  await runAndReturn(() => setDisasterMode(actor, region, formText(fd, "active") === "1"), region, "/admin/break-glass");
}
