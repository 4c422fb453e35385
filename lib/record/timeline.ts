import type { Tx } from "../db/client";
import { Prisma } from "../db/generated/client";
import type { Withheld } from "../access/decide";
import type { RecordKind } from "../format/record-kinds";
import { encodeCursor, type Cursor } from "./cursor";
import { notHidden } from "./tables";
import { KINDS, tableOf } from "./kinds";
import { likeLiteral } from "./input";
import { jsonArrayOf, jsonDate, jsonRows, jsonValue } from "./json-rows";
import { rowsFrom, type ReadBatch } from "./read-batch";
import type { DetailPart, DetailValue } from "../format/detail-parts";

/**
 * A row's code as the readers give it: [system, code]. The row shows the code beside its system's
 * short name (the name is the row's own summary and detail). A pair rather than an object because the
 * first screen's 25 rows carry ~100 of them in the page's props, where every key is bytes (issue 17).
 */
export type SourceCode = [system: string, code: string];
/** A row's code as a page carries it: its system is an index into the page's `systems`, which a lab panel's 17 codes share. */
export type Code = [system: number, code: string];

/** One row of the cross-facility timeline, as the UI draws it. Plain data: safe to send to the browser. */
export interface TimelineEntryOf<C> {
  kind: RecordKind;
  id: string;
  occurredAt: string;
  endedAt: string | null;
  facilityId: string;
  /** one line a clinician can read at a glance */
  summary: string;
  /** a short qualifier shown beside the kind (e.g. 入院, 疑い, 中止) */
  tag: string | null;
  /** how much of occurredAt the source gave (YEAR, MONTH, NONE); absent for a full date */
  datePrecision?: string;
  /** not yet told to the patient (JP_ehrshrs_indication UNINFORMED): marked 未告知 */
  uninformed?: boolean;
  codes: C[];
  /** the summary in pieces where it holds words (flags): rendered in the viewer's language */
  summaryParts?: DetailPart[];
  /** label → value pairs for the expanded view; null shows as a dash, pieces in the viewer's language */
  detail: [string, DetailValue][];
  /** a prescription: the dispenses that fill it (linked by the source), drawn as its second line */
  dispenses?: { id: string; occurredAt: string; facilityId: string; summary: string }[];
}
/** A row as a kind's reader makes it (lib/record/kinds.ts). */
export type SourceEntry = TimelineEntryOf<SourceCode>;
/** A row as a page carries it. */
export type TimelineEntry = TimelineEntryOf<Code>;

export interface TimelineFilters {
  facilityId?: string;
  /** inclusive lower bound */
  from?: Date;
  /** exclusive upper bound */
  to?: Date;
  /** free text, matched against the row's names and titles */
  text?: string;
  /** only rows Tsunagu stored at or after this instant (FHIR _since) */
  since?: Date;
}

export interface TimelineQuery {
  patientId: string;
  kinds: readonly RecordKind[];
  withheld: Withheld;
  cursor: Cursor | null;
  limit: number;
  filters?: TimelineFilters;
}

/** Free text against the kind's searched columns and item rows (lib/record/kinds.ts), alias t. */
function textMatches(kind: RecordKind, text: string): Prisma.Sql {
  // `value ILIKE '%text%'`, the text taken literally
  const p = `%${likeLiteral(text)}%`;
  const { columns, items } = KINDS[kind].text;
  const matches = columns.map((c) => Prisma.sql`${Prisma.raw(`t."${c}"`)} ILIKE ${p}`);
  if (items)
    matches.push(Prisma.sql`EXISTS (SELECT 1 FROM ${Prisma.raw(`"${items.table}"`)} i WHERE i."patientId" = t."patientId" AND ${Prisma.raw(`i."${items.parent}"`)} = t.id AND i.display ILIKE ${p})`);
  // bracketed: rowsWhere ANDs this with the patient and withheld conditions, and AND binds tighter than OR
  return Prisma.sql`(${Prisma.join(matches, " OR ")})`;
}

