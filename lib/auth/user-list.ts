import { z } from "zod";
import { getDb, type Db, type Tx } from "../db/client";
import type { Prisma } from "../db/generated/client";
import { auditActorOf, recordAudit } from "../audit";
import { now } from "../clock";
import { ACCOUNT_ACTIONS, decideAccountAdministration, type AccountAction, type AccountAdminDenyReason } from "../access/account-admin";
import type { Actor } from "./actor";
import { isLocked } from "./lockout";
import { accountAdminFacts, accountFactsOf, refuseAccountAdministration, requireAccountScope } from "./account-guard";
import { AccountFieldsError } from "./account";
import { likeLiteral } from "../db/like";
import { normaliseKana } from "../format/kana";

/** A page of accounts: 50 rows fit a screen and read in one statement; a 400-facility network's thousands of staff page by URL. */
export const USER_PAGE_SIZE = 50;
export const USER_STATUSES = ["ACTIVE", "DEACTIVATED", "LOCKED", "FACILITY_SUSPENDED", "LICENCE_UNCHECKED"] as const;
const PROFESSION_CHOICES = ["DOCTOR", "DENTIST", "PHARMACIST", "NURSE", "EMERGENCY", "CLERK", "ADMIN"] as const;

/**
 * The list's search and filters, from the page's URL (so a search can be bookmarked). A value that is
 * not one of the choices is dropped (the filter shows "all"), never an error page: the URL is the
 * user's to edit.
 */
const listQuery = z.object({
  q: z.string().trim().max(80).optional().catch(undefined),
  facility: z.string().trim().max(40).optional().catch(undefined),
  profession: z.enum(PROFESSION_CHOICES).optional().catch(undefined),
  status: z.enum(USER_STATUSES).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(10_000).catch(1),
});
export type UserListQuery = z.infer<typeof listQuery>;

function statusWhere(status: UserListQuery["status"], at: Date): Prisma.UserWhereInput {
  switch (status) {
    case "ACTIVE":
      return { active: true, facility: { status: "ACTIVE" } };
    case "DEACTIVATED":
      return { active: false };
    case "LOCKED":
      return { lockedUntil: { gt: at } };
    case "FACILITY_SUSPENDED":
      return { facility: { status: "SUSPENDED" } };
    case "LICENCE_UNCHECKED":
      return { credentialVerifiedAt: null };
    default:
      return {};
  }
}

function whereOf(q: UserListQuery, facilityId: string | null, at: Date): Prisma.UserWhereInput {
  // full-width digits and letters (a licence number typed on a Japanese keyboard) as their ASCII
  const text = q.q ? likeLiteral(q.q.normalize("NFKC")) : "";
  // kana as stored (full-width katakana, NFKC, single spaces): なかむら and ﾅｶﾑﾗ find ナカムラ
  const kana = text && likeLiteral(normaliseKana(q.q!));
  return {
    AND: [
      text ? { OR: [{ name: { contains: text } }, { nameKana: { contains: kana } }, { loginId: { contains: text.toLowerCase() } }, { licenseNumber: { contains: text } }] } : {},
      facilityId ? { facilityId } : {},
      q.profession ? { profession: q.profession } : {},
      statusWhere(q.status, at),
    ],
  };
}

export interface UserRow {
  id: string;
  loginId: string;
  name: string;
  nameKana: string | null;
  profession: string;
  licenseNumber: string | null;
  facilityId: string;
  facilityName: string;
  facilityAdministrator: boolean;
  credentialVerifiedAt: string | null;
  credentialVerifiedBy: string | null;
  credentialVerificationMethod: string | null;
  /** what the list shows as its state: 有効, 無効, or 停止中（施設停止） (a suspended facility's users cannot log in) */
  status: "ACTIVE" | "DEACTIVATED" | "FACILITY_SUSPENDED";
  locked: boolean;
  secondFactor: boolean;
  openSessions: number;
  /** what this administrator may do to this account (lib/access decides; the page offers only these) */
  may: Record<AccountAction, boolean>;
}

const rowInclude = { facility: { select: { name: true, status: true } }, _count: { select: { sessions: { where: { endedAt: null } } } } } as const;
type Loaded = Prisma.UserGetPayload<{ include: typeof rowInclude }>;

