/**
 * How Tsunagu's tables spread over a Citus cluster when a network outgrows one PostgreSQL server
 * (DESIGN.md, Scale). Every table is placed explicitly, so a new table cannot slip onto a node by
 * default: tests/citus.test.ts fails until it is listed here, and holds every placement to Citus's
 * rules against the migrated schema.
 *
 * - Distributed by patient: every clinical table, colocated with Patient. Each row's primary key
 *   starts with patientId and every hot query names one patient (tests/shard-key.test.ts), so a view
 *   of a patient is routed to the one node that holds the whole record.
 * - Reference (a copy on every node): small, read with every view, rarely written — facilities and
 *   users, which clinical rows and grants point at.
 * - Local to the coordinator: what is keyed by something other than a Tsunagu patient. The ingest
 *   ledger and its queues are found by the sender's key (facility, file or Bundle identifier) before
 *   any patient is known; sessions, API tokens and throttles are written on every request and need no copy on
 *   each node; the audit trail keeps its append-only triggers there (Citus runs triggers on local
 *   tables as PostgreSQL does) and its 65 chains still spare it a global lock.
 */
export const CITUS_PLAN = {
  /** distribution column per table; all colocated with Patient */
  distributed: {
    Patient: "id",
    PatientLink: "patientId",
    Consent: "patientId",
    Encounter: "patientId",
    Condition: "patientId",
    Prescription: "patientId",
    PrescriptionItem: "patientId",
    LabResult: "patientId",
    Checkup: "patientId",
    CheckupItem: "patientId",
    Allergy: "patientId",
    PatientContact: "patientId",
    Procedure: "patientId",
    Document: "patientId",
    BreakGlass: "patientId",
    WarningAcknowledgement: "patientId",
    // derived counts, kept by triggers on the record tables: colocated, each trigger writes only its
    // own shard's patients (Citus runs such triggers with citus.enable_unsafe_triggers on)
    RecordMapCount: "patientId",
    RecordMapYear: "patientId",
  } as Readonly<Record<string, string>>,
  reference: ["Facility", "User", "RecoveryCode", "DisasterMode", "FacilityApiKey"] as readonly string[],
  local: ["Session", "ApiToken", "LoginThrottle", "IngestDocument", "IdentityCandidate", "HeldDocument", "ImportLog", "AuditEvent", "_prisma_migrations"] as readonly string[],
} as const;

const quote = (table: string) => `'public."${table.replace(/"/g, '""')}"'`;

/**
 * The statements that place every table, in an order Citus accepts: reference tables first (the
 * distributed ones point at them), Patient before the tables colocated with it, local tables last.
 * Run once, as the owner, on the coordinator of a migrated database (scripts/citus.ts).
 */
export function citusStatements(): string[] {
  const { distributed, reference, local } = CITUS_PLAN;
  const tables = Object.keys(distributed);
  return [
    // the record tables carry triggers (RecordMapCount): Citus distributes them only when told to
    `SET citus.enable_unsafe_triggers = on`,
    ...reference.map((t) => `SELECT create_reference_table(${quote(t)})`),
    ...tables.map((t) =>
      t === "Patient"
        ? `SELECT create_distributed_table(${quote(t)}, '${distributed[t]}')`
        : `SELECT create_distributed_table(${quote(t)}, '${distributed[t]}', colocate_with => ${quote("Patient")})`,
    ),
    ...local.map((t) => `SELECT citus_add_local_table_to_metadata(${quote(t)}, cascade_via_foreign_keys => false)`),
  ];
}

export type Placement = "distributed" | "reference" | "local";

export function placementOf(table: string): Placement | null {
  if (table in CITUS_PLAN.distributed) return "distributed";
  if (CITUS_PLAN.reference.includes(table)) return "reference";
  if (CITUS_PLAN.local.includes(table)) return "local";
  return null;
}

/** A primary key, unique constraint, unique index or foreign key of a table in the public schema. */
export interface SchemaKey {
  table: string;
  name: string;
  kind: "primary" | "unique" | "foreign";
  columns: string[];
  refTable?: string;
  refColumns?: string[];
  /** pg_constraint's action codes: c = cascade, r = restrict, a = no action, n = set null */
  onDelete?: string;
  onUpdate?: string;
}