/** Rows of `kind` strictly after the cursor in timeline order (occurredAt desc, kind desc, id desc). */
export function afterCursor(kind: RecordKind, c: Cursor | null): Prisma.Sql {
  if (!c) return Prisma.sql`TRUE`;
  if (kind < c.kind) return Prisma.sql`t."occurredAt" <= ${c.at}`;
  if (kind > c.kind) return Prisma.sql`t."occurredAt" < ${c.at}`;
  // `occurredAt <= at` bounds the (patientId, occurredAt) index scan: the OR alone cannot, and a later
  // page would filter out every row of the pages before it
  return Prisma.sql`(t."occurredAt" <= ${c.at} AND (t."occurredAt" < ${c.at} OR (t."occurredAt" = ${c.at} AND t.id < ${c.id})))`;
}

/** What the query asks of every record table: this patient, not withheld, the filters, after the cursor. */
export function rowsWhere(kind: RecordKind, q: TimelineQuery): Prisma.Sql {
  const f = q.filters ?? {};
  const parts = [
    Prisma.sql`t."patientId" = ${q.patientId}`,
    notHidden("t", q.withheld),
    afterCursor(kind, q.cursor),
  ];
  if (f.facilityId) parts.push(Prisma.sql`t."facilityId" = ${f.facilityId}`);
  if (f.from) parts.push(Prisma.sql`t."occurredAt" >= ${f.from}`);
  if (f.to) parts.push(Prisma.sql`t."occurredAt" < ${f.to}`);
  if (f.since) parts.push(Prisma.sql`t."recordedAt" >= ${f.since}`);
  if (f.text) parts.push(textMatches(kind, f.text));
  // Each part bracketed, so that no OR inside a filter can escape the patient and withheld conditions.
  return Prisma.join(
    parts.map((part) => Prisma.sql`(${part})`),
    " AND ",
  );
}

/**
 * The prescriptions this query shows, whatever the page: a dispense that fills one of them is drawn
 * as that prescription's second line, not as a row of its own. A dispense whose prescription is not
 * shown (withheld, filtered out, another facility's filter) stays a row, so nothing disappears. The
 * set does not depend on the cursor, so every page agrees on which rows exist.
 */
function shownPrescriptions(q: TimelineQuery): Prisma.Sql {
  return Prisma.sql`SELECT t.id FROM "Prescription" t WHERE ${rowsWhere("prescription", { ...q, cursor: null })} AND t.kind = 'PRESCRIPTION'`;
}

/**
 * Lab results as panels: the results one facility reported for one specimen time are one row (a
 * 10-year record had hundreds of single-analyte rows), named by its smallest id. The rows grouped
 * are those the query shows, so a filter narrows a panel to its matching analytes. Grouping does not
 * depend on the cursor, which then applies to the panels themselves.
 */
function labPanels(q: TimelineQuery, take: number): Prisma.Sql {
  const shown = rowsWhere("lab", { ...q, cursor: null });
  // Only the specimen times the page can reach are grouped, not the whole lab history: a page of
  // `take` panels after the cursor lies within the newest take + 1 distinct times at or before it (the
  // cursor's own time may hold no panel after it). Whole times are kept, so no panel is cut in two;
  // an index scan backwards finds those times and stops.
  const upTo = q.cursor ? Prisma.sql`AND t."occurredAt" <= ${q.cursor.at}` : Prisma.empty;
  return Prisma.sql`SELECT min(t.id) AS id, t."occurredAt" FROM "LabResult" t WHERE ${shown} ${upTo}
    AND t."occurredAt" >= (SELECT min(d.at) FROM (SELECT DISTINCT t."occurredAt" AS at FROM "LabResult" t WHERE ${shown} ${upTo} ORDER BY 1 DESC LIMIT ${take + 1}) d)
    GROUP BY t."occurredAt", t."facilityId"`;
}

