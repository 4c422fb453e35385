import type { Tx } from "../db/client";
import type { Prisma } from "../db/generated/client";
import type { Sensitivity } from "../access/decide";
import type { RecordKind } from "../access/data-kinds";
import { afterCursor, compareEntries, encodeCursor, type Cursor } from "./cursor";

export interface Code {
  system: string;
  code: string;
  display: string | null;
}

/** One row of the cross-facility timeline, as the UI draws it. Plain data: safe to send to the browser. */
export interface TimelineEntry {
  kind: RecordKind;
  id: string;
  occurredAt: string;
  endedAt: string | null;
  facilityId: string;
  /** one line a clinician can read at a glance */
  summary: string;
  /** a short qualifier shown beside the kind (e.g. 入院, 疑い, 中止) */
  tag: string | null;
  codes: Code[];
  /** label → value pairs for the expanded view; values are strings or null (shown as a dash) */
  detail: [string, string | null][];
}

export interface TimelineFilters {
  facilityId?: string;
  /** inclusive lower bound */
  from?: Date;
  /** exclusive upper bound */
  to?: Date;
  /** free text, matched against the row's names and titles */
  text?: string;
}

export interface TimelineQuery {
  patientId: string;
  kinds: readonly RecordKind[];
  withheld: readonly Sensitivity[];
  cursor: Cursor | null;
  limit: number;
  filters?: TimelineFilters;
}

/** The columns free text searches, per record table. */
function textWhere(kind: RecordKind, text: string) {
  const has = { contains: text, mode: "insensitive" as const };
  switch (kind) {
    case "encounter":
      return { OR: [{ department: has }, { reason: has }] };
    case "condition":
      return { OR: [{ display: has }, { icd10: has }, { code: has }] };
    case "prescription":
      return { OR: [{ items: { some: { display: has } } }, { prescriberName: has }] };
    case "lab":
      return { OR: [{ display: has }, { code: has }] };
    case "checkup":
      return { OR: [{ programme: has }, { items: { some: { display: has } } }] };
    case "allergy":
      return { OR: [{ display: has }, { reaction: has }] };
    case "procedure":
      return { OR: [{ display: has }, { note: has }] };
    case "document":
      return { OR: [{ title: has }, { body: has }, { authorName: has }] };
  }
}

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);
const num = (v: number | null | undefined, unit?: string | null) => (v === null || v === undefined ? null : `${v}${unit ? ` ${unit}` : ""}`);

type Fetcher = (tx: Tx, q: TimelineQuery, take: number) => Promise<TimelineEntry[]>;

/**
 * The where clause shared by every record table. Typed by the caller (each table's WhereInput): the
 * columns used here exist on every clinical table, which the generic cannot express.
 */
function baseWhere<W>(kind: RecordKind, q: TimelineQuery): W {
  const f = q.filters ?? {};
  const where = {
    patientId: q.patientId,
    ...(q.withheld.length ? { sensitivity: { notIn: [...q.withheld] } } : {}),
    ...(f.facilityId ? { facilityId: f.facilityId } : {}),
    AND: [
      afterCursor(kind, q.cursor),
      f.from || f.to ? { occurredAt: { ...(f.from ? { gte: f.from } : {}), ...(f.to ? { lt: f.to } : {}) } } : {},
      f.text ? textWhere(kind, f.text) : {},
    ],
  };
  return where as W;
}
const ORDER = [{ occurredAt: "desc" as const }, { id: "desc" as const }];

