import { Prisma } from "../db/generated/client";
import type { Rec } from "./records";

/**
 * The rows one source document files, gathered while its writer reads it and written in one
 * statement with its ledger entry (lib/ingest/ledger writeLedger), instead of a Prisma createMany per
 * table. A file's cost is its statements: each is a round trip, a Prisma call's CPU (its query
 * compiler), and the server's parse and plan. An imported file was six to eight of them; this makes
 * the records and the ledger one.
 *
 * The rows travel as one jsonb array per table and become the table's rows through
 * jsonb_populate_recordset with the table's own row type, so every value is converted by the
 * column's type exactly as a parameter would be. As with createMany, a field left undefined takes the
 * column's default (rows are grouped by the fields they set), and a null is NULL.
 */
export type RowTable = "LabResult" | "Prescription" | "PrescriptionItem" | "Condition" | "Allergy" | "Document" | "Encounter" | "PatientContact";

type Row = Record<string, unknown>;

/** A column name as written in our own row objects: plain identifiers only, so quoting it is safe. */
const COLUMN = /^[A-Za-z][A-Za-z0-9]*$/;

/** A value as the column's type reads it from JSON: a Date as its UTC time (Prisma's timestamp(3)). */
function jsonValue(column: string, v: unknown): unknown {
  if (v instanceof Date) {
    if (Number.isNaN(v.getTime())) throw new Error(`INVALID_DATE: ${column} is not a date`);
    return v.toISOString();
  }
  // JSON has no NaN or ±Infinity; float8 reads them as text, as it stores them
  if (typeof v === "number" && !Number.isFinite(v)) return String(v);
  if (typeof v === "bigint") return v.toString();
  return v;
}

export class RecordRows {
  /** table → the column list a group of rows sets → those rows */
  private readonly groups = new Map<RowTable, Map<string, { columns: string[]; rows: Row[] }>>();
  /** changes to rows the document does not insert, made in the same statement (see alsoChange) */
  private readonly changes: { update: Prisma.Sql; reads: (held: Rec) => boolean }[] = [];

  add(table: RowTable, rows: readonly Row[]): void {
    let byColumns = this.groups.get(table);
    if (!byColumns) this.groups.set(table, (byColumns = new Map()));
    for (const row of rows) {
      const columns = Object.keys(row).filter((k) => row[k] !== undefined);
      for (const c of columns) if (!COLUMN.test(c)) throw new Error(`BAD_COLUMN: ${table}.${c}`);
      const signature = columns.join(",");
      let group = byColumns.get(signature);
      if (!group) byColumns.set(signature, (group = { columns, rows: [] }));
      group.rows.push(Object.fromEntries(columns.map((c) => [c, jsonValue(c, row[c])])));
    }
  }

  /**
   * A change the document makes to rows it does not insert (an UPDATE), written as one more
   * data-modifying CTE of its statement rather than a statement of its own. Like every CTE of the
   * statement it sees the database as the statement found it: as a statement run just before would,
   * but not the rows this statement inserts, so it must not be about those. `reads` tells which
   * records of documents written before it (lib/ingest/pending-writes holds a batch's) it may read:
   * those must be in the database before it runs.
   */
  alsoChange(update: Prisma.Sql, reads: (held: Rec) => boolean = () => true): void {
    this.changes.push({ update, reads });
  }

  /** Whether a change it makes reads any of these records (alsoChange `reads`). */
  reads(held: readonly Rec[]): boolean {
    return this.changes.some((c) => held.some(c.reads));
  }

  get size(): number {
    let n = 0;
    for (const byColumns of this.groups.values()) for (const g of byColumns.values()) n += g.rows.length;
    return n;
  }

  /**
   * The inserts, as the data-modifying CTEs of a statement (`WITH <these> <main statement>`), or null
   * when there are none; `prefix` keeps their names apart from another document's in the same
   * statement. All of a statement's CTEs run, whether or not the main statement reads them; a
   * PrescriptionItem's foreign key is checked at the statement's end, when its Prescription exists.
   */
  ctes(prefix = ""): Prisma.Sql | null {
    const parts: Prisma.Sql[] = [];
    for (const [table, byColumns] of this.groups) {
      for (const g of byColumns.values()) {
        const cols = Prisma.raw(g.columns.map((c) => `"${c}"`).join(", "));
        parts.push(Prisma.sql`${Prisma.raw(`${prefix}rows_${parts.length}`)} AS (INSERT INTO ${Prisma.raw(`"${table}"`)} (${cols}) SELECT ${cols} FROM jsonb_populate_recordset(NULL::${Prisma.raw(`"${table}"`)}, ${JSON.stringify(g.rows)}::jsonb))`);
      }
    }
    for (const [i, c] of this.changes.entries()) parts.push(Prisma.sql`${Prisma.raw(`${prefix}change_${i}`)} AS (${c.update})`);
    return parts.length ? Prisma.join(parts, ", ") : null;
  }
}