async function toRows(tx: Tx, actor: Actor, users: Loaded[], at: Date): Promise<UserRow[]> {
  const verifierIds = users.map((u) => u.credentialVerifiedById).filter((x): x is string => !!x);
  const verifiers = new Map((await tx.user.findMany({ where: { id: { in: verifierIds } }, select: { id: true, name: true } })).map((v) => [v.id, v.name]));
  const facts = accountAdminFacts(actor);
  return users.map((u) => {
    const account = accountFactsOf(u);
    const may = Object.fromEntries(ACCOUNT_ACTIONS.map((a) => [a, decideAccountAdministration(facts, a, account).allow])) as UserRow["may"];
    return {
      id: u.id,
      loginId: u.loginId,
      name: u.name,
      nameKana: u.nameKana,
      profession: u.profession,
      licenseNumber: u.licenseNumber,
      facilityId: u.facilityId,
      facilityName: u.facility.name,
      facilityAdministrator: u.facilityAdministrator,
      credentialVerifiedAt: u.credentialVerifiedAt?.toISOString() ?? null,
      credentialVerifiedBy: u.credentialVerifiedById ? (verifiers.get(u.credentialVerifiedById) ?? u.credentialVerifiedById) : null,
      credentialVerificationMethod: u.credentialVerificationMethod,
      status: !u.active ? "DEACTIVATED" : u.facility.status !== "ACTIVE" ? "FACILITY_SUSPENDED" : "ACTIVE",
      locked: isLocked(u, at),
      secondFactor: u.totpEnrolledAt !== null,
      openSessions: u._count.sessions,
      may,
    };
  });
}

/**
 * One page of the accounts this administrator manages (a facility administrator: their facility's
 * only, whatever the URL asks), by facility and login id; the read is audited (who looked at the
 * staff list, with what search). With it, the facilities the filter and the new-account form offer.
 */
export async function listUsers(actor: Actor, raw: Record<string, unknown> = {}) {
  const scope = requireAccountScope(actor);
  const parsed = listQuery.parse(raw);
  const query = { ...parsed, facility: scope.facilityId ?? parsed.facility };
  const db = await getDb();
  const at = now();
  return db.$transaction(async (tx) => {
    const where = whereOf(query, query.facility ?? null, at);
    const total = await tx.user.count({ where });
    const pageCount = Math.max(1, Math.ceil(total / USER_PAGE_SIZE));
    const page = Math.min(query.page, pageCount);
    const users = await tx.user.findMany({ where, orderBy: [{ facilityId: "asc" }, { loginId: "asc" }], skip: (page - 1) * USER_PAGE_SIZE, take: USER_PAGE_SIZE, include: rowInclude });
    const facilities = await facilitiesIn(tx, scope.facilityId);
    await recordAudit(tx, { actor: auditActorOf(actor), action: "USER_LIST_VIEW", outcome: "SUCCESS", purpose: "ADMINISTRATION", at, detail: { what: "user-list", query: { ...query, page }, total } });
    return { query: { ...query, page }, total, pageCount, rows: await toRows(tx, actor, users, at), facilities, ownFacilityOnly: scope.facilityId !== null };
  });
}

const facilitiesIn = (db: Tx | Db, facilityId: string | null) => db.facility.findMany({ where: facilityId ? { id: facilityId } : {}, orderBy: { code: "asc" }, select: { id: true, name: true } });

/** The facilities this administrator registers accounts at: every one, or a facility administrator's own only. */
export async function accountFacilities(actor: Actor): Promise<{ facilities: { id: string; name: string }[]; ownFacilityOnly: boolean }> {
  const scope = requireAccountScope(actor);
  return { facilities: await facilitiesIn(await getDb(), scope.facilityId), ownFacilityOnly: scope.facilityId !== null };
}

/** One account, for its page (decided like any action on it: another facility's is refused, and audited). */
export async function getUser(actor: Actor, userId: string): Promise<UserRow> {
  requireAccountScope(actor);
  const db = await getDb();
  const at = now();
  const outcome = await db.$transaction(async (tx): Promise<{ row: UserRow } | { denied: AccountAdminDenyReason; facilityId: string }> => {
    const u = await tx.user.findUnique({ where: { id: userId }, include: rowInclude });
    if (!u) throw new AccountFieldsError({ user: "NOT_FOUND" });
    const d = decideAccountAdministration(accountAdminFacts(actor), "VIEW", accountFactsOf(u));
    if (!d.allow) return { denied: d.reason, facilityId: u.facilityId };
    await recordAudit(tx, { actor: auditActorOf(actor), action: "USER_LIST_VIEW", outcome: "SUCCESS", purpose: "ADMINISTRATION", at, detail: { what: "user", userId } });
    return { row: (await toRows(tx, actor, [u], at))[0]! };
  });
  if ("denied" in outcome) return refuseAccountAdministration(actor, "VIEW", outcome.denied, { userId, facilityId: outcome.facilityId }, at);
  return outcome.row;
}
