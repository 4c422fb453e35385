import { createHash, randomBytes } from "node:crypto";
import { getDb } from "../db/client";
import { now } from "../clock";
import { auditActorOf, auditActorOfUser, recordAudit } from "../audit";
import { decideApiTokenIssue } from "../access/duties";
import type { DenyReason } from "../access/decide";
import type { Actor } from "./actor";
import { actorFacts, toActor } from "./to-actor";

/**
 * Clinicians' tokens for the FHIR API: a facility system pulls a patient's record as the clinician who
 * issued the token, decided (lib/access) and audited as them on every request. 256 random bits, shown
 * once; only the SHA-256 is stored. At most API_TOKEN_MAX_HOURS, as long as a login session at most.
 */
export const API_TOKEN_MAX_HOURS = 12;
const PREFIX = "tsu_";
const hashToken = (token: string) => createHash("sha256").update(token, "utf8").digest("hex");

export class ApiTokenError extends Error {
  constructor(readonly reason: DenyReason | "NO_SUCH_TOKEN" | "INVALID_HOURS") {
    super(reason);
  }
}

export interface IssuedToken {
  id: string;
  /** the token itself: shown once, never stored */
  token: string;
  expiresAt: Date;
}

/**
 * Why this user may not issue a token now, or null when they may: lib/access's one rule, which the
 * account page asks before it offers the form and issueApiToken asks again before it issues.
 */
export function apiTokenRefusal(actor: Actor): DenyReason | null {
  const decision = decideApiTokenIssue(actorFacts(actor));
  return decision.allow ? null : decision.reason;
}

/** A new token for this clinician, after lib/access agrees (a complete login; see decideApiTokenIssue). */
export async function issueApiToken(actor: Actor, hours: number = API_TOKEN_MAX_HOURS, label: string | null = null): Promise<IssuedToken> {
  const refused = apiTokenRefusal(actor);
  if (refused) throw new ApiTokenError(refused);
  if (!Number.isInteger(hours) || hours < 1 || hours > API_TOKEN_MAX_HOURS) throw new ApiTokenError("INVALID_HOURS");
  const id = `at-${randomBytes(6).toString("hex")}`;
  // the id is part of the token, so a log line can tell which token was used without holding it
  const token = `${PREFIX}${id.slice(3)}_${randomBytes(32).toString("base64url")}`;
  const at = now();
  const expiresAt = new Date(at.getTime() + hours * 3_600_000);
  const db = await getDb();
  await db.$transaction(async (tx) => {
    await tx.apiToken.create({ data: { id, userId: actor.userId, hash: hashToken(token), label: label?.slice(0, 100) || null, createdAt: at, expiresAt } });
    await recordAudit(tx, { actor: auditActorOf(actor), action: "API_TOKEN_ISSUED", outcome: "SUCCESS", at, detail: { tokenId: id, expiresAt: expiresAt.toISOString() } });
  });
  return { id, token, expiresAt };
}

/** Revokes one of this clinician's own tokens (a token of someone else's is "no such token"). */
export async function revokeApiToken(actor: Actor, id: string): Promise<void> {
  const db = await getDb();
  const at = now();
  await db.$transaction(async (tx) => {
    const r = await tx.apiToken.updateMany({ where: { id, userId: actor.userId, revokedAt: null }, data: { revokedAt: at } });
    if (r.count === 0) throw new ApiTokenError("NO_SUCH_TOKEN");
    await recordAudit(tx, { actor: auditActorOf(actor), action: "API_TOKEN_REVOKED", outcome: "SUCCESS", at, detail: { tokenId: id } });
  });
}

export interface ApiTokenRow {
  id: string;
  label: string | null;
  createdAt: string;
  expiresAt: string;
  lastUsedAt: string | null;
}

/** This clinician's tokens still in force (not revoked, not expired), newest first. */
export async function listApiTokens(actor: Actor): Promise<ApiTokenRow[]> {
  const db = await getDb();
  const rows = await db.apiToken.findMany({ where: { userId: actor.userId, revokedAt: null, expiresAt: { gt: now() } }, orderBy: { createdAt: "desc" } });
  return rows.map((r) => ({ id: r.id, label: r.label, createdAt: r.createdAt.toISOString(), expiresAt: r.expiresAt.toISOString(), lastUsedAt: r.lastUsedAt?.toISOString() ?? null }));
}

/**
 * Why a presented token stands for nobody, so the system is told what its holder can do about it:
 * NO_TOKEN (missing, malformed, unknown — issue one), EXPIRED, REVOKED, and, for a token revoked or
 * refused because of its user, FACILITY_SUSPENDED (suspension revokes every token of the facility and
 * its users cannot log in to issue another) or USER_INACTIVE (deactivation revokes them likewise).
 */
export type ApiTokenRefusal = "NO_TOKEN" | "EXPIRED" | "REVOKED" | "FACILITY_SUSPENDED" | "USER_INACTIVE";

/**
 * The clinician a presented token stands for, as an Actor re-read now (deactivated, suspended or
 * unverified is then refused by lib/access on the read itself), or why it stands for nobody. The token
 * was issued after a complete login: the actor counts as one (mfa), and its "session" is the token,
 * which the audit trail names.
 */
export async function readApiToken(presented: string | null): Promise<{ actor: Actor } | { refused: ApiTokenRefusal }> {
  if (!presented || !presented.startsWith(PREFIX) || presented.length > 200) return { refused: "NO_TOKEN" };
  const db = await getDb();
  const t = await db.apiToken.findUnique({
    where: { hash: hashToken(presented) },
    include: { user: { include: { facility: { select: { name: true, status: true, views: true, canBreakGlass: true } } } } },
  });
  const at = now();
  if (!t) return { refused: "NO_TOKEN" };
  if (t.revokedAt || t.expiresAt <= at) {
    // the account's state first: it is why the token was revoked, and what decides whether another can be issued
    const cause = t.user.facility.status !== "ACTIVE" ? "FACILITY_SUSPENDED" : !t.user.active ? "USER_INACTIVE" : null;
    const refused = cause ?? (t.revokedAt ? "REVOKED" : "EXPIRED");
    // a revoked or expired token presented again: recorded under its user, for whoever reviews the trail
    // (review 5, m4); an unknown one is not (anyone can make those up)
    await db.$transaction((tx) =>
      recordAudit(tx, { actor: auditActorOfUser(t.user), action: "REVOKED_CREDENTIAL_USED", outcome: "DENY", purpose: "ADMINISTRATION", at, detail: { credential: "api-token", tokenId: t.id, reason: refused } }),
    );
    return { refused };
  }
  // last use, to the minute: enough to tell a token in use, without a write per request
  if (!t.lastUsedAt || at.getTime() - t.lastUsedAt.getTime() > 60_000) await db.apiToken.update({ where: { id: t.id }, data: { lastUsedAt: at } });
  return { actor: toActor(t.user, { id: `api-token:${t.id}`, mfa: true }) };
}
