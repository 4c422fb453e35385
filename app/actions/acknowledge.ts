"use server";

import { revalidatePath } from "next/cache";
import { requireActor } from "@/lib/auth/actor";
import { acknowledgeWarning } from "@/lib/record";
import { formErrorsOf, formTexts } from "./form-data";

export interface AcknowledgeState {
  /** field → error code, or form → refusal reason */
  errors?: Record<string, string>;
  done?: boolean;
}

/** Marks one medication warning as handled; lib/record decides, validates and audits. */
export async function acknowledgeWarningAction(_prev: AcknowledgeState, fd: FormData): Promise<AcknowledgeState> {
  const actor = await requireActor();
  const { patientId, warningKey, reason } = formTexts(fd, ["patientId", "warningKey", "reason"]);
  if (!patientId) return { errors: { form: "invalid" } };
  try {
    await acknowledgeWarning(actor, patientId, { warningKey, reason });
  } catch (e) {
    return { errors: formErrorsOf(e, { field: "form", code: "notFound" }) };
  }
  // both pages that show the warning read the acknowledgement afresh
  revalidatePath(`/patients/${patientId}`, "layout");
  return { done: true };
}
