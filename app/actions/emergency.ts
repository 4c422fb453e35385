"use server";

import { redirect } from "next/navigation";
import { requireActor } from "@/lib/auth/actor";
import { AccessDeniedError, InvalidFieldsError, PatientNotFoundError, endBreakGlass, identifyForEmergency, startBreakGlass, type EmergencyCandidate } from "@/lib/record";
import { formText, formTexts } from "./form-data";

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
    if (e instanceof InvalidFieldsError) return { errors: e.fields };
    if (e instanceof AccessDeniedError) return { errors: { form: e.reason } };
    throw e;
  }
}

export async function startBreakGlassAction(prev: EmergencyState, fd: FormData): Promise<EmergencyState> {
  const actor = await requireActor();
  const patientId = formText(fd, "patientId") ?? "";
  try {
    await startBreakGlass(actor, { ...formTexts(fd, ["reason", "reasonText", "code"]), patientId, password: formText(fd, "password") ?? "" });
  } catch (e) {
    // Keep the candidate list on screen so the user can correct and retry.
    if (e instanceof InvalidFieldsError) return { ...prev, errors: e.fields };
    if (e instanceof AccessDeniedError) return { ...prev, errors: { form: e.reason } };
    if (e instanceof PatientNotFoundError) return { ...prev, errors: { patientId: "invalid" } };
    throw e;
  }
  redirect(`/emergency/${encodeURIComponent(patientId)}`);
}

export async function endBreakGlassAction(fd: FormData): Promise<void> {
  const actor = await requireActor();
  const patientId = formText(fd, "patientId");
  if (patientId) await endBreakGlass(actor, patientId);
  redirect("/emergency?done=ended");
}
