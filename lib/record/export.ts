import { z } from "zod";
import type { Tx } from "../db/client";
import { Prisma } from "../db/generated/client";
import type { Actor } from "../auth/actor";
import type { Sensitivity, Withheld } from "../access/decide";
import { contactKinds, latestOnlyKinds, readsEmergencyDataset, scopeRefusal, visibleKinds, type ContactKind } from "../access/data-kinds";
import type { RecordKind } from "../format/record-kinds";
import type { Resource } from "../interop/fhir/write-common";
import { writePatient } from "../interop/fhir/write-patient";
import { writeCoverage } from "../interop/fhir/write-coverage";
import { writeCondition } from "../interop/fhir/write-condition";
import { writeAllergy } from "../interop/fhir/write-allergy";
import { writePrescription } from "../interop/fhir/write-medication";
import { cycleDaysCovered } from "./medication";
import { writeCheckup, writeLab } from "../interop/fhir/write-observation";
import { writeEncounter, writeProcedure } from "../interop/fhir/write-encounter";
import { writeDocument } from "../interop/fhir/write-document";
import { decodeCursor, encodeCursor, type Cursor } from "./cursor";
import { InvalidInputError } from "./errors";
import { isoDay, jstDayStart, optional } from "./input";
import { notWithheld } from "./banner";
import { emergencyDatasetFacilities, emergencyDatasetSql } from "./emergency-dataset";
import { now } from "../clock";
import { resourcesOf } from "./kinds";
import { facilitiesWithVisibleRecords, readIdentity } from "./identity";
import { readRegisteredContacts } from "./registered-contacts";
import { rowsWhere, type TimelineQuery } from "./timeline";
import { withPatientAccess, type Allowed as Granted, type ReadPurpose } from "./guard";
import { inTurn } from "../db/in-turn";

/** The FHIR resource types an export holds, and the record kind each is read from. */
const TYPE_KINDS = {
  Patient: null,
  // the insurance the facilities registered (SS-MIX2 IN1), beside the Patient: no record kind either
  Coverage: null,
  Encounter: "encounter",
  Condition: "condition",
  MedicationRequest: "prescription",
  MedicationDispense: "prescription",
  Observation: ["lab", "checkup"],
  AllergyIntolerance: "allergy",
  Procedure: "procedure",
  DocumentReference: "document",
} as const;
export type ExportType = keyof typeof TYPE_KINDS;
export const EXPORT_TYPES = Object.keys(TYPE_KINDS) as [ExportType, ...ExportType[]];

/**
 * Resources per page when the caller does not say: a page is one transaction and one audit event, and
 * 200 resources read in tens of milliseconds. A page counts resources, not rows: each drug of a
 * prescription and each item of a checkup is one resource and one place on the cursor.
 */
export const EXPORT_PAGE_ROWS = 200;
export const MAX_PAGE_ROWS = 1000;

/** The paging fields every page-by-page read takes: its cursor and its size. */
export const PAGE_FIELDS = {
  cursor: optional(z.string().max(500)),
  _count: optional(z.coerce.number().int().min(1).max(MAX_PAGE_ROWS)),
};

const exportInput = z
  .object({
    ...PAGE_FIELDS,
    /** $everything's care-date range, inclusive calendar days in Japan */
    start: optional(isoDay),
    end: optional(isoDay),
    _since: optional(z.iso.datetime({ offset: true })),
    _type: optional(z.union([z.array(z.string()), z.string().transform((s) => s.split(","))]).pipe(z.array(z.enum(EXPORT_TYPES)).min(1))),
  })
  .refine((d) => !d.start || !d.end || d.start <= d.end, { path: ["start"] });

/** Where a page starts, how many records it holds, and the range of care dates (from inclusive, to exclusive) and storage times it keeps to. */
export interface PageRequest {
  cursor: Cursor | null;
  rawCursor: string | null;
  count: number;
  from?: Date;
  to?: Date;
  since?: Date;
}

