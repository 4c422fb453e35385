import { createHash, randomBytes } from "node:crypto";
import type { Db } from "../db/client";
import { recordAudit, type AuditActor } from "../audit";
import { systemActor } from "../ingest/system-actor";

/**
 * API keys of facility systems that push records (POST /api/fhir). A key is 256 random bits, shown
 * once when issued; only its SHA-256 is stored, so a copy of the database authenticates nobody. A
 * revoked key is kept, never deleted, so the audit trail can still name it.
 */
export class FacilityKeyError extends Error {
  constructor(readonly reason: "UNKNOWN_FACILITY" | "NO_SUCH_KEY" | "ALREADY_REVOKED") {
    super(reason);
  }
}

const PREFIX = "tsk_";
export const hashKey = (key: string) => createHash("sha256").update(key, "utf8").digest("hex");

async function facilityByCode(db: Db, code: string) {
  const f = await db.facility.findUnique({ where: { code } });
  if (!f) throw new FacilityKeyError("UNKNOWN_FACILITY");
  return f;
}

/**
 * A new key for the facility: returns the key itself, which is never stored and cannot be shown again.
 * `by` is what the key row records; `actor` is who the audit names (an operator at the CLI by default,
 * the signed-in administrator from the facility page).
 */
export async function issueFacilityKey(db: Db, facilityCode: string, by: string, actor?: AuditActor): Promise<{ id: string; key: string }> {
  const f = await facilityByCode(db, facilityCode);
  const id = `fk-${randomBytes(6).toString("hex")}`;
  // the id is part of the key, so an operator reading a log line can tell which key was used
  const key = `${PREFIX}${id.slice(3)}_${randomBytes(32).toString("base64url")}`;
  await db.$transaction(async (tx) => {
    await tx.facilityApiKey.create({ data: { id, facilityId: f.id, hash: hashKey(key), createdBy: by } });
    await recordAudit(tx, { actor: actor ?? systemActor("admin", by, f.id), action: "FACILITY_KEY_ISSUED", outcome: "SUCCESS", patientId: null, detail: { keyId: id, facility: f.code, before: null, after: { keyId: id, revokedAt: null } } });
  });
  return { id, key };
}

/** Revokes one key of the facility, or every live key when no id is given (a leaked system). */
export async function revokeFacilityKeys(db: Db, facilityCode: string, by: string, keyId?: string, actor?: AuditActor): Promise<string[]> {
  const f = await facilityByCode(db, facilityCode);
  return db.$transaction(async (tx) => {
    if (keyId) {
      const k = await tx.facilityApiKey.findFirst({ where: { id: keyId, facilityId: f.id } });
      if (!k) throw new FacilityKeyError("NO_SUCH_KEY");
      if (k.revokedAt) throw new FacilityKeyError("ALREADY_REVOKED");
    }
    const live = await tx.facilityApiKey.findMany({ where: { facilityId: f.id, revokedAt: null, ...(keyId ? { id: keyId } : {}) }, select: { id: true } });
    const ids = live.map((k) => k.id);
    if (ids.length === 0) return [];
    const revokedAt = new Date();
    await tx.facilityApiKey.updateMany({ where: { id: { in: ids } }, data: { revokedAt, revokedBy: by } });
    await recordAudit(tx, {
      actor: actor ?? systemActor("admin", by, f.id),
      action: "FACILITY_KEY_REVOKED",
      outcome: "SUCCESS",
      patientId: null,
      detail: { keyIds: ids, facility: f.code, before: ids.map((keyId) => ({ keyId, revokedAt: null })), after: ids.map((keyId) => ({ keyId, revokedAt: revokedAt.toISOString() })) },
    });
    return ids;
  });
}

export async function listFacilityKeys(db: Db, facilityCode: string) {
  const f = await facilityByCode(db, facilityCode);
  return db.facilityApiKey.findMany({ where: { facilityId: f.id }, orderBy: { createdAt: "asc" }, select: { id: true, createdAt: true, createdBy: true, revokedAt: true, revokedBy: true, lastUsedAt: true } });
}

export interface KeyHolder {
  keyId: string;
  facility: { id: string; code: string; status: string; discloses: boolean; careCategory: string };
}

/** The live key presented, with its facility; null for a missing, malformed, unknown or revoked key. */
export async function authenticateFacilityKey(db: Db, presented: string | null): Promise<KeyHolder | null> {
  if (!presented || !presented.startsWith(PREFIX) || presented.length > 200) return null;
  const k = await db.facilityApiKey.findUnique({ where: { hash: hashKey(presented) }, include: { facility: { select: { id: true, code: true, status: true, discloses: true, careCategory: true } } } });
  if (!k) return null;
  if (k.revokedAt) {
    // a revoked key presented again has leaked, or a system was not told: either way someone must look
    // (review 5, m4). An unknown key is not recorded: anyone can make those up, and each would be a row.
    await db.$transaction((tx) =>
      recordAudit(tx, { actor: systemActor("ingest", `key:${k.id}`, k.facility.id), action: "REVOKED_CREDENTIAL_USED", outcome: "DENY", purpose: "ADMINISTRATION", detail: { credential: "facility-key", keyId: k.id, revokedAt: k.revokedAt!.toISOString() } }),
    );
    return null;
  }
  // last use, to the minute: enough for "is this key still in use" without a write per push
  if (!k.lastUsedAt || Date.now() - k.lastUsedAt.getTime() > 60_000) await db.facilityApiKey.update({ where: { id: k.id }, data: { lastUsedAt: new Date() } });
  return { keyId: k.id, facility: k.facility };
}
