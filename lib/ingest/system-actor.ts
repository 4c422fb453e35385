import { recordAudit, type AuditActor, type AuditInput } from "../audit";
import type { Tx } from "../db/client";

/**
 * The audit actor of work no signed-in user did: an import run by an operator or a key, an identity
 * decision from the CLI. Named by its role and who ran it, under the facility it concerns.
 */
export const systemActor = (role: "ingest" | "review" | "admin", by: string, facilityId: string): AuditActor => ({ userId: `${role}:${by}`, name: by, profession: "SYSTEM", facilityId });

/** The audit event of one document filed, replaced or deleted by an import: what changed, under whom. */
export const importedEvent = (source: { by: string; facilityId: string }, patientId: string, detail: Record<string, unknown>): AuditInput => ({
  actor: systemActor("ingest", source.by, source.facilityId),
  action: "RECORDS_IMPORTED",
  outcome: "SUCCESS",
  patientId,
  purpose: null,
  detail,
});

export const recordImported = (tx: Tx, source: { by: string; facilityId: string }, patientId: string, detail: Record<string, unknown>) => recordAudit(tx, importedEvent(source, patientId, detail));
