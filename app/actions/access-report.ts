"use server";

import { redirect } from "next/navigation";
import { requireActor } from "@/lib/auth/actor";
import { identifyForAccessReport } from "@/lib/record";
import { formErrorsOf, formTexts } from "./form-data";

export interface LookupState {
  errors?: Record<string, string>;
}

/** Consent staff (the patient's copy) or an administrator (with staff names) identify the patient by their card to open the access report. */
export async function lookupAccessReportAction(_prev: LookupState, fd: FormData): Promise<LookupState> {
  const actor = await requireActor();
  let patientId: string;
  try {
    patientId = await identifyForAccessReport(actor, formTexts(fd, ["kana", "birthDate", "insuredNumber", "insurerNumber"]));
  } catch (e) {
    return { errors: formErrorsOf(e, { field: "identify", code: "notFound" }) };
  }
  redirect(`/patients/${encodeURIComponent(patientId)}/access-report`);
}
