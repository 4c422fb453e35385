"use server";

import { redirect } from "next/navigation";
import { requireActor } from "@/lib/auth/actor";
import { auditPatientLookup, auditVerification, type AuditLookupState, type AuditVerifyState } from "./admin-audit-core";

export type { AuditLookupState, AuditVerifyState };

/** The network administrator identifies a patient by card to search their audit trail. */
export async function lookupAuditPatientAction(_prev: AuditLookupState, fd: FormData): Promise<AuditLookupState> {
  const r = await auditPatientLookup(await requireActor(), fd);
  if ("errors" in r) return r;
  redirect(r.href);
}

/** The network administrator verifies the audit chains against the keyed checkpoints. */
export async function verifyAuditAction(_prev: AuditVerifyState, _fd: FormData): Promise<AuditVerifyState> {
  void _fd;
  return auditVerification(await requireActor());
}
