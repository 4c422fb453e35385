import type { Db, Tx } from "../db/client";
import { Prisma } from "../db/generated/client";
import { GENESIS_HASH, eventHash, hashedBodyPrefix, type HashedFields } from "./hash";
import { scheduleCheckpoint } from "./checkpoint-schedule";
import { CHAIN_LOCK, PATIENT_CHAINS, chainOf } from "./chains";

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
  | "SECOND_FACTOR_RESET"
  /** a revoked or expired facility key or API token presented again: a leaked credential, refused */
  | "REVOKED_CREDENTIAL_USED";
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
/** The audit actor of a user row, where there is no signed-in Actor (a login, a session ended, a token presented). */
export const auditActorOfUser = (u: { id: string; name: string; profession: string; facilityId: string }): AuditActor => ({ userId: u.id, name: u.name, profession: u.profession, facilityId: u.facilityId });

export interface AuditInput {
  actor?: AuditActor | null;
  action: AuditAction;
  outcome: AuditOutcome;
  patientId?: string | null;
  purpose?: AuditPurpose | null;
  detail?: Record<string, unknown> | null;
  at?: Date;
}

/** The chains whose lock a transaction took through chainLockIn or chainLockOf, so recordAudit need not ask again. */
const lockedChains = new WeakMap<Tx, Set<number>>();
const noteLocked = (tx: Tx, chain: number) => {
  let held = lockedChains.get(tx);
  if (!held) lockedChains.set(tx, (held = new Set()));
  held.add(chain);
};

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
  noteLocked(tx, chain);
  return Prisma.sql`pg_advisory_xact_lock(${CHAIN_LOCK}::int, ${chain}::int)`;
}

/**
 * The same lock for a patient id the statement itself finds (an SQL expression, e.g. a link's
 * "patientId"): chainOf in SQL. Once the statement has run, tell chainLockTaken which patient it was.
 */
export const chainLockOf = (patientId: Prisma.Sql): Prisma.Sql =>
  Prisma.sql`pg_advisory_xact_lock(${CHAIN_LOCK}::int, ${chainOfSql(patientId)})`;

/** chainOf as SQL: 1 + the first four bytes of the id's sha256, unsigned, modulo the chain count (0 for none). */
export const chainOfSql = (patientId: Prisma.Sql): Prisma.Sql =>
  Prisma.sql`(CASE WHEN ${patientId} IS NULL THEN 0 ELSE 1 + (('x' || left(encode(sha256(convert_to(${patientId}, 'UTF8')), 'hex'), 8))::bit(32)::bigint % ${PATIENT_CHAINS}::int)::int END)`;

/** The chain of `patientId` was locked by a statement of this transaction that has run (chainLockOf). */
export const chainLockTaken = (tx: Tx, patientId: string) => noteLocked(tx, chainOf(patientId));

/**
 * Appends one event to its hash chain (lib/audit/chains.ts), under that chain's lock only. Call it
 * inside the same transaction as the read it records, so there is never patient data read without
 * an audit row. Returns the event's seq.
 */
export async function recordAudit(tx: Tx, input: AuditInput): Promise<bigint> {
  const chain = chainOf(input.patientId);
  if (!lockedChains.get(tx)?.has(chain)) await tx.$executeRaw`SELECT pg_advisory_xact_lock(${CHAIN_LOCK}::int, ${chain}::int)`;
  const fields = hashedFields(chain, input);
  const prefix = hashedBodyPrefix(fields);
  const seq = prefix !== null ? await appendInOneStatement(tx, fields, prefix) : await appendAfterReadingHead(tx, fields);
  scheduleCheckpoint();
  return seq;
}

/**
 * The event as a data-modifying CTE (`<name> AS (INSERT …)`) of a statement its writer sends anyway
 * (lib/ingest/ledger: the import's ledger entry), one round trip fewer per imported file; null when
 * it cannot be: its chain's lock was not taken by an earlier statement of this transaction, whose
 * completion guarantees this statement's snapshot sees the chain's newest head, or its body cannot
 * be hashed in SQL. Then record it with recordAudit after the statement.
 */
export function auditEventCte(tx: Tx, name: string, input: AuditInput, after?: string): Prisma.Sql | null {
  const chain = chainOf(input.patientId);
  if (!lockedChains.get(tx)?.has(chain)) return null;
  const fields = hashedFields(chain, input);
  const prefix = hashedBodyPrefix(fields);
  if (prefix === null) return null;
  scheduleCheckpoint();
  return Prisma.sql`${Prisma.raw(name)} AS (${appendSql(fields, prefix, after)} RETURNING "chainSeq", hash)`;
}

function hashedFields(chain: number, input: AuditInput): Fields {
  return {
    chain,
    // Millisecond precision: what PostgreSQL stores is what we hash.
    at: new Date(Math.floor((input.at ?? new Date()).getTime())),
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
}

type Fields = Omit<HashedFields, "chainSeq" | "prevHash">;

/**
 * The event written in one statement that finds the chain's head and hashes on it, as eventHash
 * does (sha256 of the previous hash, a newline, and the canonical body, whose last key is the
 * position): one round trip fewer for every audited read and every imported file. The chain's lock
 * is held already, taken by an earlier statement, so this statement's snapshot sees the newest head.
 */
async function appendInOneStatement(tx: Tx, f: Fields, prefix: string): Promise<bigint> {
  const rows = await tx.$queryRaw<{ seq: bigint | number | string }[]>`${appendSql(f, prefix)} RETURNING seq`;
  return BigInt(rows[0]!.seq);
}

/**
 * `after`: the name of an event CTE of the same statement on the same chain (auditEventCte), whose
 * row is this one's head: several events of one chain in one statement (lib/ingest/pending-writes),
 * each hashed on the one before, as separate statements would be. The CTEs of a statement share one
 * snapshot, so the table's head is the first one's only.
 */
function appendSql(f: Fields, prefix: string, after?: string): Prisma.Sql {
  const detail = f.detail === null ? null : JSON.stringify(f.detail);
  const head = after
    ? Prisma.sql`(SELECT "chainSeq" + 1 AS position, hash AS prev FROM ${Prisma.raw(after)}) AS head`
    : Prisma.sql`(SELECT coalesce(last."chainSeq", 0) + 1 AS position, coalesce(last.hash, ${GENESIS_HASH}::text) AS prev
              FROM (SELECT 1) AS one
              LEFT JOIN LATERAL (SELECT "chainSeq", hash FROM "AuditEvent" WHERE chain = ${f.chain}::int ORDER BY "chainSeq" DESC LIMIT 1) AS last ON true) AS head`;
  return Prisma.sql`
    INSERT INTO "AuditEvent" (chain, "chainSeq", at, "actorId", "actorName", "actorProfession", "facilityId", action, "patientId", purpose, outcome, detail, "prevHash", hash)
    SELECT ${f.chain}::int, head.position, (${f.at.toISOString()}::timestamptz AT TIME ZONE 'UTC')::timestamp(3), ${f.actorId}, ${f.actorName}, ${f.actorProfession}, ${f.facilityId},
           ${f.action}, ${f.patientId}, ${f.purpose}, ${f.outcome}, ${detail}::jsonb, head.prev,
           encode(sha256(convert_to(head.prev || chr(10) || ${prefix}::text || head.position::text || '"}', 'UTF8')), 'hex')
      FROM ${head}`;
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
