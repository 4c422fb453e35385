"use server";

import { redirect } from "next/navigation";
import { requireActor } from "@/lib/auth/actor";
import { AccessDeniedError, InvalidFieldsError, identifyForAccessReport } from "@/lib/record";
import { formTexts } from "./form-data";

export interface LookupState {
  errors?: Record<string, string>;
}

/** An administrator finds a patient by their card to open the access report (with staff names). */
export async function lookupAccessReportAction(_prev: LookupState, fd: FormData): Promise<LookupState> {
  const actor = await requireActor();
  let patientId: string;
  try {
    patientId = await identifyForAccessReport(actor, formTexts(fd, ["kana", "birthDate", "insuredNumber"]));
  } catch (e) {
    if (e instanceof InvalidFieldsError) return { errors: e.fields };
    if (e instanceof AccessDeniedError) return { errors: { form: e.reason } };
    throw e;
  }
  redirect(`/patients/${encodeURIComponent(patientId)}/access-report`);
}
