"use server";

import { redirect } from "next/navigation";
import { revalidatePath } from "next/cache";
import { requireActor } from "@/lib/auth/actor";
import { identifyPatientByCard, recordConsent, recordConsentByIdentity, WideningNotConfirmedError, withdrawConsent } from "@/lib/record";
import type { ConsentWidening } from "@/lib/access/consent-change";
import { formErrorsOf, formTexts } from "./form-data";

export interface ConsentFormState {
  /** field → error code (see messages.consent.errors), or form → deny reason */
  errors?: Record<string, string>;
  /** the consent as sent, so a refused form comes back as the desk left it (not as the consent in force) */
  values?: ConsentValues;
  /** what the change would open, when it was sent without confirming exactly that */
  widening?: ConsentWidening[];
  /** the card's four items as typed: an answer must not make the desk type the card again (review 7, M2) */
  card?: CardValues;
}

const CONSENT_TEXTS = ["scope", "method", "identityVerification", "expiresOn", "confirmWidening"] as const;
export type ConsentValues = Record<(typeof CONSENT_TEXTS)[number], string | undefined> & { withheld: string[] };

const CARD_ITEMS = ["kana", "birthDate", "insurerNumber", "insuredNumber"] as const;
export type CardValues = Partial<Record<(typeof CARD_ITEMS)[number], string>>;

/** The consent part of the form as plain values; lib/record validates every one (withheld may repeat). */
function consentValues(fd: FormData): ConsentValues {
  return { ...formTexts(fd, CONSENT_TEXTS), withheld: fd.getAll("withheld").filter((v): v is string => typeof v === "string") };
}

/** The whole form: the card's four items and the consent. */
function formValues(fd: FormData) {
  return { ...formTexts(fd, CARD_ITEMS), ...consentValues(fd) };
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
    const values = { ...consentValues(fd), confirmWidening: undefined };
    const card = formTexts(fd, CARD_ITEMS);
    if (e instanceof WideningNotConfirmedError) return { errors: e.fields, values, widening: e.widening, card };
    return { errors: formErrorsOf(e, NOT_FOUND), values, card };
  }
  revalidatePath(`/patients/${patientId}`, "layout");
  redirect(`/patients/${encodeURIComponent(patientId)}/consent?done=recorded`);
}

/** The desk opens a patient's consent page by the card in hand (to withdraw, or for the access report). */
export async function openByCardAction(_prev: ConsentFormState, fd: FormData): Promise<ConsentFormState> {
  const actor = await requireActor();
  let patientId: string;
  try {
    patientId = await identifyPatientByCard(actor, formTexts(fd, CARD_ITEMS));
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
    ({ withdrawn } = await withdrawConsent(actor, patientId, formTexts(fd, CARD_ITEMS)));
  } catch (e) {
    return { errors: formErrorsOf(e, NOT_FOUND) };
  }
  revalidatePath(`/patients/${patientId}`, "layout");
  redirect(`/patients/${encodeURIComponent(patientId)}/consent?done=${withdrawn ? "withdrawn" : "nothing"}`);
}
