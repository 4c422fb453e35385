import { getDb } from "../db/client";
import { now } from "../clock";
import { auditActorOf, recordAudit, type AuditAction, type AuditPurpose } from "../audit";
import type { Actor } from "../auth/actor";
import { AccessDeniedError, type RefusalReason } from "./errors";
import { actorFacts } from "../auth/to-actor";
import { decideAdministration } from "../access/duties";

export interface RefusalRecord {
  /** the audit action of the refusal, e.g. RECORD_VIEW_DENIED */
  action: AuditAction;
  reason: RefusalReason;
  patientId?: string | null;
  purpose: AuditPurpose;
  /** what was asked for, for the patient's access report */
  what: string;
  at?: Date;
  detail?: Record<string, unknown>;
}

/**
 * Audit, then throw: every refusal in lib/record goes through here. The audit row is written in its
 * own transaction, so a refusal is on record even though the read it refused never ran.
 */
export async function refuse(actor: Actor, r: RefusalRecord): Promise<never> {
  const db = await getDb();
  await db.$transaction((tx) =>
    recordAudit(tx, {
      actor: auditActorOf(actor),
      action: r.action,
      outcome: "DENY",
      patientId: r.patientId ?? null,
      purpose: r.purpose,
      at: r.at ?? now(),
      detail: { what: r.what, reason: r.reason, ...r.detail },
    }),
  );
  throw new AccessDeniedError(r.reason, r.patientId ?? "");
}

/**
 * The network administrator only: anyone else is refused as `action`, audited with the reason, and
 * told why (a bare throw was a 500 with no audit row: review 5, m2).
 */
export async function requireAdministration(actor: Actor, action: AuditAction, what: string): Promise<void> {
  const d = decideAdministration(actorFacts(actor));
  if (!d.allow) await refuse(actor, { action, reason: d.reason, purpose: "ADMINISTRATION", what });
}
