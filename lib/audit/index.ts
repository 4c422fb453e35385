import type { Db, Tx } from "../db/client";
import { Prisma } from "../db/generated/client";
import { GENESIS_HASH, eventHash, hashedBodyPrefix, type HashedFields } from "./hash";
import { scheduleCheckpoint } from "./checkpoint-schedule";
import { CHAIN_LOCK, chainOf } from "./chains";

export type AuditAction =
  | "LOGIN"
  | "LOGIN_FAILED"
  | "LOGOUT"
  | "PATIENT_SEARCH"
  | "RECORD_VIEW"
  | "RECORD_VIEW_DENIED"
  | "RECORDS_IMPORTED"
  | "IDENTITY_CANDIDATE"
  | "IDENTITY_LINK_CONFIRMED"
  | "IDENTITY_CANDIDATE_REJECTED"
  | "IDENTITY_REVIEW_VIEW"
  | "IMPORT_REFUSED"
  | "IDENTITY_UNLINKED"
  | "FACILITY_KEY_ISSUED"
  | "FACILITY_KEY_REVOKED"
  | "API_TOKEN_ISSUED"
  | "API_TOKEN_REVOKED"
  | "FACILITY_LIST_VIEW"
  | "FACILITY_VIEW"
  | "FACILITY_CREATED"
  | "FACILITY_UPDATED"
  | "FACILITY_SUSPENDED"
  | "FACILITY_REINSTATED"
  | "FACILITY_ADMIN_DENIED"
  | "WARNING_ACKNOWLEDGED"
  | "PATIENT_IDENTIFY"
  | "CONSENT_VIEW"
  | "CONSENT_RECORDED"
  | "CONSENT_WITHDRAWN"
  | "CONSENT_DENIED"
  | "ACCESS_REPORT_VIEW"
  | "ACCOUNT_LOCKED"
  | "ACCOUNT_UNLOCKED"
  | "SESSIONS_ENDED"
  | "RECOVERY_CODE_USED"
  | "REAUTHENTICATION_FAILED"
  | "PASSWORD_CHANGED"
  | "PASSWORD_RESET"
  | "MFA_ENROLLED"
  | "USER_CREATED"
  | "CREDENTIAL_VERIFIED"
  | "USER_DEACTIVATED"
  | "USER_REACTIVATED"
  | "BREAK_GLASS_START"
  | "BREAK_GLASS_STOP"
  | "BREAK_GLASS_DENIED"
  | "BREAK_GLASS_REVIEWED"
  | "DISASTER_MODE"
  | "RATE_LIMITED"
  | "CONSENT_SELF_USE_REVIEWED"
  | "USER_LIST_VIEW"
  | "BREAK_GLASS_QUEUE_VIEW"
  | "AUDIT_SEARCH"
  | "AUDIT_EVENT_VIEW"
  | "AUDIT_EXPORT"
  | "AUDIT_VERIFIED"
  | "DASHBOARD_VIEW"
  | "ACCOUNT_ADMIN_DENIED"
  | "FACILITY_ADMINISTRATOR_GRANTED"
  | "FACILITY_ADMINISTRATOR_REVOKED"
  | "SECOND_FACTOR_RESET";
export type AuditOutcome = "ALLOW" | "DENY" | "SUCCESS" | "FAILURE";
export type AuditPurpose = "TREATMENT" | "EMERGENCY" | "ADMINISTRATION" | "PATIENT_REQUEST";

/** Who did it, as the audit log records them. */
export interface AuditActor {
  userId: string;
  name: string;
  profession: string;
  facilityId: string;
}

/** The audit actor of a signed-in user (only the fields the log keeps). */
export const auditActorOf = (a: AuditActor): AuditActor => ({ userId: a.userId, name: a.name, profession: a.profession, facilityId: a.facilityId });

export interface AuditInput {
  actor?: AuditActor | null;
  action: AuditAction;
  outcome: AuditOutcome;
  patientId?: string | null;
  purpose?: AuditPurpose | null;
  detail?: Record<string, unknown> | null;
  at?: Date;
}

/** The chains whose lock a transaction took through chainLockIn, so recordAudit need not ask again. */
const lockedChains = new WeakMap<Tx, Set<number>>();

/**
 * The lock of the chain of events about `patientId`, as an SQL expression, for a writer that takes
 * it inside a statement it sends anyway (lib/ingest/ledger: the import's IngestDocument write), one
 * round trip fewer per imported file. Run that statement before recordAudit in the same transaction:
 * recordAudit then reads the chain's head without locking again. The head must be read after the
 * lock is held, in a later statement (a statement's snapshot is taken when it starts, before it
 * waits for the lock), which recordAudit's own read is.
 */
