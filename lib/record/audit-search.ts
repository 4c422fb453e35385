import { z } from "zod";
import { getDb, type Db, type Tx } from "../db/client";
import { now } from "../clock";
import { auditActorOf, recordAudit, type AuditAction } from "../audit";
import type { Actor } from "../auth/actor";
import { decideAuditSearch } from "../access/audit-search";
import { actorFacts } from "./guard";
import { refuse } from "./refuse";
import { InvalidFieldsError } from "./errors";
import { fieldErrors, isRealDay, optional } from "./input";
import { identifyByCard } from "./consent";
import type { AuditSource } from "../interop/fhir/balp-audit-event";
import { inTurn } from "../db/in-turn";
import { SYSTEM_ACTOR_ROLES } from "../ingest/system-actor";

/**
 * The network administrator's search of the audit trail: filters, newest first, paged with a cursor.
 * The table grows by every view in the network (millions of rows), so a page is one index walk:
 * ordered by (at, seq) descending, and a cursor starts the walk where the last page ended (an `at <=`
 * bound the index can use) instead of skipping rows. Each filter with a time order has its index
 * (patientId, actorId, facilityId, action: each with at). Every search is itself audited.
 */

export const AUDIT_PURPOSES = ["TREATMENT", "EMERGENCY", "ADMINISTRATION", "PATIENT_REQUEST"] as const;
export const AUDIT_OUTCOMES = ["ALLOW", "DENY", "SUCCESS", "FAILURE"] as const;
export const AUDIT_PAGE_SIZE = 50;

/** One event as the administrator sees it: every stored field, and the facility's name. */
export interface AuditRow extends AuditSource {
  chain: number;
  chainSeq: string;
  prevHash: string;
  hash: string;
}

/** The filters as typed (for the form to show again, and for the export links). */
export type AuditFilterText = Partial<Record<(typeof FILTER_KEYS)[number], string>>;
export const FILTER_KEYS = ["patient", "user", "facility", "action", "purpose", "outcome", "from", "to"] as const;

const id = z.string().trim().max(60).regex(/^[\w.-]+$/);
/**
 * Whose events: a user (login ID or user id), or work no signed-in user did, as lib/ingest names it —
 * `ingest:cli:<operator>` (an import run from the command line), `ingest:key:<key id>` (a facility
 * system's push), `review:<operator>`: so a privacy officer can ask what one operator imported. Only
 * the roles lib/ingest writes, each followed by its `:`-separated name; anything else is refused by name.
 */
const systemActorId = new RegExp(`^(${SYSTEM_ACTOR_ROLES.join("|")}):[\\w.@-]+(:[\\w.@-]+)*$`);
const userFilter = z
  .string()
  .trim()
  .refine((s) => /^[\w.-]{1,60}$/.test(s) || (s.length <= 120 && systemActorId.test(s)), { params: { error: "user" } });
/** A datetime-local value (minutes, optionally seconds), read as Japan time: the network's clock on the wall. */
const localTime = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/)
  .refine((s) => isRealDay(s.slice(0, 10)) && Number(s.slice(11, 13)) < 24 && Number(s.slice(14, 16)) < 60)
  .transform((s) => ({ text: s, at: new Date(`${s.length === 16 ? `${s}:00` : s}+09:00`), minute: s.length === 16 }));

const filterSchema = z
  .object({
    patient: optional(id),
    user: optional(userFilter),
    facility: optional(id),
    action: optional(z.string().regex(/^[A-Z_]{2,48}$/)),
    purpose: optional(z.enum(AUDIT_PURPOSES)),
    outcome: optional(z.enum(AUDIT_OUTCOMES)),
    from: optional(localTime),
    to: optional(localTime),
    cursor: optional(z.string().regex(/^\d{1,15}\.\d{1,19}$/)),
  })
  .superRefine((v, ctx) => {
    if (v.from && v.to && v.from.at > v.to.at) ctx.addIssue({ code: "custom", path: ["to"], params: { error: "beforeFrom" } });
  });
type Filters = z.infer<typeof filterSchema>;

/** The first value of each query parameter (a repeated one is not a second filter). */
const firstValues = (input: Record<string, unknown>) => Object.fromEntries(Object.entries(input).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]));

function parseFilters(input: Record<string, unknown>): Filters {
  const p = filterSchema.safeParse(firstValues(input));
  if (!p.success) throw new InvalidFieldsError(fieldErrors(p.error));
  return p.data;
}

/** The filters as typed, without the cursor: what the audit event of a search records. */
function filterText(f: Filters): AuditFilterText {
  const out: AuditFilterText = {};
  for (const k of FILTER_KEYS) {
    const v = f[k];
    if (v !== undefined) out[k] = typeof v === "string" ? v : v.text;
  }
  return out;
}

/** A user is named by login ID or by user id; the trail stores the id. */
async function actorIdOf(tx: Tx | Db, user: string | undefined): Promise<string | undefined> {
  if (!user) return undefined;
  const u = await tx.user.findFirst({ where: { OR: [{ loginId: user }, { id: user }] }, select: { id: true } });
  return u?.id ?? user;
}

export interface Cursor {
  at: Date;
  seq: bigint;
}

const parseCursor = (s: string | undefined): Cursor | undefined => {
  if (!s) return undefined;
  const [at, seq] = s.split(".");
  return { at: new Date(Number(at)), seq: BigInt(seq!) };
};
export const cursorText = (c: Cursor) => `${c.at.getTime()}.${c.seq}`;

