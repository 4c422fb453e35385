"use server";

import { redirect } from "next/navigation";
import { requireActor } from "@/lib/auth/actor";
import { AccessDeniedError, InvalidFieldsError, identifyForAccessReport } from "@/lib/record";
import { formTexts } from "./form-data";

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
    if (e instanceof InvalidFieldsError) return { errors: e.fields };
    if (e instanceof AccessDeniedError) return { errors: { form: e.reason } };
    throw e;
  }
  redirect(`/patients/${encodeURIComponent(patientId)}/access-report`);
}