export interface ExportRequest extends PageRequest {
  types: readonly ExportType[];
}

/** The page's cursor and size as checked by PAGE_FIELDS (a malformed cursor names itself). */
export function pageRequest(d: { cursor?: string; _count?: number }, range: Pick<PageRequest, "from" | "to" | "since"> = {}): PageRequest {
  return { cursor: decodeCursor(d.cursor), rawCursor: d.cursor ?? null, count: d._count ?? EXPORT_PAGE_ROWS, ...range };
}

/** The query string of an export (start, end, _since, _type, _count, cursor), checked; a bad one names its field. */
export function parseExportRequest(input: unknown): ExportRequest {
  const parsed = exportInput.safeParse(input);
  if (!parsed.success) throw new InvalidInputError(String(parsed.error.issues[0]?.path[0] ?? "input"), "invalid export request");
  const d = parsed.data;
  return {
    ...pageRequest(d, {
      from: d.start ? jstDayStart(d.start) : undefined,
      // "end" is inclusive: everything before the start of the next day in Japan
      to: d.end ? new Date(jstDayStart(d.end).getTime() + 86_400_000) : undefined,
      since: d._since ? new Date(d._since) : undefined,
    }),
    types: d._type ?? EXPORT_TYPES,
  };
}

export interface ExportPage {
  /** the page's resources, newest record first; the Patient leads the first page */
  resources: Resource[];
  /** resources the page's matches reference, asked for with `_include` (the Patient): not counted, not paged */
  included?: Resource[];
  /** where the next page starts, null on the last page */
  next: string | null;
}

/** A resource's place on the page: its kind, its own id (a drug's or a checkup item's, where the row has items), its row, its place in the row, and its time. */
interface Key {
  kind: RecordKind;
  id: string;
  rowId: string;
  rank: number;
  occurredAt: Date;
}

/**
 * Resources of `kind` strictly after the cursor in the export's order: the timeline's (occurredAt
 * desc, kind desc, row id desc), then a row's items in their order (rank, id ascending: Rp 1 before
 * Rp 2). On the derived table `t` of readKeys (id, rowId, rank, occurredAt).
 */
function afterKey(kind: RecordKind, c: Cursor | null): Prisma.Sql {
  if (!c) return Prisma.sql`TRUE`;
  if (kind < c.kind) return Prisma.sql`t."occurredAt" <= ${c.at}`;
  if (kind > c.kind) return Prisma.sql`t."occurredAt" < ${c.at}`;
  const item = c.item ?? { rank: 0, id: c.id };
  // `occurredAt <= at` first, though the OR implies it: it is what bounds the (patientId, occurredAt)
  // index scan, so a page starts at the cursor rather than filtering every row of the pages before it
  return Prisma.sql`(t."occurredAt" <= ${c.at} AND (t."occurredAt" < ${c.at} OR (t."occurredAt" = ${c.at} AND (t."rowId" < ${c.id} OR (t."rowId" = ${c.id} AND (t.rank, t.id) > (${item.rank}::int, ${item.id}))))))`;
}

/**
 * What a page reads: the record kinds, a narrowing of a kind's resources (SQL on its table `t` and,
 * for a kind with items, the item `i`: applied where the page's keys are chosen, so paging and
 * `_count` count only the matching resources), and how a kind's rows are written when not as
 * $everything writes them. $everything and every search (lib/record/fhir-search.ts) are selections
 * over the same paging.
 */
export interface RecordSelection {
  kinds: readonly RecordKind[];
  narrow?: Partial<Record<RecordKind, Prisma.Sql>>;
  write?: Partial<Record<RecordKind, RowWriter>>;
  /** the Patient at the head of the first page ($everything) */
  withPatient?: boolean;
  /** the Coverages after it ($everything) */
  withCoverage?: boolean;
  /** the Patient beside every page that has matches, as an include (a search's `_include=…:patient`) */
  includePatient?: boolean;
}