/** The WHERE of a search; `upTo` pins an export to the events that existed when it began. */
export function auditWhere(f: Filters, actorId: string | undefined, upTo?: bigint) {
  // `to` names a minute on the wall clock: the whole of that minute is in the range.
  const until = f.to ? new Date(f.to.at.getTime() + (f.to.minute ? 60_000 : 1000)) : undefined;
  return {
    patientId: f.patient,
    actorId,
    facilityId: f.facility,
    action: f.action,
    purpose: f.purpose,
    outcome: f.outcome,
    ...(f.from || until ? { at: { ...(f.from ? { gte: f.from.at } : {}), ...(until ? { lt: until } : {}) } } : {}),
    ...(upTo === undefined ? {} : { seq: { lte: upTo } }),
  };
}
export type AuditWhere = ReturnType<typeof auditWhere>;

/** One page, newest first, strictly after `after` in that order. */
export async function auditPage(db: Tx | Db, where: AuditWhere, after: Cursor | undefined, take: number) {
  const where2 = after
    ? { AND: [where, { at: { lte: after.at } }, { OR: [{ at: { lt: after.at } }, { seq: { lt: after.seq } }] }] }
    : where;
  return db.auditEvent.findMany({ where: where2, orderBy: [{ at: "desc" }, { seq: "desc" }], take });
}

type Event = Awaited<ReturnType<typeof auditPage>>[number];

export function auditRow(e: Event, facilityName: Map<string, string>): AuditRow {
  return {
    seq: e.seq.toString(),
    chain: e.chain,
    chainSeq: e.chainSeq.toString(),
    at: e.at.toISOString(),
    actorId: e.actorId,
    actorName: e.actorName,
    actorProfession: e.actorProfession,
    facilityId: e.facilityId,
    facilityName: e.facilityId ? (facilityName.get(e.facilityId) ?? null) : null,
    action: e.action,
    patientId: e.patientId,
    purpose: e.purpose,
    outcome: e.outcome,
    detail: e.detail,
    prevHash: e.prevHash,
    hash: e.hash,
  };
}

export const facilityNames = async (db: Tx | Db) => new Map((await db.facility.findMany({ select: { id: true, name: true }, orderBy: { id: "asc" } })).map((f) => [f.id, f.name]));

/** Network administrators only (lib/access); a refusal is audited like any other. */
export async function requireAuditSearch(actor: Actor, action: AuditAction, what: string): Promise<void> {
  const d = decideAuditSearch(actorFacts(actor));
  if (!d.allow) await refuse(actor, { action, reason: d.reason, purpose: "ADMINISTRATION", what });
}

export interface AuditSearchResult {
  filters: AuditFilterText;
  events: AuditRow[];
  /** the cursor of the next (older) page, if there is one */
  next: string | null;
  facilities: { id: string; name: string }[];
}

/**
 * One page of the audit trail for the filters, newest first. The search is recorded (its filters and
 * the page), under the patient searched for when there is one, so it shows in that patient's access
 * report.
 */
export async function searchAudit(actor: Actor, input: Record<string, unknown>): Promise<AuditSearchResult> {
  await requireAuditSearch(actor, "AUDIT_SEARCH", "audit-search");
  const f = parseFilters(input);
  const db = await getDb();
  const at = now();
  return db.$transaction(async (tx) => {
    const where = auditWhere(f, await actorIdOf(tx, f.user));
    const [page, names] = await inTurn(() => auditPage(tx, where, parseCursor(f.cursor), AUDIT_PAGE_SIZE + 1), () => facilityNames(tx));
    const shown = page.slice(0, AUDIT_PAGE_SIZE);
    const last = shown.at(-1);
    const filters = filterText(f);
    await recordAudit(tx, {
      actor: auditActorOf(actor),
      action: "AUDIT_SEARCH",
      outcome: "SUCCESS",
      patientId: f.patient ?? null,
      purpose: "ADMINISTRATION",
      at,
      detail: { what: "audit-search", filters, ...(f.cursor ? { cursor: f.cursor } : {}), rows: shown.length },
    });
    return {
      filters,
      events: shown.map((e) => auditRow(e, names)),
      next: page.length > AUDIT_PAGE_SIZE && last ? cursorText(last) : null,
      facilities: [...names].map(([id, name]) => ({ id, name })),
    };
  });
}

/** The filters of an export (the same as a search's, without a cursor: an export starts at the newest). */
export async function exportFilters(input: Record<string, unknown>, db: Db, upTo: bigint) {
  const f = parseFilters({ ...input, cursor: undefined });
  return { where: auditWhere(f, await actorIdOf(db, f.user), upTo), filters: filterText(f) };
}

/** One event with every field, for the administrator; the look is audited (under its patient, if any). */
export async function getAuditEvent(actor: Actor, seq: string): Promise<AuditRow | null> {
  await requireAuditSearch(actor, "AUDIT_EVENT_VIEW", "audit-event");
  if (!/^\d{1,19}$/.test(seq)) throw new InvalidFieldsError({ seq: "invalid" });
  const db = await getDb();
  const at = now();
  return db.$transaction(async (tx) => {
    const e = await tx.auditEvent.findUnique({ where: { seq: BigInt(seq) } });
    if (!e) return null;
    const names = await facilityNames(tx);
    await recordAudit(tx, { actor: auditActorOf(actor), action: "AUDIT_EVENT_VIEW", outcome: "SUCCESS", patientId: e.patientId, purpose: "ADMINISTRATION", at, detail: { what: "audit-event", seq } });
    return auditRow(e, names);
  });
}

/**
 * The administrator searches the trail of the patient whose card is in hand (lib/record/consent's
 * four items, throttled and audited as every card look-up): returns the patient id to filter by.
 */
export async function identifyForAuditSearch(actor: Actor, input: unknown): Promise<string> {
  await requireAuditSearch(actor, "PATIENT_IDENTIFY", "audit-search");
  return identifyByCard(actor, input, { what: "audit-search", purpose: "ADMINISTRATION" });
}