function notPairedDispense(q: TimelineQuery): Prisma.Sql {
  return Prisma.sql`AND (t."fillsId" IS NULL OR t."fillsId" NOT IN (${shownPrescriptions(q)}))`;
}

/**
 * The page's rows, in timeline order, as keys: over the visible tables, each contributing at most `take`
 * rows through its (patientId, occurredAt) index. The database orders and cuts, so the cursor's
 * comparisons and the order agree by construction.
 */
function keysOf(q: TimelineQuery, take: number): Prisma.Sql {
  const perTable = q.kinds.map((k) =>
    k === "lab"
      ? Prisma.sql`(SELECT 'lab'::text AS kind, t.id, t."occurredAt" FROM (${labPanels(q, take)}) t WHERE ${afterCursor("lab", q.cursor)} ORDER BY t."occurredAt" DESC, t.id DESC LIMIT ${take})`
      : Prisma.sql`(SELECT ${k}::text AS kind, t.id, t."occurredAt" FROM ${tableOf(k)} t WHERE ${rowsWhere(k, q)} ${k === "prescription" ? notPairedDispense(q) : Prisma.empty} ORDER BY t."occurredAt" DESC, t.id DESC LIMIT ${take})`,
  );
  return Prisma.sql`SELECT kind, id, "occurredAt" FROM (${Prisma.join(perTable, " UNION ALL ")}) k ORDER BY "occurredAt" DESC, kind DESC, id DESC LIMIT ${take}`;
}

/** The page's keys of one kind (ids), from the statement's `tp`. */
const pageIds = (kind: RecordKind) => Prisma.sql`SELECT p.id FROM tp p WHERE p.kind = ${kind}`;

/**
 * The dispenses that fill the page's prescriptions and that this query shows (the same patient,
 * withheld and filter conditions as a row would meet), each with its medicines' names.
 */
function dispensesOf(q: TimelineQuery): Prisma.Sql {
  return Prisma.sql`SELECT t.id, t."occurredAt", t."facilityId", t."fillsId",
      (SELECT string_agg(i.display, '、' ORDER BY i.rp, i.id) FROM "PrescriptionItem" i WHERE i."patientId" = t."patientId" AND i."prescriptionId" = t.id) AS names
    FROM "Prescription" t WHERE ${rowsWhere("prescription", { ...q, cursor: null })} AND t.kind = 'DISPENSE' AND t."fillsId" IN (${pageIds("prescription")})`;
}

interface Dispense {
  id: string;
  occurredAt: Date;
  facilityId: string;
  fillsId: string;
  names: string | null;
}

/** Each prescription on the page (not a dispense drawn as a row of its own) gets the dispenses that fill it, oldest first. */
function attachDispenses(entries: SourceEntry[], dispenses: Dispense[]): void {
  const byRx = new Map<string, NonNullable<TimelineEntry["dispenses"]>>();
  for (const d of dispenses) {
    const list = byRx.get(d.fillsId) ?? [];
    list.push({ id: d.id, occurredAt: d.occurredAt.toISOString(), facilityId: d.facilityId, summary: d.names || "—" });
    byRx.set(d.fillsId, list);
  }
  for (const e of entries) if (e.kind === "prescription" && e.tag !== "DISPENSE" && byRx.has(e.id)) e.dispenses = byRx.get(e.id);
}

export interface TimelinePage {
  entries: TimelineEntry[];
  /** the code systems the entries' codes name, each once */
  systems: string[];
  nextCursor: string | null;
}

/**
 * A page as the browser gets it: a row whose summary is also in pieces (a lab panel, rendered from
 * summaryParts in the viewer's language) goes without its plain-text summary, which the browser
 * never draws. On the heavy patient's first screen that was about 1.3 KB of each page sent twice.
 */
export function forBrowser(page: TimelinePage): TimelinePage {
  return { ...page, entries: page.entries.map((e) => (e.summaryParts ? { ...e, summary: "" } : e)) };
}

