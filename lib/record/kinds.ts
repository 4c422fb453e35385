import { isOngoing } from "./problems";
import { Prisma } from "../db/generated/client";
import type { RecordKind } from "../format/record-kinds";
import { measuredText } from "../terminology/lab-tests";
import { flagPart, type DetailPart, type DetailValue } from "../format/detail-parts";
import { formatRange } from "../format/range";
import { isWarningFlag } from "../format/lab-band";
import { isoDateTime } from "../format/dates";
import { departmentLabel, ssmixDepartmentName } from "../terminology/departments";
import type { SourceCode as Code, SourceEntry } from "./timeline";
import { cycleDaysCovered } from "./medication";
import type { Allergy, Checkup, CheckupItem, Condition, Document, Encounter, Prescription, PrescriptionItem, Procedure } from "../db/generated/client";

/**
 * A timeline item's count, as the client is to say it: 28日分, 10回分 of a 頓用 drug, 4回分（28日間） of a
 * weekly one (its days covered sent along, since the client cannot work them out from the count).
 */
function supplyPart(r: Pick<Prescription, "occurredAt">, i: Pick<PrescriptionItem, "days" | "asNeeded" | "usageText">): DetailPart | null {
  if (i.days === null) return null;
  const covers = cycleDaysCovered({ occurredAt: r.occurredAt, days: i.days, usageText: i.usageText, asNeeded: i.asNeeded });
  return { supply: { days: i.days, ...(i.asNeeded ? { asNeeded: true as const } : {}), ...(covers ? { covers } : {}) } };
}

/**
 * Each record kind as the server reads it, described once: its table, the columns free text searches,
 * and how a page's rows of it become timeline entries. The statements that span kinds (timeline keys,
 * record map, the header's facilities) derive from it; the screens' half of each kind (badge, name,
 * map glyph) is lib/format/record-kinds.ts, and which profession sees which kind is
 * lib/access/data-kinds.ts.
 */
export interface KindSource {
  /** the table behind the kind, quoted into SQL by tableOf (from this fixed list, never from input) */
  table: string;
  /** what free text matches: these columns of the row, and the display of its item rows where it has them (rank: the column that orders a row's items) */
  text: { columns: readonly string[]; items?: { table: string; parent: string; rank?: string } };
  /** the page's rows of this kind, as one SELECT that the timeline's statement aggregates (lib/record/timeline.ts) */
  rows: (on: PageRows) => Prisma.Sql;
  /** the order of those rows, as the aggregate's ORDER BY over the SELECT's columns (alias x), where it matters */
  order?: string;
  /** the columns of those rows that hold a timestamp or a number: JSON carries them as text or may (lib/record/json-rows.ts) */
  dates: readonly string[];
  numbers?: readonly string[];
  /** the rows as timeline entries (each kind types its rows as its table's: `never[]` here lets it) */
  entries: (rows: never[]) => SourceEntry[];
}

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);
const num = (v: number | null | undefined, unit?: string | null) => (v === null || v === undefined ? null : `${v}${unit ? ` ${unit}` : ""}`);

/**
 * What a kind's SELECT is given, each a condition on its table's alias t. `named`: the rows the page's
 * keys name, of this patient and — again, whatever the keys say — not withheld. `shown`: the rows of
 * this kind that the query shows, whatever the cursor (a lab panel reads all its analytes by it).
 * `ids`: the page's keys of this kind, as a subquery of ids.
 */
export interface PageRows {
  patientId: string;
  named: Prisma.Sql;
  shown: Prisma.Sql;
  ids: Prisma.Sql;
}

/** The rows of `table` (alias t) that `named` picks: the table's own columns, so the rows are typed as Prisma's models are. */
const rowsOf = (table: string, named: Prisma.Sql, columns: Prisma.Sql = Prisma.sql`t.*`) => Prisma.sql`SELECT ${columns} FROM ${Prisma.raw(`"${table}"`)} t WHERE ${named}`;

