import type { AuditActor } from "../audit";

/**
 * The audit actor of work no signed-in user did: an import run by an operator or a key, an identity
 * decision from the CLI. Named by its role and who ran it, under the facility it concerns.
 */
export const systemActor = (role: "ingest" | "review" | "admin", by: string, facilityId: string): AuditActor => ({ userId: `${role}:${by}`, name: by, profession: "SYSTEM", facilityId });
