import type { Tx } from "../db/client";
import { Prisma } from "../db/generated/client";
import type { Sensitivity } from "../access/decide";
import type { RecordKind } from "../access/data-kinds";
import { encodeCursor, type Cursor } from "./cursor";
import { notHidden, tableOf } from "./tables";
import { notWithheld } from "./banner";
import { likeLiteral } from "./input";
import { measuredText } from "../interop/codes";
import { flagPart, type DetailPart, type DetailValue } from "../format/detail-parts";
import { formatRange } from "../format/range";

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
  /** not yet told to the patient (JP_ehrshrs_indication UNINFORMED): marked 未告知 */
  uninformed?: boolean;
  codes: Code[];
  /** the summary in pieces where it holds words (flags): rendered in the viewer's language */
  summaryParts?: DetailPart[];
  /** label → value pairs for the expanded view; null shows as a dash, pieces in the viewer's language */
  detail: [string, DetailValue][];
  /** a prescription: the dispenses that fill it (linked by the source), drawn as its second line */
  dispenses?: { id: string; occurredAt: string; facilityId: string; summary: string }[];
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

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);
const num = (v: number | null | undefined, unit?: string | null) => (v === null || v === undefined ? null : `${v}${unit ? ` ${unit}` : ""}`);


/** The columns free text searches, per record table (alias t), items included where a row has them. */
function textMatches(kind: RecordKind, text: string): Prisma.Sql {
  // `value ILIKE '%text%'`, the text taken literally
  const p = `%${likeLiteral(text)}%`;
  // bracketed: rowsWhere ANDs this with the patient and withheld conditions, and AND binds tighter than OR
  const any = (...cols: string[]) => Prisma.sql`(${Prisma.join(cols.map((c) => Prisma.sql`${Prisma.raw(`t."${c}"`)} ILIKE ${p}`), " OR ")})`;
  const item = (table: string, parent: string) =>
    Prisma.sql`EXISTS (SELECT 1 FROM ${Prisma.raw(`"${table}"`)} i WHERE i."patientId" = t."patientId" AND ${Prisma.raw(`i."${parent}"`)} = t.id AND i.display ILIKE ${p})`;
  switch (kind) {
    case "encounter":
      return any("department", "reason");
    case "condition":
      return any("display", "icd10", "code");
    case "prescription":
      return Prisma.sql`(${item("PrescriptionItem", "prescriptionId")} OR ${any("prescriberName")})`;
    case "lab":
      return any("display", "code");
    case "checkup":
      return Prisma.sql`(${any("programme")} OR ${item("CheckupItem", "checkupId")})`;
    case "allergy":
      return any("display", "reaction");
    case "procedure":
      return any("display", "note");
    case "document":
      return any("title", "body", "authorName");
  }
}

/** Rows of `kind` strictly after the cursor in timeline order (occurredAt desc, kind desc, id desc). */
function afterCursor(kind: RecordKind, c: Cursor | null): Prisma.Sql {
  if (!c) return Prisma.sql`TRUE`;
  if (kind < c.kind) return Prisma.sql`t."occurredAt" <= ${c.at}`;
  if (kind > c.kind) return Prisma.sql`t."occurredAt" < ${c.at}`;
  return Prisma.sql`(t."occurredAt" < ${c.at} OR (t."occurredAt" = ${c.at} AND t.id < ${c.id}))`;
}

