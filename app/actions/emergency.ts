"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import { requireActor } from "@/lib/auth/actor";
import { endBreakGlass, identifyForEmergency, startBreakGlass, type EmergencyCandidate } from "@/lib/record";
import { formErrorsOf, formText, formTexts } from "./form-data";

const MODES = ["insurance", "four", "disaster"] as const;
const SEXES = ["MALE", "FEMALE", "OTHER", "UNKNOWN"] as const;
/** A field as typed, cut to a length no real entry reaches: it is only echoed back into the form. */
const asTyped = (max: number) => z.unknown().transform((v) => (typeof v === "string" ? v.slice(0, max) : ""));

/**
 * What the user typed into the identification form, in a fixed shape (known method and sex, bounded
 * text), so the form can show it again after the answer: a retry corrects one field instead of
 * retyping four. Not the search's validation, which lib/record does.
 */
const typedInput = z.object({
  mode: z.enum(MODES).catch("insurance"),
  insurerNumber: asTyped(20),
  insuredNumber: asTyped(40),
  kana: asTyped(120),
  birthDate: asTyped(10),
  sex: z.enum([...SEXES, ""]).catch(""),
  address: asTyped(240),
});
export type EmergencyTyped = z.infer<typeof typedInput>;
export type EmergencyMode = EmergencyTyped["mode"];

/**
 * The start step as typed, for the same reason: after a refused start (a reason too short, a wrong
 * code) the chosen patient and reason stay chosen — a reset to the first reason would record a reason
 * the user never chose. Never the password or the code.
 */
const startTypedInput = z.object({
  patientId: asTyped(60),
  reason: z.enum(["UNCONSCIOUS", "DISASTER", "LIFE_THREATENING", "OTHER"]).catch("UNCONSCIOUS"),
  reasonText: asTyped(500),
});
export type EmergencyStartTyped = z.infer<typeof startTypedInput>;

export interface EmergencyState {
  errors?: Record<string, string>;
  candidates?: EmergencyCandidate[];
  /** what was typed into the search this state answers */
  typed?: EmergencyTyped;
  /** what was chosen and typed in the start step this state answers (a refused start) */
  startTyped?: EmergencyStartTyped;
  /**
   * Which answer this is (1, 2, …): the form re-mounts on it with the typed values. A count, not a
   * time: on a frozen clock (tests, and two answers in one millisecond) a time would repeat.
   */
  answer?: number;
}

export async function identifyAction(prev: EmergencyState, fd: FormData): Promise<EmergencyState> {
  const actor = await requireActor();
  const input = formTexts(fd, ["mode", "insurerNumber", "insuredNumber", "kana", "birthDate", "sex", "address"]);
  const answered = { typed: typedInput.parse(input), answer: (typeof prev.answer === "number" ? prev.answer : 0) + 1 };
  try {
    return { ...answered, candidates: await identifyForEmergency(actor, input) };
  } catch (e) {
    return { ...answered, errors: formErrorsOf(e, { field: "form", code: "invalid" }) };
  }
}

export async function startBreakGlassAction(prev: EmergencyState, fd: FormData): Promise<EmergencyState> {
  const actor = await requireActor();
  const patientId = formText(fd, "patientId") ?? "";
  try {
    await startBreakGlass(actor, { ...formTexts(fd, ["reason", "reasonText", "code"]), patientId, password: formText(fd, "password") ?? "" });
  } catch (e) {
    // The candidate list stays on screen (it is the identification's answer) so the user can correct and retry.
    return {
      errors: formErrorsOf(e, { field: "patientId", code: "invalid" }),
      startTyped: startTypedInput.parse(formTexts(fd, ["patientId", "reason", "reasonText"])),
      answer: (typeof prev.answer === "number" ? prev.answer : 0) + 1,
    };
  }
  redirect(`/emergency/${encodeURIComponent(patientId)}`);
}

export async function endBreakGlassAction(fd: FormData): Promise<void> {
  const actor = await requireActor();
  const patientId = formText(fd, "patientId");
  if (patientId) await endBreakGlass(actor, patientId);
  redirect("/emergency?done=ended");
}
