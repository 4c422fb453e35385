// npm run db:citus [-- --check]   — distribute a migrated Tsunagu database over its Citus cluster.
//
// Run once on the coordinator, as the tables' owner (TSUNAGU_MIGRATION_DATABASE_URL, else
// DATABASE_URL), after `npm run db:migrate` and after the workers are added (citus_add_node).
// It first checks the schema against Citus's rules under lib/db/citus.ts's plan, and stops with one
// line per problem rather than leave a half-distributed database; then it places every table: clinical
// tables distributed by patient id and colocated with Patient, facilities and users as reference
// tables, the ingest ledger, sessions and the audit trail on the coordinator. `--check` only checks.
// Later migrations run on the coordinator as before; Citus propagates DDL to the shards.
import pg from "pg";
import { citusStatements, citusViolations, readSchemaKeys } from "../lib/db/citus";
import { env } from "../lib/env";

const checkOnly = process.argv.includes("--check");
const e = env();
const url = e.TSUNAGU_MIGRATION_DATABASE_URL ?? e.DATABASE_URL;
if (!url) {
  console.error("npm run db:citus needs PostgreSQL with Citus: set DATABASE_URL (and TSUNAGU_MIGRATION_DATABASE_URL for the owner). The embedded PGlite cannot be distributed.");
  process.exit(2);
}
const client = new pg.Client({ connectionString: url });
await client.connect();
const asDb = { $queryRawUnsafe: async <T>(sql: string) => (await client.query(sql)).rows as T };
try {
  const { tables, keys } = await readSchemaKeys(asDb);
  if (!tables.includes("_prisma_migrations")) throw new Error("this database is not migrated: run npm run db:migrate first");
  const problems = citusViolations(tables, keys);
  if (problems.length) {
    console.error(`Citus would refuse this schema (${problems.length}):\n  ${problems.join("\n  ")}`);
    process.exit(1);
  }
  console.log(`schema ok for Citus: ${tables.length} tables, ${keys.length} keys checked`);
  if (checkOnly) process.exit(0);
  const citus = await client.query(`SELECT extversion FROM pg_extension WHERE extname = 'citus'`);
  if (!citus.rowCount) throw new Error("the citus extension is not installed in this database: CREATE EXTENSION citus (as a superuser), add the workers, then run this again");
  const placed = await client.query(`SELECT logicalrelid::text AS t FROM pg_dist_partition`);
  if (placed.rowCount) throw new Error(`already distributed (${placed.rows.map((r) => r.t).join(", ")}): nothing done`);
  // one transaction: Citus places all tables or none
  await client.query("BEGIN");
  for (const s of citusStatements()) {
    console.log(s);
    await client.query(s);
  }
  await client.query("COMMIT");
  console.log(`distributed ${citusStatements().length} tables (citus ${citus.rows[0].extversion})`);
} catch (err) {
  await client.query("ROLLBACK").catch(() => undefined);
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
} finally {
  await client.end();
}