export function chainLockIn(tx: Tx, patientId: string | null): Prisma.Sql {
  const chain = chainOf(patientId);
  let held = lockedChains.get(tx);
  if (!held) lockedChains.set(tx, (held = new Set()));
  held.add(chain);
  return Prisma.sql`pg_advisory_xact_lock(${CHAIN_LOCK}::int, ${chain}::int)`;
}

/**
 * Appends one event to its hash chain (lib/audit/chains.ts), under that chain's lock only. Call it
 * inside the same transaction as the read it records, so there is never patient data read without
 * an audit row. Returns the event's seq.
 */
export async function recordAudit(tx: Tx, input: AuditInput): Promise<bigint> {
  const chain = chainOf(input.patientId);
  if (!lockedChains.get(tx)?.has(chain)) await tx.$executeRaw`SELECT pg_advisory_xact_lock(${CHAIN_LOCK}::int, ${chain}::int)`;
  // Millisecond precision: what PostgreSQL stores is what we hash.
  const at = new Date(Math.floor((input.at ?? new Date()).getTime()));
  const fields = {
    chain,
    at,
    actorId: input.actor?.userId ?? null,
    actorName: input.actor?.name ?? null,
    actorProfession: input.actor?.profession ?? null,
    facilityId: input.actor?.facilityId ?? null,
    action: input.action,
    patientId: input.patientId ?? null,
    purpose: input.purpose ?? null,
    outcome: input.outcome,
    detail: input.detail ?? null,
  };
  const prefix = hashedBodyPrefix(fields);
  const seq = prefix !== null ? await appendInOneStatement(tx, fields, prefix) : await appendAfterReadingHead(tx, fields);
  scheduleCheckpoint();
  return seq;
}

type Fields = Omit<HashedFields, "chainSeq" | "prevHash">;

/**
 * The event written in one statement that finds the chain's head and hashes on it, as eventHash
 * does (sha256 of the previous hash, a newline, and the canonical body, whose last key is the
 * position): one round trip fewer for every audited read and every imported file. The chain's lock
 * is held already, taken by an earlier statement, so this statement's snapshot sees the newest head.
 */
async function appendInOneStatement(tx: Tx, f: Fields, prefix: string): Promise<bigint> {
  const detail = f.detail === null ? null : JSON.stringify(f.detail);
  const rows = await tx.$queryRaw<{ seq: bigint | number | string }[]>`
    INSERT INTO "AuditEvent" (chain, "chainSeq", at, "actorId", "actorName", "actorProfession", "facilityId", action, "patientId", purpose, outcome, detail, "prevHash", hash)
    SELECT ${f.chain}::int, head.position, (${f.at.toISOString()}::timestamptz AT TIME ZONE 'UTC')::timestamp(3), ${f.actorId}, ${f.actorName}, ${f.actorProfession}, ${f.facilityId},
           ${f.action}, ${f.patientId}, ${f.purpose}, ${f.outcome}, ${detail}::jsonb, head.prev,
           encode(sha256(convert_to(head.prev || chr(10) || ${prefix}::text || head.position::text || '"}', 'UTF8')), 'hex')
      FROM (SELECT coalesce(last."chainSeq", 0) + 1 AS position, coalesce(last.hash, ${GENESIS_HASH}::text) AS prev
              FROM (SELECT 1) AS one
              LEFT JOIN LATERAL (SELECT "chainSeq", hash FROM "AuditEvent" WHERE chain = ${f.chain}::int ORDER BY "chainSeq" DESC LIMIT 1) AS last ON true) AS head
    RETURNING seq`;
  return BigInt(rows[0]!.seq);
}

/** The event hashed here, after reading the chain's head (the lock held): two statements. */
async function appendAfterReadingHead(tx: Tx, f: Fields): Promise<bigint> {
  const last = await tx.auditEvent.findFirst({ where: { chain: f.chain }, orderBy: { chainSeq: "desc" }, select: { chainSeq: true, hash: true } });
  const hashed = { ...f, chainSeq: (last?.chainSeq ?? 0n) + 1n, prevHash: last?.hash ?? GENESIS_HASH };
  const { seq } = await tx.auditEvent.create({
    data: { ...hashed, detail: f.detail === null ? Prisma.DbNull : (f.detail as Prisma.InputJsonValue), hash: eventHash(hashed) },
    select: { seq: true },
  });
  return seq;
}

/** Records an event in a transaction of its own (for events with no read attached: logins, refusals). */
export async function recordAuditNow(db: Db, input: AuditInput): Promise<bigint> {
  return db.$transaction((tx) => recordAudit(tx, input));
}

export { verifyChain, verifyAuditTrail, describeFinding, type ChainVerification, type AuditVerification, type Finding } from "./verify";
export { flushCheckpoints } from "./checkpoint-schedule";