/**
 * What Citus would refuse in this schema under CITUS_PLAN, one line per problem (none: it can be
 * distributed). Citus's rules: a unique key of a distributed table contains its distribution column;
 * a foreign key joins distributed tables on their distribution columns, or points from a distributed
 * or local table at a reference table, or between local tables; a reference table points only at
 * reference tables (or, without cascading, at local ones).
 */
export function citusViolations(tables: readonly string[], keys: readonly SchemaKey[]): string[] {
  const out: string[] = [];
  for (const t of tables) if (!placementOf(t)) out.push(`${t}: not placed in CITUS_PLAN (lib/db/citus.ts)`);
  const dist = CITUS_PLAN.distributed;
  for (const k of keys) {
    if (k.kind !== "foreign") {
      const column = dist[k.table];
      if (column && !k.columns.includes(column)) out.push(`${k.table}.${k.name} (${k.columns.join(", ")}): a unique key without the distribution column ${column}`);
      continue;
    }
    const from = placementOf(k.table);
    const to = placementOf(k.refTable!);
    const where = `${k.table}.${k.name}: ${from} → ${to} ${k.refTable}`;
    if (from === "distributed" && to === "distributed") {
      const at = k.columns.indexOf(dist[k.table]!);
      if (at < 0 || k.refColumns?.[at] !== dist[k.refTable!]) out.push(`${where} does not join on the distribution column`);
    } else if (from === "distributed" && to !== "reference") out.push(where);
    else if (from === "reference" && to === "local" && (k.onDelete === "c" || k.onUpdate === "c")) out.push(`${where} cascades`);
    else if (from === "reference" && to !== "reference" && to !== "local") out.push(where);
    else if (from === "local" && to === "distributed") out.push(where);
  }
  return out;
}

type Raw = { $queryRawUnsafe<T>(sql: string): Promise<T> };

/** The tables and keys of the public schema, from PostgreSQL's catalogue (PGlite's too). */
export async function readSchemaKeys(db: Raw): Promise<{ tables: string[]; keys: SchemaKey[] }> {
  const tables = (await db.$queryRawUnsafe<{ t: string }[]>(`SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`)).map((r) => r.t);
  const cols = (rel: string, nums: string) => `array(SELECT a.attname::text FROM unnest(${nums}) WITH ORDINALITY k(n, i) JOIN pg_attribute a ON a.attrelid = ${rel} AND a.attnum = k.n ORDER BY k.i)`;
  const constraints = await db.$queryRawUnsafe<{ table: string; name: string; type: string; columns: string[]; refTable: string | null; refColumns: string[] | null; onDelete: string; onUpdate: string }[]>(`
    SELECT t.relname::text AS "table", c.conname::text AS name, c.contype::text AS type, ${cols("c.conrelid", "c.conkey")} AS columns,
           r.relname::text AS "refTable", CASE WHEN c.confrelid = 0 THEN NULL ELSE ${cols("c.confrelid", "c.confkey")} END AS "refColumns",
           c.confdeltype::text AS "onDelete", c.confupdtype::text AS "onUpdate"
      FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace
      LEFT JOIN pg_class r ON r.oid = c.confrelid
     WHERE n.nspname = 'public' AND c.contype IN ('p', 'u', 'f')`);
  const indexes = await db.$queryRawUnsafe<{ table: string; name: string; columns: string[] }[]>(`
    SELECT t.relname::text AS "table", x.relname::text AS name, ${cols("i.indrelid", "i.indkey::int2[]")} AS columns
      FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid JOIN pg_class x ON x.oid = i.indexrelid JOIN pg_namespace n ON n.oid = t.relnamespace
     WHERE n.nspname = 'public' AND i.indisunique`);
  const kind = (t: string) => (t === "p" ? "primary" : t === "u" ? "unique" : "foreign") as SchemaKey["kind"];
  return {
    tables,
    keys: [
      ...constraints.map((c) => ({ table: c.table, name: c.name, kind: kind(c.type), columns: c.columns, ...(c.refTable ? { refTable: c.refTable, refColumns: c.refColumns ?? [], onDelete: c.onDelete, onUpdate: c.onUpdate } : {}) })),
      ...indexes.map((i) => ({ table: i.table, name: i.name, kind: "unique" as const, columns: i.columns })),
    ],
  };
}
