"use server";

import { redirect } from "next/navigation";
import { revalidatePath } from "next/cache";
import { requireActor } from "@/lib/auth/actor";
import { AccessDeniedError, InvalidFieldsError, PatientNotFoundError, recordConsent, recordConsentByIdentity, withdrawConsent } from "@/lib/record";
import { formTexts } from "./form-data";

export interface ConsentFormState {
  /** field → error code (see messages.consent.errors), or form → deny reason */
  errors?: Record<string, string>;
}

/** The form as plain values; lib/record validates every one (withheld may repeat). */
function formValues(fd: FormData) {
  return {
    ...formTexts(fd, ["kana", "birthDate", "insuredNumber", "scope", "method", "identityVerification", "expiresOn"]),
    withheld: fd.getAll("withheld").filter((v): v is string => typeof v === "string"),
  };
}

/**
 * Records a consent: for a patient the facility knows (patientId in the form — checked by lib/record,
 * never trusted), or for one identified by the three card items.
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
    if (e instanceof InvalidFieldsError) return { errors: e.fields };
    if (e instanceof AccessDeniedError) return { errors: { form: e.reason } };
    if (e instanceof PatientNotFoundError) return { errors: { identify: "notFound" } };
    throw e;
  }
  revalidatePath(`/patients/${patientId}`, "layout");
  redirect(`/patients/${encodeURIComponent(patientId)}/consent?done=recorded`);
}

/** Withdraws the facility's consent; every user of the facility is refused from their next request. */
export async function withdrawConsentAction(fd: FormData): Promise<void> {
  const actor = await requireActor();
  const patientId = fd.get("patientId");
  if (typeof patientId !== "string" || !patientId) redirect("/patients");
  // The form requires the tick; without it (a crafted post) nothing is withdrawn.
  if (fd.get("confirmed") !== "1") redirect(`/patients/${encodeURIComponent(patientId)}/consent`);
  const { withdrawn } = await withdrawConsent(actor, patientId);
  revalidatePath(`/patients/${patientId}`, "layout");
  redirect(`/patients/${encodeURIComponent(patientId)}/consent?done=${withdrawn ? "withdrawn" : "nothing"}`);
}