/** The rows `named` picks with their item rows (a prescription's drugs, a checkup's items) as `items`, in `order`. */
export const rowsWithItems = (table: string, items: string, parent: string, named: Prisma.Sql, order: string) =>
  Prisma.sql`SELECT t.*, COALESCE((SELECT json_agg(i ORDER BY ${Prisma.raw(order)}) FROM ${Prisma.raw(`"${items}"`)} i WHERE i."patientId" = t."patientId" AND i.${Prisma.raw(`"${parent}"`)} = t.id), '[]') AS items
    FROM ${Prisma.raw(`"${table}"`)} t WHERE ${named}`;

/** "4.1 mmol/l", and the sender's comment beside a number when there is one: "4.1 mmol/l (溶血あり)" */
const measured = (r: { code: string; valueNumeric: number | null; valueText: string | null; unit: string | null }) =>
  `${measuredText(r.code, r.valueNumeric, r.valueText)}${r.unit ? ` ${r.unit}` : ""}${r.valueNumeric !== null && r.valueText ? ` (${r.valueText})` : ""}`;
/** a flag that warns (not N, NEG or a susceptibility: lib/format/lab-band isWarningFlag), else null */
const flagged = (f: string | null) => (isWarningFlag(f) ? f : null);

/**
 * One lab panel as a timeline row: a single analyte reads as before ("HbA1c 6.8 %"); a panel names
 * its first analytes and how many there are, flags the row if any is out of range, and lists every
 * analyte with its value, flag and range when expanded.
 */
function labPanelEntry(analytes: { id: string; occurredAt: Date; facilityId: string; code: string; codeSystem: string; display: string; valueNumeric: number | null; valueText: string | null; unit: string | null; flag: string | null; refText: string | null; refLow: number | null; refHigh: number | null }[]): SourceEntry {
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
    codes: analytes.map((a): Code => [a.codeSystem, a.code]),
    detail: one
      ? [["reference", first.refText ?? formatRange(first.refLow, first.refHigh)]]
      : analytes.map((a): [string, DetailValue] => [a.display, [measured(a), ...flagPart(a.flag), a.refText ?? formatRange(a.refLow, a.refHigh) ? `　[${a.refText ?? formatRange(a.refLow, a.refHigh)}]` : ""]]),
  };
}

