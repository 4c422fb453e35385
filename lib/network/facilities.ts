import { randomUUID } from "node:crypto";
import { z } from "zod";
import type { Tx } from "../db/client";
import type { Facility, Prisma } from "../db/generated/client";
import { auditActorOf, recordAudit } from "../audit";
import type { Actor } from "../auth/actor";
import { PREFECTURES } from "./prefectures";
import { FACILITY_KINDS, parseFacilityInput, type FacilityInput } from "./facility-input";
import { FacilityFieldsError, FacilitySameNameError } from "./errors";
import { checkDigitHolds, normaliseInstitutionCode } from "./institution-code";
import { normaliseKana } from "../format/kana";
import { likeLiteral } from "../db/like";
import { withFacilityAdmin } from "./guard";

/** A page of the list: 50 rows reads in one statement and fits a screen; 400 facilities are 8 pages. */
export const FACILITY_PAGE_SIZE = 50;
export const FACILITY_ROLES = ["DISCLOSES", "VIEWS", "BREAK_GLASS"] as const;
export const FACILITY_STATUSES = ["ACTIVE", "SUSPENDED"] as const;

/**
 * The list's search and filters, from the page's URL. A value that is not one of the choices is
 * dropped (the filter shows "all"), never an error page: the URL is the user's to edit.
 */
const listQuery = z.object({
  q: z.string().trim().max(80).optional().catch(undefined),
  kind: z.enum(FACILITY_KINDS).optional().catch(undefined),
  prefecture: z.enum(PREFECTURES).optional().catch(undefined),
  role: z.enum(FACILITY_ROLES).optional().catch(undefined),
  status: z.enum(FACILITY_STATUSES).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(10_000).catch(1),
});
export type FacilityListQuery = z.infer<typeof listQuery>;

const ROLE_WHERE: Record<(typeof FACILITY_ROLES)[number], Prisma.FacilityWhereInput> = {
  DISCLOSES: { discloses: true },
  VIEWS: { views: true },
  BREAK_GLASS: { canBreakGlass: true },
};

/**
 * One search word against a facility: its name as typed or with the kana script swapped (きた finds
 * キタ整形外科, and キタ finds きた整形外科), its stored kana, or the start of its code.
 */
function wordMatches(word: string): Prisma.FacilityWhereInput {
  const katakana = normaliseKana(word);
  const hiragana = katakana.replace(/[\u30a1-\u30f6]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0x60));
  const names = [...new Set([word, katakana, hiragana])].map((w): Prisma.FacilityWhereInput => ({ name: { contains: likeLiteral(w), mode: "insensitive" } }));
  return { OR: [...names, { nameKana: { contains: likeLiteral(katakana) } }, { code: { startsWith: likeLiteral(normaliseInstitutionCode(word)) } }] };
}

function whereOf(q: FacilityListQuery): Prisma.FacilityWhereInput {
  // every word must match, wherever it is: 「きた 整形」 and 「きた　整形」 find きた整形外科クリニック
  const words = (q.q ?? "").normalize("NFKC").split(/\s+/).filter(Boolean).slice(0, 5);
  return {
    ...(words.length ? { AND: words.map(wordMatches) } : {}),
    ...(q.kind ? { kind: q.kind } : {}),
    ...(q.prefecture ? { prefecture: q.prefecture } : {}),
    ...(q.role ? ROLE_WHERE[q.role] : {}),
    ...(q.status ? { status: q.status } : {}),
  };
}

export interface FacilityRow {
  id: string;
  code: string;
  name: string;
  kind: Facility["kind"];
  prefecture: string | null;
  discloses: boolean;
  views: boolean;
  canBreakGlass: boolean;
  status: Facility["status"];
  joinedOn: string | null;
  activeUsers: number;
}

const isoDay = (d: Date | null) => d?.toISOString().slice(0, 10) ?? null;

/** One page of facilities matching the search, by 医療機関コード (so a prefecture's facilities sit together); the read is audited. */
export async function listFacilities(actor: Actor, raw: Record<string, unknown>) {
  const query = listQuery.parse(raw);
  return withFacilityAdmin(actor, {
    kind: "VIEW",
    work: async (tx, at) => {
      const where = whereOf(query);
      const total = await tx.facility.count({ where });
      const pageCount = Math.max(1, Math.ceil(total / FACILITY_PAGE_SIZE));
      const page = Math.min(query.page, pageCount);
      const rows = await tx.facility.findMany({ where, orderBy: { code: "asc" }, skip: (page - 1) * FACILITY_PAGE_SIZE, take: FACILITY_PAGE_SIZE, include: { _count: { select: { users: { where: { active: true } } } } } });
      await recordAudit(tx, { actor: auditActorOf(actor), action: "FACILITY_LIST_VIEW", outcome: "SUCCESS", purpose: "ADMINISTRATION", at, detail: { what: "facility-list", query: { ...query, page }, total } });
      return {
        query: { ...query, page },
        total,
        pageCount,
        rows: rows.map((f): FacilityRow => ({ id: f.id, code: f.code, name: f.name, kind: f.kind, prefecture: f.prefecture, discloses: f.discloses, views: f.views, canBreakGlass: f.canBreakGlass, status: f.status, joinedOn: isoDay(f.joinedOn), activeUsers: f._count.users })),
      };
    },
  });
}

