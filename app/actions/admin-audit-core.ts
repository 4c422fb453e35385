import type { Actor } from "@/lib/auth/actor";
import { identifyForAuditSearch, verifyAuditTrailFor, outcomeOf, type AuditVerificationView } from "@/lib/record";
import { formErrorsOf, formTexts } from "./form-data";

/**
 * What the audit page's two actions do for a given actor, apart from reading the session: kept out of
 * the "use server" module, where every export is an endpoint the browser may call with any arguments.
 */

export interface AuditLookupState {
  errors?: Record<string, string>;
}

/** The card's patient as the audit search's filter, or the form's errors (refusals included). */
export async function auditPatientLookup(actor: Actor, fd: FormData): Promise<{ href: string } | { errors: Record<string, string> }> {
  try {
    const patientId = await identifyForAuditSearch(actor, formTexts(fd, ["kana", "birthDate", "insuredNumber", "insurerNumber"]));
    return { href: `/admin/audit?patient=${encodeURIComponent(patientId)}` };
  } catch (e) {
    return { errors: formErrorsOf(e, { field: "identify", code: "notFound" }) };
  }
}

export interface AuditVerifyState {
  result?: AuditVerificationView;
  /** a refusal's reason (or LOGIN_INCOMPLETE) */
  error?: string;
}

export async function auditVerification(actor: Actor): Promise<AuditVerifyState> {
  try {
    return { result: await verifyAuditTrailFor(actor) };
  } catch (e) {
    const o = outcomeOf(e);
    if (!o) throw e;
    return { error: o.kind === "denied" ? o.reason : o.code };
  }
}
