"use server";

import { redirect } from "next/navigation";
import { requireActor } from "@/lib/auth/actor";
import { endBreakGlass, identifyForEmergency, startBreakGlass, type EmergencyCandidate } from "@/lib/record";
import { formErrorsOf, formText, formTexts } from "./form-data";

export interface EmergencyState {
  errors?: Record<string, string>;
  candidates?: EmergencyCandidate[];
}

export async function identifyAction(_prev: EmergencyState, fd: FormData): Promise<EmergencyState> {
  const actor = await requireActor();
  const input = formTexts(fd, ["mode", "insurerNumber", "insuredNumber", "kana", "birthDate", "sex", "address"]);
  try {
    return { candidates: await identifyForEmergency(actor, input) };
  } catch (e) {
    return { errors: formErrorsOf(e, { field: "form", code: "invalid" }) };
  }
}

export async function startBreakGlassAction(prev: EmergencyState, fd: FormData): Promise<EmergencyState> {
  const actor = await requireActor();
  const patientId = formText(fd, "patientId") ?? "";
  try {
    await startBreakGlass(actor, { ...formTexts(fd, ["reason", "reasonText", "code"]), patientId, password: formText(fd, "password") ?? "" });
  } catch (e) {
    // Keep the candidate list on screen so the user can correct and retry.
    return { ...prev, errors: formErrorsOf(e, { field: "patientId", code: "invalid" }) };
  }
  redirect(`/emergency/${encodeURIComponent(patientId)}`);
}

export async function endBreakGlassAction(fd: FormData): Promise<void> {
  const actor = await requireActor();
  const patientId = formText(fd, "patientId");
  if (patientId) await endBreakGlass(actor, patientId);
  redirect("/emergency?done=ended");
}