/** The selection of $everything's types: a prescription kind is narrowed when only one of its types is asked. */
export function selectionOf(types: readonly ExportType[]): RecordSelection {
  const req = types.includes("MedicationRequest");
  const disp = types.includes("MedicationDispense");
  return {
    kinds: [...new Set(types.flatMap((t) => TYPE_KINDS[t] ?? []))],
    narrow: req === disp ? {} : { prescription: Prisma.sql`t.kind = ${req ? "PRESCRIPTION" : "DISPENSE"}::"PrescriptionKind"` },
    withPatient: types.includes("Patient"),
    withCoverage: types.includes("Coverage"),
  };
}

/**
 * The page's resources as keys, in the timeline's total order (occurredAt desc, kind desc, row id
 * desc), every row on its own (no lab panels, no paired dispenses: each is a resource) and a row with
 * items (a prescription's drugs, a checkup's items) as one key per item, in the row's order (afterKey):
 * so `_count` counts resources and a prescription of several drugs may span two pages without a drug
 * on both or on neither. One statement; each table gives at most `take` keys through its (patientId, occurredAt)
 * index, so a page costs the same on the first page of a 20-year record as on its last.
 */
function readKeys(tx: Tx, q: TimelineQuery, narrow: RecordSelection["narrow"], take: number): Promise<Key[]> {
  const perTable = q.kinds.map((k) => {
    const more = narrow?.[k] ? Prisma.sql`AND (${narrow[k]})` : Prisma.empty;
    const { from, id, rank } = resourcesOf(k);
    // the cursor names a resource (an item, where the row has items), so it applies outside the join
    const all = Prisma.sql`SELECT ${id} AS id, t.id AS "rowId", ${rank}::int AS rank, t."occurredAt" ${from} WHERE ${rowsWhere(k, { ...q, cursor: null })} ${more}`;
    return Prisma.sql`(SELECT ${k}::text AS kind, t.id, t."rowId", t.rank, t."occurredAt" FROM (${all}) t WHERE ${afterKey(k, q.cursor)} ORDER BY t."occurredAt" DESC, t."rowId" DESC, t.rank, t.id LIMIT ${take})`;
  });
  return tx.$queryRaw<Key[]>(Prisma.sql`SELECT kind, id, "rowId", rank, "occurredAt" FROM (${Prisma.join(perTable, " UNION ALL ")}) k ORDER BY "occurredAt" DESC, kind DESC, "rowId" DESC, rank, id LIMIT ${take}`);
}

interface Named {
  patientId: string;
  id: { in: string[] };
  sensitivity?: { notIn: Sensitivity[] };
}

type Stored = { id: string; facilityId: string; items?: { id: string }[] };

/** How a kind's row is written as resources, with the recording facility's code. */
export type RowWriter = (row: Stored & { facilityCode: string | null }) => Resource[];
/** A writer of one kind's rows, as the page calls it (the page reads that kind's rows for it). */
export const rowWriter = <R extends Stored>(write: (row: R & { facilityCode: string | null }) => Resource[]) => write as unknown as RowWriter;

/** How one kind's rows are read for a page and written as resources (with the recording facility's code). */
interface KindExport<R extends Stored> {
  /** the rows, and of a row with items only the page's items (`items`: their ids) */
  read: (tx: Tx, where: Named, items: string[]) => Promise<R[]>;
  write: (row: R & { facilityCode: string | null }) => Resource[];
}
const kindExport = <R extends Stored>(k: KindExport<R>) => k as unknown as KindExport<Stored>;
const pageItems = (where: Named, ids: string[]) => ({ where: { patientId: where.patientId, id: { in: ids } } });

/**
 * Each kind's rows and resources. The reads apply the patient and withheld conditions again (as the
 * timeline's readers do): the keys' hand-written SQL alone must never be enough to let a withheld row out.
 */