/** What the query asks of every record table: this patient, not withheld, the filters, after the cursor. */
function rowsWhere(kind: RecordKind, q: TimelineQuery): Prisma.Sql {
  const f = q.filters ?? {};
  const parts = [
    Prisma.sql`t."patientId" = ${q.patientId}`,
    notHidden(Prisma.sql`t.sensitivity`, q.withheld),
    afterCursor(kind, q.cursor),
  ];
  if (f.facilityId) parts.push(Prisma.sql`t."facilityId" = ${f.facilityId}`);
  if (f.from) parts.push(Prisma.sql`t."occurredAt" >= ${f.from}`);
  if (f.to) parts.push(Prisma.sql`t."occurredAt" < ${f.to}`);
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
function labPanels(q: TimelineQuery): Prisma.Sql {
  return Prisma.sql`SELECT min(t.id) AS id, t."occurredAt" FROM "LabResult" t WHERE ${rowsWhere("lab", { ...q, cursor: null })} GROUP BY t."occurredAt", t."facilityId"`;
}

function notPairedDispense(q: TimelineQuery): Prisma.Sql {
  return Prisma.sql`AND (t."fillsId" IS NULL OR t."fillsId" NOT IN (${shownPrescriptions(q)}))`;
}

interface Key {
  kind: RecordKind;
  id: string;
  occurredAt: Date;
}

/**
 * The page's rows, in timeline order, as keys: one statement over the visible tables, each contributing
 * at most `take` rows through its (patientId, occurredAt) index. The database orders and cuts, so the
 * cursor's comparisons and the order agree by construction.
 */
function readKeys(tx: Tx, q: TimelineQuery, take: number): Promise<Key[]> {
  const perTable = q.kinds.map((k) =>
    k === "lab"
      ? Prisma.sql`(SELECT 'lab'::text AS kind, t.id, t."occurredAt" FROM (${labPanels(q)}) t WHERE ${afterCursor("lab", q.cursor)} ORDER BY t."occurredAt" DESC, t.id DESC LIMIT ${take})`
      : Prisma.sql`(SELECT ${k}::text AS kind, t.id, t."occurredAt" FROM ${tableOf(k)} t WHERE ${rowsWhere(k, q)} ${k === "prescription" ? notPairedDispense(q) : Prisma.empty} ORDER BY t."occurredAt" DESC, t.id DESC LIMIT ${take})`,
  );
  return tx.$queryRaw<Key[]>(Prisma.sql`SELECT kind, id, "occurredAt" FROM (${Prisma.join(perTable, " UNION ALL ")}) k ORDER BY "occurredAt" DESC, kind DESC, id DESC LIMIT ${take}`);
}

/** The rows a page's keys name, of this patient and — again, whatever the keys say — not withheld. */
interface NamedRows {
  patientId: string;
  id: { in: string[] };
  sensitivity?: { notIn: Sensitivity[] };
}
type Reader = (tx: Tx, rows: NamedRows, q: TimelineQuery) => Promise<TimelineEntry[]>;

const measured = (r: { code: string; valueNumeric: number | null; valueText: string | null; unit: string | null }) => `${measuredText(r.code, r.valueNumeric, r.valueText)}${r.unit ? ` ${r.unit}` : ""}`;
const flagged = (f: string | null) => (f && f !== "N" ? f : null);

/**
 * One lab panel as a timeline row: a single analyte reads as before ("HbA1c 6.8 %"); a panel names
 * its first analytes and how many there are, flags the row if any is out of range, and lists every
 * analyte with its value, flag and range when expanded.
 */
function labPanelEntry(analytes: { id: string; occurredAt: Date; facilityId: string; code: string; codeSystem: string; display: string; valueNumeric: number | null; valueText: string | null; unit: string | null; flag: string | null; refText: string | null; refLow: number | null; refHigh: number | null }[]): TimelineEntry {
  const first = analytes.reduce((a, b) => (b.id < a.id ? b : a));
  const one = analytes.length === 1;
  const flags = analytes.map((a) => flagged(a.flag)).filter((f): f is string => f !== null);
  // out-of-range analytes first: a collapsed row must never hide an abnormal value behind "(+1)"
  const shown = [...analytes.filter((a) => flagged(a.flag)), ...analytes.filter((a) => !flagged(a.flag))]
    .slice(0, Math.max(3, flags.length))
    .map((a): DetailPart[] => [`${a.display} ${measured(a)}`, ...flagPart(a.flag)]);
  const more = analytes.length > shown.length ? ` … (+${analytes.length - shown.length})` : "";
  return {
    kind: "lab",
    id: first.id,
    occurredAt: first.occurredAt.toISOString(),
    endedAt: null,
    facilityId: first.facilityId,
    // language-neutral, as the row is built once for every viewer: "HbA1c 6.8 % · LDL 120 mg/dL … (+5)"
    summary: one ? `${first.display} ${measured(first)}` : `${shown.map((p) => p.map((x) => (typeof x === "string" ? x : "flag" in x ? x.flag : "")).join("")).join(" · ")}${more}`,
    ...(one ? {} : { summaryParts: [...shown.flatMap((p, i) => (i ? [" · ", ...p] : p)), more] }),
    tag: one ? flagged(first.flag) : flags.length ? "ABNORMAL" : null,
    codes: analytes.map((a) => ({ system: a.codeSystem, code: a.code, display: a.display })),
    detail: one
      ? [["reference", first.refText ?? formatRange(first.refLow, first.refHigh)]]
      : analytes.map((a): [string, DetailValue] => [a.display, [measured(a), ...flagPart(a.flag), a.refText ?? formatRange(a.refLow, a.refHigh) ? `　[${a.refText ?? formatRange(a.refLow, a.refHigh)}]` : ""]]),
  };
}

/** One reader per record table: the rows a page's keys name, as timeline entries. */
const READERS: Record<RecordKind, Reader> = {
  encounter: async (tx, rows) =>
    (await tx.encounter.findMany({ where: rows })).map((r) => ({
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
  condition: async (tx, rows) =>
    (await tx.condition.findMany({ where: rows })).map((r) => ({
      kind: "condition",
      id: r.id,
      occurredAt: r.occurredAt.toISOString(),
      endedAt: iso(r.endedAt),
      facilityId: r.facilityId,
      summary: r.display,
      tag: r.suspected ? "SUSPECTED" : r.endedAt ? "ENDED" : "ACTIVE",
      ...(r.uninformed ? { uninformed: true } : {}),
      codes: [{ system: r.codeSystem, code: r.code, display: r.display }, ...(r.icd10 ? [{ system: "ICD-10", code: r.icd10, display: null }] : [])],
      detail: [
        ["outcome", r.outcome ? [{ outcome: r.outcome }] : null],
        ["major", r.major ? "✓" : null],
      ],
    })),
  prescription: async (tx, rows) =>
    (await tx.prescription.findMany({ where: rows, include: { items: { orderBy: [{ rp: "asc" }, { id: "asc" }] } } })).map((r) => ({
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
        ...r.items.map((i): [string, DetailValue] => {
          const candidates: (DetailPart | null)[] = [num(i.dose, i.doseUnit), i.usageText, i.days !== null ? { supply: { days: i.days, asNeeded: i.asNeeded } } : null, i.asNeeded ? { asNeeded: true } : null];
          const parts = candidates.filter((p): p is DetailPart => p !== null && p !== "");
          return [`Rp${i.rp} ${i.display}`, parts.length ? parts.flatMap((p, n) => (n ? [" / ", p] : [p])) : null];
        }),
      ],
    })),
  lab: async (tx, rows, q) => {
    // the panels the page names (by their smallest id), then every analyte of each that the query shows
    const members = await tx.$queryRaw<{ id: string }[]>(
      Prisma.sql`SELECT t.id FROM "LabResult" t WHERE ${rowsWhere("lab", { ...q, cursor: null })}
        AND (t."occurredAt", t."facilityId") IN (SELECT r."occurredAt", r."facilityId" FROM "LabResult" r WHERE r."patientId" = ${q.patientId} AND r.id IN (${Prisma.join(rows.id.in)}))`,
    );
    const results = await tx.labResult.findMany({ where: { ...rows, id: { in: members.map((m) => m.id) } }, orderBy: [{ code: "asc" }, { id: "asc" }] });
    const panels = new Map<string, typeof results>();
    for (const r of results) {
      const key = `${r.facilityId}|${r.occurredAt.toISOString()}`;
      panels.set(key, [...(panels.get(key) ?? []), r]);
    }
    return [...panels.values()].map((analytes) => labPanelEntry(analytes));
  },
  checkup: async (tx, rows) =>
    (await tx.checkup.findMany({ where: rows, include: { items: { orderBy: { code: "asc" } } } })).map((r) => ({
      kind: "checkup",
      id: r.id,
      occurredAt: r.occurredAt.toISOString(),
      endedAt: null,
      facilityId: r.facilityId,
      summary: r.programme,
      tag: r.items.some((i) => i.flag && i.flag !== "N") ? "ABNORMAL" : null,
      codes: r.items.map((i) => ({ system: i.codeSystem, code: i.code, display: i.display })),
      detail: r.items.map((i): [string, DetailValue] => [i.display, [`${measuredText(i.code, i.valueNumeric, i.valueText)}${i.unit ? ` ${i.unit}` : ""}`, ...flagPart(i.flag)]]),
    })),
  allergy: async (tx, rows) =>
    (await tx.allergy.findMany({ where: rows })).map((r) => ({
      kind: "allergy",
      id: r.id,
      occurredAt: r.occurredAt.toISOString(),
      endedAt: null,
      facilityId: r.facilityId,
      summary: `${r.display}${r.reaction ? `（${r.reaction}）` : ""}`,
      tag: r.kind,
      codes: r.code ? [{ system: r.codeSystem ?? "local", code: r.code, display: r.display }] : [],
      detail: [
        ["severity", [{ severity: r.severity }]],
        ["reaction", r.reaction],
      ],
    })),
  procedure: async (tx, rows) =>
    (await tx.procedure.findMany({ where: rows })).map((r) => ({
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
  document: async (tx, rows) =>
    (await tx.document.findMany({ where: rows, omit: { body: true } })).map((r) => ({
      kind: "document",
      id: r.id,
      occurredAt: r.occurredAt.toISOString(),
      endedAt: null,
      facilityId: r.facilityId,
      summary: r.title,
      tag: r.kind,
      ...(r.uninformed ? { uninformed: true } : {}),
      codes: [],
      detail: [
        ["author", r.authorName],
        ["recipient", r.recipient],
      ],
    })),
};

/**
 * Each prescription on the page gets the dispenses that fill it and that this query shows (the same
 * patient, withheld and filter conditions as a row would meet), oldest first.
 */
async function attachDispenses(tx: Tx, q: TimelineQuery, entries: TimelineEntry[]): Promise<void> {
  const rx = entries.filter((e) => e.kind === "prescription" && e.tag !== "DISPENSE");
  if (rx.length === 0) return;
  const ids = await tx.$queryRaw<{ id: string }[]>(
    Prisma.sql`SELECT t.id FROM "Prescription" t WHERE ${rowsWhere("prescription", { ...q, cursor: null })} AND t.kind = 'DISPENSE' AND t."fillsId" IN (${Prisma.join(rx.map((e) => e.id))})`,
  );
  if (ids.length === 0) return;
  const rows = await tx.prescription.findMany({
    where: { patientId: q.patientId, id: { in: ids.map((r) => r.id) }, ...notWithheld(q.withheld) },
    include: { items: { orderBy: [{ rp: "asc" }, { id: "asc" }] } },
    orderBy: [{ occurredAt: "asc" }, { id: "asc" }],
  });
  const byRx = new Map<string, NonNullable<TimelineEntry["dispenses"]>>();
  for (const d of rows) {
    const list = byRx.get(d.fillsId!) ?? [];
    list.push({ id: d.id, occurredAt: d.occurredAt.toISOString(), facilityId: d.facilityId, summary: d.items.map((i) => i.display).join("、") || "—" });
    byRx.set(d.fillsId!, list);
  }
  for (const e of rx) if (byRx.has(e.id)) e.dispenses = byRx.get(e.id);
}

export interface TimelinePage {
  entries: TimelineEntry[];
  nextCursor: string | null;
}

/**
 * One page of the timeline: first the page's keys (one statement across the visible tables), then the
 * rows they name, one statement per kind on the page. Only the page's rows are read and mapped — not
 * a page from every table — and never the whole record.
 */
export async function readTimelinePage(tx: Tx, q: TimelineQuery): Promise<TimelinePage> {
  if (q.kinds.length === 0) return { entries: [], nextCursor: null };
  const keys = await readKeys(tx, q, q.limit + 1);
  const page = keys.slice(0, q.limit);
  const idsByKind = new Map<RecordKind, string[]>();
  for (const k of page) idsByKind.set(k.kind, [...(idsByKind.get(k.kind) ?? []), k.id]);
  const byKey = new Map<string, TimelineEntry>();
  // Sequential on purpose: inside one interactive transaction the queries share one connection anyway.
  // The readers apply the patient and withheld conditions again: a fault in the keys' hand-written SQL
  // (one let withheld rows through once) must not be enough to show a withheld record.
  for (const [kind, ids] of idsByKind) {
    for (const e of await READERS[kind](tx, { patientId: q.patientId, id: { in: ids }, ...notWithheld(q.withheld) }, q)) byKey.set(`${kind}:${e.id}`, e);
  }
  const entries = page.map((k) => byKey.get(`${k.kind}:${k.id}`)).filter((e): e is TimelineEntry => e !== undefined);
  await attachDispenses(tx, q, entries);
  const last = page[page.length - 1];
  const nextCursor = keys.length > q.limit && last ? encodeCursor({ at: last.occurredAt, kind: last.kind, id: last.id }) : null;
  return { entries, nextCursor };
}
