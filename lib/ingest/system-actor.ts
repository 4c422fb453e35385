import { recordAudit, type AuditActor, type AuditInput } from "../audit";
import type { Tx } from "../db/client";
import type { IngestSource } from "./source";

/**
 * The audit actor of work no signed-in user did: an import run by an operator or a key, an identity
 * decision from the CLI. Named by its role and who ran it, under the facility it concerns.
 */
export const SYSTEM_ACTOR_ROLES = ["ingest", "review", "admin"] as const;
export const systemActor = (role: (typeof SYSTEM_ACTOR_ROLES)[number], by: string, facilityId: string): AuditActor => ({ userId: `${role}:${by}`, name: by, profession: "SYSTEM", facilityId });

/** Who an import's events name: the administrator whose decision filed them, else the operator or key as a system actor. */
export const ingestActor = (source: Pick<IngestSource, "by" | "facilityId" | "auditAs">): AuditActor => source.auditAs ?? systemActor("ingest", source.by, source.facilityId);

/** The audit event of one document filed, replaced or deleted by an import: what changed, under whom. */
export const importedEvent = (source: Pick<IngestSource, "by" | "facilityId" | "auditAs">, patientId: string, detail: Record<string, unknown>): AuditInput => ({
  actor: ingestActor(source),
  action: "RECORDS_IMPORTED",
  outcome: "SUCCESS",
  patientId,
  purpose: null,
  // under an administrator's own facility, the event still names the facility the records came from
  detail: source.auditAs ? { ...detail, sourceFacilityId: source.facilityId } : detail,
});

export const recordImported = (tx: Tx, source: Pick<IngestSource, "by" | "facilityId" | "auditAs">, patientId: string, detail: Record<string, unknown>) => recordAudit(tx, importedEvent(source, patientId, detail));
