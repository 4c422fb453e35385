import type { Db, Tx } from "../db/client";
import { Prisma } from "../db/generated/client";
import { GENESIS_HASH, eventHash } from "./hash";
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
  const last = await tx.auditEvent.findFirst({ where: { chain }, orderBy: { chainSeq: "desc" }, select: { chainSeq: true, hash: true } });
  const chainSeq = (last?.chainSeq ?? 0n) + 1n;
  const prevHash = last?.hash ?? GENESIS_HASH;
  // Millisecond precision: what PostgreSQL stores is what we hash.
  const at = new Date(Math.floor((input.at ?? new Date()).getTime()));
  const fields = {
    chain,
    chainSeq,
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
    prevHash,
  };
  const { seq } = await tx.auditEvent.create({
    data: { ...fields, detail: fields.detail === null ? Prisma.DbNull : (fields.detail as Prisma.InputJsonValue), hash: eventHash(fields) },
    select: { seq: true },
  });
  scheduleCheckpoint();
  return seq;
}

/** Records an event in a transaction of its own (for events with no read attached: logins, refusals). */
export async function recordAuditNow(db: Db, input: AuditInput): Promise<bigint> {
  return db.$transaction((tx) => recordAudit(tx, input));
}

export { verifyChain, verifyAuditTrail, describeFinding, type ChainVerification, type AuditVerification, type Finding } from "./verify";
export { flushCheckpoints } from "./checkpoint-schedule";