const KIND_EXPORTS: Record<RecordKind, KindExport<Stored>> = {
  encounter: kindExport({ read: (tx, where) => tx.encounter.findMany({ where }), write: (r) => [writeEncounter(r)] }),
  condition: kindExport({ read: (tx, where) => tx.condition.findMany({ where }), write: (r) => [writeCondition(r)] }),
  prescription: kindExport({ read: (tx, where, ids) => tx.prescription.findMany({ where, include: { items: pageItems(where, ids) } }), write: (r) => writePrescription({ ...r, items: r.items.map((i) => ({ ...i, cycleDays: cycleDaysCovered({ occurredAt: r.occurredAt, days: i.days, usageText: i.usageText, asNeeded: i.asNeeded }) })) }) }),
  lab: kindExport({ read: (tx, where) => tx.labResult.findMany({ where }), write: (r) => [writeLab(r)] }),
  checkup: kindExport({ read: (tx, where, ids) => tx.checkup.findMany({ where, include: { items: pageItems(where, ids) } }), write: (r) => writeCheckup(r) }),
  allergy: kindExport({ read: (tx, where) => tx.allergy.findMany({ where }), write: (r) => [writeAllergy(r)] }),
  procedure: kindExport({ read: (tx, where) => tx.procedure.findMany({ where }), write: (r) => [writeProcedure(r)] }),
  document: kindExport({ read: (tx, where) => tx.document.findMany({ where }), write: (r) => [writeDocument(r)] }),
};

/**
 * What the decision lets a page read: every row of `kinds`, the latest emergency values of
 * `latestOnly`, nothing `withheld`; and, under a break-glass grant (lib/access readsEmergencyDataset),
 * only the emergency dataset's rows of each kind as the emergency page reads them.
 */
export interface ReadAllowance {
  kinds: RecordKind[];
  latestOnly: RecordKind[];
  withheld: Withheld;
  emergencyDataset: boolean;
  /** which of the registered telephones, contacts and insurance (lib/access contactKinds): none under an emergency-only consent or break-glass */
  contacts: readonly ContactKind[];
}

/**
 * The Patient as the viewer's header shows them: the facility ids of only the facilities it names.
 * Under a break-glass grant, only those whose records the emergency dataset holds (and the viewer's
 * own), so the Patient names no facility the dataset does not disclose. With the telephones and
 * contacts, and as Coverages the insurance, that the 統合ビュー shows this reader: the kinds the
 * decision allows, from the facilities on the reader's record map (readRegisteredContacts).
 */
export async function readPatientHead(tx: Tx, actor: Actor, patientId: string, allowed: ReadAllowance): Promise<{ patient: Resource; coverages: Resource[] }> {
  const viewer = { facilityId: actor.facilityId, kinds: allowed.kinds, withheld: allowed.withheld };
  // the facilities with records this reader may see: the header's, and the ones whose contacts it may be shown
  const visible = allowed.contacts.length ? await facilitiesWithVisibleRecords(tx, patientId, viewer) : undefined;
  const [identity, patient, contacts] = await inTurn(
    () => readIdentity(tx, patientId, viewer, visible),
    // the header's facilities are linked ones: their codes come with the 枝番, in one statement
    () => tx.patient.findUniqueOrThrow({ where: { id: patientId }, select: { insuredBranch: true, links: { select: { facilityId: true, facility: { select: { code: true } } } } } }),
    () => (visible ? readRegisteredContacts(tx, patientId, [...visible.keys()], allowed.contacts) : Promise.resolve([])),
  );
  const inDataset = allowed.emergencyDataset ? await emergencyDatasetFacilities(tx, patientId, allowed.withheld, now(), [...allowed.kinds, ...allowed.latestOnly]) : null;
  const facilities = inDataset ? identity.facilities.filter((f) => inDataset.has(f.id) || f.id === actor.facilityId) : identity.facilities;
  const codeOf = new Map(patient.links.map((l) => [l.facilityId, l.facility.code]));
  return {
    patient: writePatient({
      ...identity,
      sex: identity.sex as "MALE" | "FEMALE" | "OTHER" | "UNKNOWN",
      insuredBranch: patient.insuredBranch,
      localIds: facilities.map((f) => ({ facilityCode: codeOf.get(f.id)!, localPatientId: f.localPatientId })),
      contacts: contacts.filter((c) => c.kind !== "INSURANCE"),
    }),
    coverages: contacts.filter((c) => c.kind === "INSURANCE").map(writeCoverage),
  };
}