/** The fields an administrator edits, as the audit's before and after record them. */
const EDITABLE = ["code", "name", "nameKana", "kind", "prefecture", "discloses", "views", "canBreakGlass", "address", "phone", "contactName", "contactEmail", "joinedOn"] as const satisfies readonly (keyof FacilityInput)[];
type Editable = Pick<FacilityInput, (typeof EDITABLE)[number]>;

const storedFields = (f: Facility): Record<(typeof EDITABLE)[number], unknown> => ({ ...f, joinedOn: isoDay(f.joinedOn) });
const toRow = (d: Editable) => ({ ...d, joinedOn: new Date(`${d.joinedOn}T00:00:00Z`) });

function parsedOrThrow(input: unknown): FacilityInput {
  const p = parseFacilityInput(input);
  if (!p.ok) throw new FacilityFieldsError(p.fields);
  return p.data;
}

/**
 * A new or changed code whose 検証番号 does not hold is refused unless the administrator said they
 * checked it (a published sample code, a code the 厚生局 issued that way): true when they did, for the
 * audit event. An unchanged code is never asked about again.
 */
function checkDigitAccepted(input: unknown, code: string): boolean {
  if (checkDigitHolds(code)) return false;
  if ((input as { acceptCheckDigit?: unknown } | null)?.acceptCheckDigit === true) return true;
  throw new FacilityFieldsError({ code: "CODE_CHECK_DIGIT" });
}

/** The code is the network-wide key of a facility (the importers and the FHIR patient ids name it): one holder only. */
async function assertCodeFree(tx: Tx, code: string, exceptId: string | null) {
  const holder = await tx.facility.findUnique({ where: { code }, select: { id: true } });
  if (holder && holder.id !== exceptId) throw new FacilityFieldsError({ code: "CODE_TAKEN" });
}

/** A name as two administrators might type the same one: full- and half-width alike, spaces and case ignored. */
const nameKey = (name: string) => name.normalize("NFKC").replace(/\s+/g, "").toLowerCase();

/**
 * Another facility of the same name is refused unless the administrator confirmed that the new one is
 * a different facility (two branches may share a name): otherwise the same hospital is easily
 * registered twice, under a code with one digit mistyped. A few hundred names are read, on adding only.
 */
async function sameNameAccepted(tx: Tx, input: unknown, name: string): Promise<string | null> {
  const key = nameKey(name);
  const twin = (await tx.facility.findMany({ select: { id: true, name: true, code: true }, orderBy: { code: "asc" } })).find((f) => nameKey(f.name) === key);
  if (!twin) return null;
  if ((input as { acceptSameName?: unknown } | null)?.acceptSameName === true) return twin.code;
  throw new FacilitySameNameError(twin);
}

/** Adds a participating facility, active from now; the audit event carries every value it was given. */
export async function createFacility(actor: Actor, input: unknown): Promise<{ id: string }> {
  const data = parsedOrThrow(input);
  return withFacilityAdmin(actor, {
    kind: "CREATE",
    work: async (tx, at) => {
      // a code already held can never be added: asking about its 検証番号 first would be noise
      await assertCodeFree(tx, data.code, null);
      const accepted = checkDigitAccepted(input, data.code);
      // the code the administrator confirmed it is not, for the audit event
      const sameNameAs = await sameNameAccepted(tx, input, data.name);
      const id = `fac-${randomUUID()}`;
      await tx.facility.create({ data: { id, ...toRow(data), createdAt: at } });
      await recordAudit(tx, { actor: auditActorOf(actor), action: "FACILITY_CREATED", outcome: "SUCCESS", purpose: "ADMINISTRATION", at, detail: { facilityId: id, before: null, after: data, ...(accepted ? { checkDigitAccepted: true } : {}), ...(sameNameAs ? { sameNameAs } : {}) } });
      return { id };
    },
  });
}

/**
 * Changes a facility's details and roles. The audit event names each changed field with its value
 * before and after; a save that changes nothing writes nothing. The code may change only while no
 * patient is linked under it: the facility's own patient ids (urn:oid:…<code>) carry it, and links
 * made under the old code would stop matching what the facility sends.
 */
export async function updateFacility(actor: Actor, facilityId: string, input: unknown): Promise<{ changed: string[] }> {
  const data = parsedOrThrow(input);
  return withFacilityAdmin(actor, {
    kind: "EDIT",
    facilityId,
    work: async (tx, at, facility) => {
      const stored = storedFields(facility);
      const changed = EDITABLE.filter((k) => stored[k] !== data[k]);
      if (changed.length === 0) return { changed };
      if (changed.includes("code")) await assertCodeFree(tx, data.code, facilityId);
      const accepted = changed.includes("code") && checkDigitAccepted(input, data.code);
      if (changed.includes("code")) {
        if (await tx.patientLink.findFirst({ where: { facilityId }, select: { id: true } })) throw new FacilityFieldsError({ code: "CODE_IN_USE" });
      }
      await tx.facility.update({ where: { id: facilityId }, data: toRow(data) });
      const before = Object.fromEntries(changed.map((k) => [k, stored[k]]));
      const after = Object.fromEntries(changed.map((k) => [k, data[k]]));
      await recordAudit(tx, { actor: auditActorOf(actor), action: "FACILITY_UPDATED", outcome: "SUCCESS", purpose: "ADMINISTRATION", at, detail: { facilityId, before, after, ...(accepted ? { checkDigitAccepted: true } : {}) } });
      return { changed };
    },
  });
}
