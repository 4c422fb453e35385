import { randomUUID } from "node:crypto";
import type { Db, Tx } from "../db/client";
import { auditActorOf, auditActorOfUser, recordAudit, type AuditActor } from "../audit";

/** Idle timeout: a session unused this long ends. */
export const IDLE_SECONDS = 30 * 60;
/** Absolute lifetime of a session, whatever the activity. */
export const ABSOLUTE_SECONDS = 12 * 60 * 60;
/** lastSeenAt is written at most this often: one write a minute per user, not one per request. */
const TOUCH_SECONDS = 60;

export type EndReason = "LOGOUT" | "LOGOUT_ALL" | "IDLE" | "ABSOLUTE" | "ENDED_BY_ADMIN" | "USER_INACTIVE" | "PASSWORD_CHANGED" | "PASSWORD_RESET" | "SECOND_FACTOR_RESET" | "FACILITY_SUSPENDED";

export async function startSession(tx: Tx, userId: string, mfa: boolean, ip: string | null, at: Date): Promise<string> {
  const id = randomUUID();
  await tx.session.create({ data: { id, userId, createdAt: at, lastSeenAt: at, mfa, ip } });
  return id;
}

const loadSession = (db: Db, id: string) =>
  db.session.findUnique({
    where: { id },
    include: { user: { include: { facility: { select: { name: true, status: true, views: true, canBreakGlass: true } } } } },
  });
export type LiveSession = NonNullable<Awaited<ReturnType<typeof loadSession>>>;

/**
 * The session named by the cookie, if it still holds at `at`: not ended, not idle for IDLE_SECONDS,
 * not older than ABSOLUTE_SECONDS, its user active and facility not suspended. A session found over
 * a limit is ended here (and audited), so it cannot come back.
 */
export async function checkSession(db: Db, id: string, at: Date): Promise<LiveSession | null> {
  const s = await loadSession(db, id);
  if (!s || s.endedAt) return null;
  const t = at.getTime();
  const reason: EndReason | null =
    t - s.createdAt.getTime() > ABSOLUTE_SECONDS * 1000
      ? "ABSOLUTE"
      : t - s.lastSeenAt.getTime() > IDLE_SECONDS * 1000
        ? "IDLE"
        : !s.user.active || s.user.facility.status !== "ACTIVE"
          ? "USER_INACTIVE"
          : null;
  if (reason) {
    await endSessions(db, { id }, reason, at, auditActorOfUser(s.user));
    return null;
  }
  if (t - s.lastSeenAt.getTime() > TOUCH_SECONDS * 1000) await db.session.update({ where: { id }, data: { lastSeenAt: at } });
  return s;
}

/**
 * Ends one session ({id}: one of `by`'s own) or a user's open sessions ({userId}, optionally all but
 * one), with one audit event naming who ended them.
 */
export async function endSessions(db: Db, which: SessionsToEnd, reason: EndReason, at: Date, by: AuditActor): Promise<number> {
  return db.$transaction((tx) => endSessionsIn(tx, which, reason, at, by));
}

type SessionsToEnd = { id: string } | { userId: string; exceptId?: string };

/**
 * endSessions inside a transaction the caller holds (an administrator's change and its sessions' end,
 * all or nothing). Ending a user's sessions (not one logout) also revokes their FHIR API tokens: a
 * token is a login of its own, and one issued before a deactivation, a reset, a password change or
 * "log out everywhere" must not answer again afterwards (a reviewer's deactivated-then-reactivated
 * clinician's token did).
 */
export async function endSessionsIn(tx: Tx, which: SessionsToEnd, reason: EndReason, at: Date, by: AuditActor): Promise<number> {
  const where = "id" in which ? { id: which.id } : { userId: which.userId, ...(which.exceptId ? { NOT: { id: which.exceptId } } : {}) };
  const r = await tx.session.updateMany({ where: { ...where, endedAt: null }, data: { endedAt: at, endedReason: reason } });
  const tokens = "userId" in which ? (await tx.apiToken.updateMany({ where: { userId: which.userId, revokedAt: null }, data: { revokedAt: at } })).count : 0;
  if (r.count > 0 || tokens > 0) {
    await recordAudit(tx, {
      actor: auditActorOf(by),
      action: reason === "LOGOUT" ? "LOGOUT" : "SESSIONS_ENDED",
      outcome: "SUCCESS",
      purpose: "ADMINISTRATION",
      at,
      detail: { reason, sessions: r.count, ...(tokens ? { apiTokensRevoked: tokens } : {}), userId: "userId" in which ? which.userId : by.userId },
    });
  }
  return r.count;
}