/** The Patient alone (readPatientHead). */
export const readPatientResource = async (tx: Tx, actor: Actor, patientId: string, allowed: ReadAllowance): Promise<Resource> => (await readPatientHead(tx, actor, patientId, allowed)).patient;

/** What a decision lets this actor's page read. */
export const allowedBy = (actor: Actor, decision: Granted): ReadAllowance => ({
  kinds: visibleKinds(actor.profession, decision.scope),
  latestOnly: latestOnlyKinds(actor.profession, decision),
  withheld: decision.withheld,
  emergencyDataset: readsEmergencyDataset(decision),
  // none but under a full-scope read: a break-glass grant's scope is the emergency dataset's
  contacts: contactKinds(actor.profession, decision.scope),
});

/**
 * The selection's narrowing of each kind, and also the emergency dataset's where the read yields only
 * that: every kind under a break-glass grant, the latest-only kinds (the emergency lab values) under any
 * emergency scope, so that an emergency-only consent gives the API what its page shows.
 */
async function narrowing(tx: Tx, sel: RecordSelection, q: TimelineQuery, allowed: ReadAllowance): Promise<RecordSelection["narrow"]> {
  const narrowed = allowed.emergencyDataset ? q.kinds : q.kinds.filter((k) => allowed.latestOnly.includes(k));
  if (narrowed.length === 0) return sel.narrow;
  const narrow = { ...sel.narrow };
  const dataset = await emergencyDatasetSql(tx, q.patientId, q.withheld, now(), narrowed);
  for (const kind of narrowed) {
    const only = dataset[kind];
    if (!only) continue;
    const asked = narrow[kind];
    narrow[kind] = asked ? Prisma.sql`(${asked}) AND ${only}` : only;
  }
  return narrow;
}

/** One page of the selection, read under the decision already made for it: one resource per key, in the keys' order. */
async function readRecordPage(tx: Tx, actor: Actor, patientId: string, allowed: ReadAllowance, sel: RecordSelection, req: PageRequest): Promise<ExportPage> {
  const q: TimelineQuery = {
    patientId,
    kinds: [...allowed.kinds, ...allowed.latestOnly].filter((k) => sel.kinds.includes(k)),
    withheld: allowed.withheld,
    cursor: req.cursor,
    limit: req.count,
    filters: { from: req.from, to: req.to, since: req.since },
  };
  const resources: Resource[] = [];
  // the Patient and the Coverages once, at the head of the first page (they are no rows of the record, so not paged)
  if (!req.cursor && (sel.withPatient || sel.withCoverage)) {
    const head = await readPatientHead(tx, actor, patientId, allowed);
    if (sel.withPatient) resources.push(head.patient);
    if (sel.withCoverage) resources.push(...head.coverages);
  }
  if (q.kinds.length === 0) return { resources, next: null };
  const keys = await readKeys(tx, q, await narrowing(tx, sel, q, allowed), req.count + 1);
  const page = keys.slice(0, req.count);
  // the page's rows, one statement per kind on it (sequential: one transaction is one connection)
  const rows = new Map<string, Stored>();
  for (const kind of new Set(page.map((k) => k.kind))) {
    const ofKind = page.filter((k) => k.kind === kind);
    const where = { patientId, id: { in: [...new Set(ofKind.map((k) => k.rowId))] }, ...notWithheld(allowed.withheld) };
    for (const row of await KIND_EXPORTS[kind].read(tx, where, ofKind.map((k) => k.id))) rows.set(`${kind}:${row.id}`, row);
  }
  const facilityIds = [...new Set([...rows.values()].map((r) => r.facilityId))];
  const codes = new Map((await tx.facility.findMany({ where: { id: { in: facilityIds } }, select: { id: true, code: true } })).map((f) => [f.id, f.code]));
  for (const k of page) {
    const row = rows.get(`${k.kind}:${k.rowId}`);
    if (!row) continue;
    const write = sel.write?.[k.kind] ?? KIND_EXPORTS[k.kind].write;
    // a row with items is written once per key, with that item only: one resource per key
    const one = row.items ? { ...row, items: row.items.filter((i) => i.id === k.id) } : row;
    resources.push(...write({ ...one, facilityCode: codes.get(row.facilityId) ?? null }));
  }
  const last = page[page.length - 1];
  const included = sel.includePatient && resources.length > 0 ? [await readPatientResource(tx, actor, patientId, allowed)] : [];
  return { resources, included, next: keys.length > req.count && last ? encodeCursor({ at: last.occurredAt, kind: last.kind, id: last.rowId, item: { rank: last.rank, id: last.id } }) : null };
}