/** One fetcher per record table; each reads only one patient's rows, newest first, one page at most. */
const FETCHERS: Record<RecordKind, Fetcher> = {
  encounter: async (tx, q, take) =>
    (await tx.encounter.findMany({ where: baseWhere<Prisma.EncounterWhereInput>("encounter", q), orderBy: ORDER, take })).map((r) => ({
      kind: "encounter",
      id: r.id,
      occurredAt: r.occurredAt.toISOString(),
      endedAt: iso(r.endedAt),
      facilityId: r.facilityId,
      summary: [r.department, r.reason].filter(Boolean).join(" · ") || r.class,
      tag: r.class,
      codes: [],
      detail: [
        ["department", r.department],
        ["reason", r.reason],
      ],
    })),
  condition: async (tx, q, take) =>
    (await tx.condition.findMany({ where: baseWhere<Prisma.ConditionWhereInput>("condition", q), orderBy: ORDER, take })).map((r) => ({
      kind: "condition",
      id: r.id,
      occurredAt: r.occurredAt.toISOString(),
      endedAt: iso(r.endedAt),
      facilityId: r.facilityId,
      summary: r.display,
      tag: r.suspected ? "SUSPECTED" : r.endedAt ? "ENDED" : "ACTIVE",
      codes: [{ system: r.codeSystem, code: r.code, display: r.display }, ...(r.icd10 ? [{ system: "ICD-10", code: r.icd10, display: null }] : [])],
      detail: [
        ["outcome", r.outcome],
        ["major", r.major ? "✓" : null],
      ],
    })),
  prescription: async (tx, q, take) =>
    (await tx.prescription.findMany({ where: baseWhere<Prisma.PrescriptionWhereInput>("prescription", q), orderBy: ORDER, take, include: { items: { orderBy: [{ rp: "asc" }, { id: "asc" }] } } })).map((r) => ({
      kind: "prescription",
      id: r.id,
      occurredAt: r.occurredAt.toISOString(),
      endedAt: iso(r.stoppedAt),
      facilityId: r.facilityId,
      summary: r.items.map((i) => i.display).join("、") || "—",
      tag: r.kind === "DISPENSE" ? "DISPENSE" : r.status === "STOPPED" ? "STOPPED" : "PRESCRIPTION",
      codes: r.items.map((i) => ({ system: i.codeSystem, code: i.code, display: i.display })),
      detail: [
        ["prescriber", r.prescriberName],
        ...r.items.map((i): [string, string | null] => [
          `Rp${i.rp} ${i.display}`,
          [num(i.dose, i.doseUnit), i.usageText, i.days ? `${i.days}日分` : null, i.asNeeded ? "頓用" : null].filter(Boolean).join(" / ") || null,
        ]),
      ],
    })),
  lab: async (tx, q, take) =>
    (await tx.labResult.findMany({ where: baseWhere<Prisma.LabResultWhereInput>("lab", q), orderBy: ORDER, take })).map((r) => ({
      kind: "lab",
      id: r.id,
      occurredAt: r.occurredAt.toISOString(),
      endedAt: null,
      facilityId: r.facilityId,
      summary: `${r.display} ${r.valueNumeric ?? r.valueText ?? "—"}${r.unit ? ` ${r.unit}` : ""}`,
      tag: r.flag && r.flag !== "N" ? r.flag : null,
      codes: [{ system: r.codeSystem, code: r.code, display: r.display }],
      detail: [["reference", r.refText ?? (r.refLow !== null || r.refHigh !== null ? `${r.refLow ?? ""}–${r.refHigh ?? ""}` : null)]],
    })),
  checkup: async (tx, q, take) =>
    (await tx.checkup.findMany({ where: baseWhere<Prisma.CheckupWhereInput>("checkup", q), orderBy: ORDER, take, include: { items: { orderBy: { code: "asc" } } } })).map((r) => ({
      kind: "checkup",
      id: r.id,
      occurredAt: r.occurredAt.toISOString(),
      endedAt: null,
      facilityId: r.facilityId,
      summary: r.programme,
      tag: r.items.some((i) => i.flag && i.flag !== "N") ? "ABNORMAL" : null,
      codes: r.items.map((i) => ({ system: i.codeSystem, code: i.code, display: i.display })),
      detail: r.items.map((i): [string, string | null] => [i.display, `${i.valueNumeric ?? i.valueText ?? "—"}${i.unit ? ` ${i.unit}` : ""}${i.flag && i.flag !== "N" ? ` (${i.flag})` : ""}`]),
    })),
  allergy: async (tx, q, take) =>
    (await tx.allergy.findMany({ where: baseWhere<Prisma.AllergyWhereInput>("allergy", q), orderBy: ORDER, take })).map((r) => ({
      kind: "allergy",
      id: r.id,
      occurredAt: r.occurredAt.toISOString(),
      endedAt: null,
      facilityId: r.facilityId,
      summary: `${r.display}${r.reaction ? `（${r.reaction}）` : ""}`,
      tag: r.kind,
      codes: r.code ? [{ system: r.codeSystem ?? "local", code: r.code, display: r.display }] : [],
      detail: [
        ["severity", r.severity],
        ["reaction", r.reaction],
      ],
    })),
  procedure: async (tx, q, take) =>
    (await tx.procedure.findMany({ where: baseWhere<Prisma.ProcedureWhereInput>("procedure", q), orderBy: ORDER, take })).map((r) => ({
      kind: "procedure",
      id: r.id,
      occurredAt: r.occurredAt.toISOString(),
      endedAt: null,
      facilityId: r.facilityId,
      summary: r.display,
      tag: r.kind,
      codes: r.code ? [{ system: r.codeSystem ?? "local", code: r.code, display: r.display }] : [],
      detail: [["note", r.note]],
    })),
  document: async (tx, q, take) =>
    (await tx.document.findMany({ where: baseWhere<Prisma.DocumentWhereInput>("document", q), orderBy: ORDER, take, omit: { body: true } })).map((r) => ({
      kind: "document",
      id: r.id,
      occurredAt: r.occurredAt.toISOString(),
      endedAt: null,
      facilityId: r.facilityId,
      summary: r.title,
      tag: r.kind,
      codes: [],
      detail: [
        ["author", r.authorName],
        ["recipient", r.recipient],
      ],
    })),
};

export interface TimelinePage {
  entries: TimelineEntry[];
  nextCursor: string | null;
}

/**
 * One page of the timeline: at most `limit` rows from each visible table (each an index range scan on
 * (patientId, occurredAt)), merged, cut to `limit`. Never loads the whole record.
 */
export async function readTimelinePage(tx: Tx, q: TimelineQuery): Promise<TimelinePage> {
  const take = q.limit + 1;
  const lists: TimelineEntry[][] = [];
  // Sequential on purpose: inside one interactive transaction the queries share one connection anyway.
  for (const kind of q.kinds) lists.push(await FETCHERS[kind](tx, q, take));
  const merged = lists
    .flat()
    .sort((a, b) => compareEntries({ at: new Date(a.occurredAt), kind: a.kind, id: a.id }, { at: new Date(b.occurredAt), kind: b.kind, id: b.id }));
  const entries = merged.slice(0, q.limit);
  const last = entries[entries.length - 1];
  const nextCursor = merged.length > q.limit && last ? encodeCursor({ at: new Date(last.occurredAt), kind: last.kind, id: last.id }) : null;
  return { entries, nextCursor };
}
