"use server";

import { redirect } from "next/navigation";
import { revalidatePath } from "next/cache";
import { requireActor } from "@/lib/auth/actor";
import { identifyPatientByCard, recordConsent, recordConsentByIdentity, withdrawConsent } from "@/lib/record";
import { formErrorsOf, formTexts } from "./form-data";

export interface ConsentFormState {
  /** field → error code (see messages.consent.errors), or form → deny reason */
  errors?: Record<string, string>;
}

/** The form as plain values; lib/record validates every one (withheld may repeat). */
function formValues(fd: FormData) {
  return {
    ...formTexts(fd, ["kana", "birthDate", "insurerNumber", "insuredNumber", "scope", "method", "identityVerification", "expiresOn"]),
    withheld: fd.getAll("withheld").filter((v): v is string => typeof v === "string"),
  };
}

const NOT_FOUND = { field: "identify", code: "notFound" };

/**
 * Records a consent for the patient identified by the four card items; on a patient's own consent
 * page the card must name that patient (patientId in the form is only what the card is checked
 * against, never trusted on its own).
 */
export async function recordConsentAction(_prev: ConsentFormState, fd: FormData): Promise<ConsentFormState> {
  const actor = await requireActor();
  const target = fd.get("patientId");
  let patientId: string;
  try {
    if (typeof target === "string" && target) {
      await recordConsent(actor, target, formValues(fd));
      patientId = target;
    } else {
      patientId = (await recordConsentByIdentity(actor, formValues(fd))).patientId;
    }
  } catch (e) {
    return { errors: formErrorsOf(e, NOT_FOUND) };
  }
  revalidatePath(`/patients/${patientId}`, "layout");
  redirect(`/patients/${encodeURIComponent(patientId)}/consent?done=recorded`);
}

/** The desk opens a patient's consent page by the card in hand (to withdraw, or for the access report). */
export async function openByCardAction(_prev: ConsentFormState, fd: FormData): Promise<ConsentFormState> {
  const actor = await requireActor();
  let patientId: string;
  try {
    patientId = await identifyPatientByCard(actor, formTexts(fd, ["kana", "birthDate", "insurerNumber", "insuredNumber"]));
  } catch (e) {
    return { errors: formErrorsOf(e, NOT_FOUND) };
  }
  redirect(`/patients/${encodeURIComponent(patientId)}/consent`);
}

/**
 * Withdraws the facility's consent, on the patient's card; every user of the facility is refused from
 * their next request.
 */
export async function withdrawConsentAction(_prev: ConsentFormState, fd: FormData): Promise<ConsentFormState> {
  const actor = await requireActor();
  const patientId = fd.get("patientId");
  if (typeof patientId !== "string" || !patientId) redirect("/consents/new");
  // The form requires the tick; without it (a crafted post) nothing is withdrawn.
  if (fd.get("confirmed") !== "1") return { errors: { confirmed: "required" } };
  let withdrawn: number;
  try {
    ({ withdrawn } = await withdrawConsent(actor, patientId, formTexts(fd, ["kana", "birthDate", "insurerNumber", "insuredNumber"])));
  } catch (e) {
    return { errors: formErrorsOf(e, NOT_FOUND) };
  }
  revalidatePath(`/patients/${patientId}`, "layout");
  redirect(`/patients/${encodeURIComponent(patientId)}/consent?done=${withdrawn ? "withdrawn" : "nothing"}`);
}