/** A page-by-page read of one patient's record: what it selects, its page, and what the audit trail says of it. */
export interface RecordPageRead {
  /** the audit event's "what" (the access report names it) */
  what: string;
  /** what was asked beyond the page and its dates, so the trail says which part of the record left */
  asked: Record<string, unknown>;
  selection: RecordSelection;
  page: PageRequest;
  /** TREATMENT for the screen's download; UNSTATED for the FHIR API, where a break-glass grant also opens it */
  purpose?: ReadPurpose;
}

/**
 * One page of a patient's record as FHIR JP Core resources, decided and audited like every read: the
 * same decision (consent scope, the profession's data kinds, withheld categories) and one audit event
 * per page, so a refusal or a withdrawn consent stops an export between two pages. Pages follow the
 * timeline's stable cursor: no resource on two pages, none skipped, and a record filed between two
 * pages appears on a later one if it sorts after the cursor (never a duplicate). A read that asks only
 * for what its scope hides is refused (lib/access scopeRefusal), not answered empty.
 */
export function readGuardedPage(actor: Actor, patientId: string, r: RecordPageRead): Promise<ExportPage> {
  const { page } = r;
  return withPatientAccess(actor, patientId, r.purpose ?? "TREATMENT", {
    action: "RECORD_VIEW",
    what: r.what,
    // dates as the instants they bound
    detail: {
      cursor: page.rawCursor,
      ...r.asked,
      count: page.count,
      ...(page.from ? { from: page.from.toISOString() } : {}),
      ...(page.to ? { to: page.to.toISOString() } : {}),
      ...(page.since ? { since: page.since.toISOString() } : {}),
    },
    refuseWhen: (decision) => scopeRefusal(actor.profession, decision, r.selection.kinds),
    // `count` is the page size asked for; this is what went out (0: a read by id of a record this user may not see)
    disclosed: (p) => ({ returned: p.resources.length }),
    read: (tx, decision) =>
      readRecordPage(
        tx,
        actor,
        patientId,
        allowedBy(actor, decision),
        r.selection,
        page,
      ),
  });
}

/** $everything: one page of the record, every type or those `_type` names, the Patient first (see readGuardedPage). */
export async function getExportPage(actor: Actor, patientId: string, input: unknown = {}, purpose: ReadPurpose = "TREATMENT"): Promise<ExportPage> {
  const req = parseExportRequest(input);
  return readGuardedPage(actor, patientId, {
    what: "fhir-export",
    asked: { types: req.types.length === EXPORT_TYPES.length ? "all" : req.types },
    selection: selectionOf(req.types),
    page: req,
    purpose,
  });
}