/** The page's rows with each code system written once, in `systems`, and named by its index in the codes. */
function withSystemTable(rows: SourceEntry[]): { entries: TimelineEntry[]; systems: string[] } {
  const index = new Map<string, number>();
  const at = (system: string) => index.get(system) ?? index.set(system, index.size).get(system)!;
  const entries = rows.map((e) => ({ ...e, codes: e.codes.map(([system, code]): Code => [at(system), code]) }));
  return { entries, systems: [...index.keys()] };
}

/**
 * One page of the timeline in one statement: the page's keys across the visible tables (`tk`, one more
 * than the page to know whether another follows), the page itself (`tp`), the rows it names of each
 * visible kind, and the dispenses that fill its prescriptions, each of these aggregated as JSON. Only
 * the page's rows are read and mapped — not a page from every table — and never the whole record. It
 * was a statement for the keys, one per kind on the page and one for the dispenses: up to seven round
 * trips, each a socket write and read and a Prisma call (issue 17). In a batch, it travels with the
 * first screen's other reads (lib/record/read-batch.ts).
 */
export async function readTimelinePage(db: Tx | ReadBatch, q: TimelineQuery): Promise<TimelinePage> {
  if (q.kinds.length === 0) return { entries: [], systems: [], nextCursor: null };
  const take = q.limit + 1;
  // The kinds' own SELECTs apply the patient and withheld conditions again: a fault in the keys'
  // hand-written SQL (one let withheld rows through once) must not be enough to show a withheld record.
  const perKind = q.kinds.map((kind) => {
    const source = KINDS[kind];
    const ids = pageIds(kind);
    const named = Prisma.sql`t."patientId" = ${q.patientId} AND t.id IN (${ids}) AND ${notHidden("t", q.withheld)}`;
    const rows = source.rows({ patientId: q.patientId, named, shown: rowsWhere(kind, { ...q, cursor: null }), ids });
    return jsonArrayOf(rows, source.order);
  });
  const withDispenses = q.kinds.includes("prescription");
  if (withDispenses) perKind.push(jsonArrayOf(dispensesOf(q), `x."occurredAt", x.id`));
  const [result] = await rowsFrom<Record<string, unknown>>(db, Prisma.sql`
    WITH tk AS (${keysOf(q, take)}), tp AS (SELECT kind, id FROM tk ORDER BY "occurredAt" DESC, kind DESC, id DESC LIMIT ${q.limit})
    SELECT (SELECT json_agg(json_build_array(tk.kind, tk.id, tk."occurredAt") ORDER BY tk."occurredAt" DESC, tk.kind DESC, tk.id DESC) FROM tk) AS keys,
      ${Prisma.join(perKind.map((part, i) => Prisma.sql`${part} AS ${Prisma.raw(`r${i}`)}`), ", ")}`);
  const keys = (jsonValue<[RecordKind, string, string][] | null>(result?.keys) ?? []).map(([kind, id, at]) => ({ kind, id, occurredAt: jsonDate(at) }));
  const page = keys.slice(0, q.limit);
  const byKey = new Map<string, SourceEntry>();
  q.kinds.forEach((kind, i) => {
    const source = KINDS[kind];
    for (const e of source.entries(jsonRows<never>(result?.[`r${i}`], source.dates, source.numbers))) byKey.set(`${kind}:${e.id}`, e);
  });
  const rows = page.map((k) => byKey.get(`${k.kind}:${k.id}`)).filter((e): e is SourceEntry => e !== undefined);
  if (withDispenses) attachDispenses(rows, jsonRows<Dispense>(result?.[`r${q.kinds.length}`], ["occurredAt"]));
  const last = page[page.length - 1];
  const nextCursor = keys.length > q.limit && last ? encodeCursor({ at: last.occurredAt, kind: last.kind, id: last.id }) : null;
  return { ...withSystemTable(rows), nextCursor };
}