export const KINDS: Record<RecordKind, KindSource> = {
  encounter: {
    table: "Encounter",
    text: { columns: ["department", "reason"] },
    rows: ({ named }) => rowsOf("Encounter", named),
    dates: ["occurredAt", "endedAt", "recordedAt"],
    entries: (rows: Encounter[]) =>
      rows.map((r) => ({
        kind: "encounter",
        id: r.id,
        occurredAt: r.occurredAt.toISOString(),
        endedAt: iso(r.endedAt),
        facilityId: r.facilityId,
        summary: [ssmixDepartmentName(r.department) ?? r.department, r.reason].filter(Boolean).join(" · ") || r.class,
        tag: r.class,
        codes: [],
        detail: [
          ["department", departmentLabel(r.department)],
          ["reason", r.reason],
          // a stay's end as the source gave it; no row at all when none came (not "still admitted": the discharge may simply not have been sent)
          ...(r.endedAt ? [[r.class === "INPATIENT" ? "discharged" : "ended", isoDateTime(r.endedAt)] as [string, DetailValue]] : []),
        ],
      })),
  },
  condition: {
    table: "Condition",
    text: { columns: ["display", "icd10", "code"] },
    rows: ({ named }) => rowsOf("Condition", named),
    dates: ["occurredAt", "endedAt", "recordedAt"],
    entries: (rows: Condition[]) =>
      rows.map((r) => ({
        kind: "condition",
        id: r.id,
        occurredAt: r.occurredAt.toISOString(),
        ...(r.occurredPrecision ? { datePrecision: r.occurredPrecision } : {}),
        endedAt: iso(r.endedAt),
        facilityId: r.facilityId,
        summary: r.display,
        tag: r.suspected ? "SUSPECTED" : isOngoing(r) ? "ACTIVE" : "ENDED",
        ...(r.uninformed ? { uninformed: true } : {}),
        codes: [[r.codeSystem, r.code], ...(r.icd10 ? [["ICD-10", r.icd10] as Code] : [])],
        detail: [
          ["outcome", r.outcome ? [{ outcome: r.outcome }] : null],
          ["major", r.major ? "✓" : null],
        ],
      })),
  },
  prescription: {
    table: "Prescription",
    text: { columns: ["prescriberName"], items: { table: "PrescriptionItem", parent: "prescriptionId", rank: "rp" } },
    rows: ({ named }) => rowsWithItems("Prescription", "PrescriptionItem", "prescriptionId", named, `i.rp, i.id`),
    dates: ["occurredAt", "stoppedAt", "recordedAt"],
    entries: (rows: (Prescription & { items: PrescriptionItem[] })[]) => {
      return rows.map((r) => ({
        kind: "prescription",
        id: r.id,
        occurredAt: r.occurredAt.toISOString(),
        endedAt: iso(r.stoppedAt),
        facilityId: r.facilityId,
        summary: r.items.map((i) => i.display).join("、") || "—",
        tag: r.kind === "DISPENSE" ? "DISPENSE" : r.status === "STOPPED" ? "STOPPED" : "PRESCRIPTION",
        codes: r.items.map((i): Code => [i.codeSystem, i.code]),
        detail: [
          ["prescriber", r.prescriberName],
          ...r.items.map((i): [string, DetailValue] => {
            const candidates: (DetailPart | null)[] = [num(i.dose, i.doseUnit), i.usageText, supplyPart(r, i), i.asNeeded ? { asNeeded: true } : null];
            const parts = candidates.filter((p): p is DetailPart => p !== null && p !== "");
            return [`Rp${i.rp} ${i.display}`, parts.length ? parts.flatMap((p, n) => (n ? [" / ", p] : [p])) : null];
          }),
        ],
      }));
    },
  },
  lab: {
    table: "LabResult",
    text: { columns: ["display", "code"] },
    // every analyte the query shows of the panels the page names (by their smallest id)
    rows: ({ patientId, shown, ids }) =>
      Prisma.sql`SELECT t.id, t."occurredAt", t."facilityId", t.code, t."codeSystem", t.display, t."valueNumeric", t."valueText", t.unit, t.flag, t."refText", t."refLow", t."refHigh"
        FROM "LabResult" t WHERE ${shown}
        AND (t."occurredAt", t."facilityId") IN (SELECT r."occurredAt", r."facilityId" FROM "LabResult" r WHERE r."patientId" = ${patientId} AND r.id IN (${ids}))`,
    order: "x.code, x.id",
    dates: ["occurredAt"],
    numbers: ["valueNumeric", "refLow", "refHigh"],
    entries: (results: Parameters<typeof labPanelEntry>[0]) => {
      const panels = new Map<string, typeof results>();
      for (const r of results) {
        const key = `${r.facilityId}|${r.occurredAt.toISOString()}`;
        panels.set(key, [...(panels.get(key) ?? []), r]);
      }
      return [...panels.values()].map((analytes) => labPanelEntry(analytes));
    },
  },
  checkup: {
    table: "Checkup",
    text: { columns: ["programme"], items: { table: "CheckupItem", parent: "checkupId" } },
    rows: ({ named }) => rowsWithItems("Checkup", "CheckupItem", "checkupId", named, `i.code, i.id`),
    dates: ["occurredAt", "recordedAt"],
    entries: (rows: (Checkup & { items: CheckupItem[] })[]) => {
      return rows.map((r) => ({
        kind: "checkup",
        id: r.id,
        occurredAt: r.occurredAt.toISOString(),
        endedAt: null,
        facilityId: r.facilityId,
        summary: r.programme,
        tag: r.items.some((i) => isWarningFlag(i.flag)) ? "ABNORMAL" : null,
        codes: r.items.map((i): Code => [i.codeSystem, i.code]),
        detail: r.items.map((i): [string, DetailValue] => [i.display, [`${measuredText(i.code, i.valueNumeric, i.valueText)}${i.unit ? ` ${i.unit}` : ""}`, ...flagPart(i.flag)]]),
      }));
    },
  },
  allergy: {
    table: "Allergy",
    text: { columns: ["display", "reaction"] },
    rows: ({ named }) => rowsOf("Allergy", named),
    dates: ["occurredAt", "recordedAt"],
    entries: (rows: Allergy[]) =>
      rows.map((r) => ({
        kind: "allergy",
        id: r.id,
        occurredAt: r.occurredAt.toISOString(),
        ...(r.occurredPrecision ? { datePrecision: r.occurredPrecision } : {}),
        endedAt: null,
        facilityId: r.facilityId,
        summary: `${r.display}${r.reaction ? `（${r.reaction}）` : ""}`,
        tag: r.kind,
        codes: r.code ? [[r.codeSystem ?? "local", r.code]] : [],
        detail: [
          ["severity", [{ severity: r.severity }]],
          ["reaction", r.reaction],
        ],
      })),
  },
  procedure: {
    table: "Procedure",
    text: { columns: ["display", "note"] },
    rows: ({ named }) => rowsOf("Procedure", named),
    dates: ["occurredAt", "recordedAt"],
    entries: (rows: Procedure[]) =>
      rows.map((r) => ({
        kind: "procedure",
        id: r.id,
        occurredAt: r.occurredAt.toISOString(),
        endedAt: null,
        facilityId: r.facilityId,
        summary: r.display,
        tag: r.kind,
        codes: r.code ? [[r.codeSystem ?? "local", r.code]] : [],
        detail: [["note", r.note]],
      })),
  },
  document: {
    table: "Document",
    text: { columns: ["title", "body", "authorName"] },
    // not the body: a letter can be long, and the row shows its title
    rows: ({ named }) => rowsOf("Document", named, Prisma.sql`t.id, t."occurredAt", t."facilityId", t.title, t.kind::text AS kind, t.uninformed, t."authorName", t.recipient`),
    dates: ["occurredAt"],
    entries: (rows: Omit<Document, "body">[]) =>
      rows.map((r) => ({
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
  },
};

/** The quoted table name as SQL (from the fixed list above, never from input). */
export const tableOf = (kind: RecordKind): Prisma.Sql => Prisma.raw(`"${KINDS[kind].table}"`);

/**
 * A kind's resources in SQL: its table `t`, joined to its item rows `i` where it has them (a
 * prescription's drugs, a checkup's items: each item is a resource of its own), and the id of each
 * resource (the item's, else the row's). The join names the patient, as every patient-keyed statement does.
 */
export function resourcesOf(kind: RecordKind): { from: Prisma.Sql; id: Prisma.Sql; rank: Prisma.Sql } {
  const items = KINDS[kind].text.items;
  if (!items) return { from: Prisma.sql`FROM ${tableOf(kind)} t`, id: Prisma.sql`t.id`, rank: Prisma.sql`0` };
  return {
    from: Prisma.sql`FROM ${tableOf(kind)} t JOIN ${Prisma.raw(`"${items.table}"`)} i ON i."patientId" = t."patientId" AND i.${Prisma.raw(`"${items.parent}"`)} = t.id`,
    id: Prisma.sql`i.id`,
    // a prescription's drugs in Rp order, as written on it (then by id); a checkup's items by id
    rank: items.rank ? Prisma.raw(`i."${items.rank}"`) : Prisma.sql`0`,
  };
}
