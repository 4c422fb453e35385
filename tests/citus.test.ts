// The path to Citus (lib/db/citus.ts), held to Citus's own rules against the migrated schema, since
// Citus itself cannot be installed on these machines (no Debian package): every table placed exactly
// once, every unique key of a distributed table containing its distribution column, and only the
// foreign keys Citus accepts between distributed, reference and coordinator-local tables. The
// placement statements then run against stand-ins for Citus's three functions that check what Citus
// checks first (the table and column exist), and record the calls.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDatabase } from "./helpers/db";
import { CITUS_PLAN, citusStatements, citusViolations, placementOf, readSchemaKeys, type SchemaKey } from "../lib/db/citus";

let ctx: Awaited<ReturnType<typeof freshDatabase>>;
let schema: { tables: string[]; keys: SchemaKey[] };

beforeAll(async () => {
  ctx = await freshDatabase();
  schema = await readSchemaKeys(ctx.db);
}, 120_000);
afterAll(async () => ctx?.close());

describe("placement of every table", () => {
  it("each table of the migrated schema is placed exactly once, and nothing is placed that does not exist", () => {
    expect(schema.tables.filter((t) => placementOf(t) === null), "add these to CITUS_PLAN in lib/db/citus.ts").toEqual([]);
    const listed = [...Object.keys(CITUS_PLAN.distributed), ...CITUS_PLAN.reference, ...CITUS_PLAN.local];
    expect(listed.filter((t) => !schema.tables.includes(t))).toEqual([]);
    expect(new Set(listed).size).toBe(listed.length);
  });

  it("every clinical table (one whose primary key starts with patientId) is distributed by patient", () => {
    const keyedByPatient = schema.keys.filter((k) => k.kind === "primary" && k.columns[0] === "patientId").map((k) => k.table);
    expect(keyedByPatient.length).toBeGreaterThanOrEqual(14);
    for (const t of keyedByPatient) expect(CITUS_PLAN.distributed[t], t).toBe("patientId");
  });
});

describe("Citus's rules", () => {
  it("the migrated schema breaks none: unique keys hold their distribution column, foreign keys only where Citus accepts them", () => {
    expect(schema.keys.filter((k) => k.kind === "foreign").length).toBeGreaterThan(30);
    expect(citusViolations(schema.tables, schema.keys)).toEqual([]);
  });

  it("twin: each rule does catch its violation", () => {
    const fk = (table: string, columns: string[], refTable: string, refColumns: string[], onDelete = "r"): SchemaKey => ({ table, name: `${table}_x_fkey`, kind: "foreign", columns, refTable, refColumns, onDelete, onUpdate: "r" });
    const found = citusViolations(
      ["LabResult", "Facility", "Brand_New"],
      [
        { table: "LabResult", name: "LabResult_code_key", kind: "unique", columns: ["code"] },
        fk("Facility", ["patientId"], "Patient", ["id"]),
        fk("LabResult", ["facilityId", "prescriptionId"], "Prescription", ["facilityId", "id"]),
        fk("LabResult", ["ingestKey"], "IngestDocument", ["sourceKey"]),
        fk("ImportLog", ["patientId"], "Patient", ["id"]),
        fk("Facility", ["importId"], "ImportLog", ["id"], "c"),
      ],
    );
    expect(found).toHaveLength(7);
    for (const bit of ["Brand_New: not placed", "LabResult_code_key", "Facility_x_fkey: reference → distributed", "does not join on the distribution column", "distributed → local", "local → distributed", "cascades"]) {
      expect(found.some((f) => f.includes(bit)), bit).toBe(true);
    }
  });
});

/** a regclass as text ("Patient", public."Patient") → Patient */
const bare = (t: string) => t.replace(/^public\./, "").replace(/^"|"$/g, "");

describe("the placement statements", () => {
  it("run in order against stand-ins of Citus's functions: every table and distribution column resolves", async () => {
    const statements = citusStatements();
    expect(statements.length).toBe(1 + Object.keys(CITUS_PLAN.distributed).length + CITUS_PLAN.reference.length + CITUS_PLAN.local.length);
    await ctx.asOwner(
      `CREATE SCHEMA citus_stub`,
      `CREATE TABLE citus_stub.calls (n serial, fn text, tbl text, col text, colocate text)`,
      `CREATE FUNCTION citus_stub.create_reference_table(t regclass) RETURNS void LANGUAGE sql AS $$ INSERT INTO citus_stub.calls (fn, tbl) VALUES ('reference', t::text) $$`,
      `CREATE FUNCTION citus_stub.citus_add_local_table_to_metadata(t regclass, cascade_via_foreign_keys boolean) RETURNS void LANGUAGE sql AS $$ INSERT INTO citus_stub.calls (fn, tbl) VALUES ('local', t::text) $$`,
      `CREATE FUNCTION citus_stub.create_distributed_table(t regclass, col text, colocate_with text DEFAULT 'default') RETURNS void LANGUAGE plpgsql AS $$
         BEGIN
           IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = t AND attname = col AND NOT attisdropped) THEN
             RAISE EXCEPTION 'column "%" of % does not exist', col, t;
           END IF;
           IF colocate_with <> 'default' AND NOT EXISTS (SELECT 1 FROM citus_stub.calls WHERE fn = 'distributed' AND tbl = colocate_with::regclass::text) THEN
             RAISE EXCEPTION '% is colocated with %, which is not distributed yet', t, colocate_with;
           END IF;
           INSERT INTO citus_stub.calls (fn, tbl, col, colocate) VALUES ('distributed', t::text, col, colocate_with);
         END $$`,
      `SET search_path = citus_stub, public`,
      ...statements,
      `SET search_path = public`,
    );
    // read as the owner: the app's role has no rights on the stand-ins' schema
    await ctx.asOwner(`CREATE TABLE public.citus_stub_calls AS SELECT * FROM citus_stub.calls`, ...(ctx.ownerUrl ? [`GRANT SELECT ON public.citus_stub_calls TO PUBLIC`] : []));
    const calls = await ctx.db.$queryRawUnsafe<{ fn: string; tbl: string; col: string | null }[]>(`SELECT fn, tbl, col FROM public.citus_stub_calls ORDER BY n`);
    expect(calls.filter((c) => c.fn === "distributed").map((c) => [bare(c.tbl), c.col])).toEqual(Object.entries(CITUS_PLAN.distributed));
    expect(calls.filter((c) => c.fn === "reference").map((c) => bare(c.tbl))).toEqual([...CITUS_PLAN.reference]);
    expect(calls.filter((c) => c.fn === "local").map((c) => bare(c.tbl))).toEqual([...CITUS_PLAN.local]);
    // reference tables before any distributed table points at them
    expect(calls.findIndex((c) => c.fn === "distributed")).toBeGreaterThan(calls.findLastIndex((c) => c.fn === "reference"));
  });
});
