// Offline equivalent of `prisma migrate dev --create-only`: replays the existing migrations in a
// throw-away in-memory PGlite and writes the SQL still missing to reach prisma/schema.prisma.
// Usage: npm run db:migration:new -- <name>
import fs from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { MIGRATIONS_DIR, NO_FILTERS, SCHEMA_PATH, readMigrationsList, schemaEngine } from "../lib/db/schema-engine";

const name = (process.argv[2] ?? "").replace(/[^a-z0-9_]/gi, "_");
if (!name) {
  console.error("usage: npm run db:migration:new -- <name>");
  process.exit(2);
}
const pg = new PGlite();
const engine = await schemaEngine(new PrismaPGlite(pg));
const list = readMigrationsList();
const result = await engine.diff({
  from: list.migrationDirectories.length ? { tag: "migrations", ...list } : { tag: "empty" },
  to: { tag: "schemaDatamodel", files: [{ path: SCHEMA_PATH, content: fs.readFileSync(SCHEMA_PATH, "utf8") }] },
  script: true,
  exitCode: null,
  filters: NO_FILTERS,
});
await pg.close();
const sql = (result.stdout ?? "").trim();
if (!sql || /^-- This is an empty migration/.test(sql)) {
  console.log("schema and migrations agree; nothing to write");
  process.exit(0);
}
const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
const dir = path.join(MIGRATIONS_DIR, `${stamp}_${name}`);
fs.mkdirSync(dir, { recursive: true });
fs.writeFileSync(path.join(dir, "migration.sql"), sql + "\n");
const lock = path.join(MIGRATIONS_DIR, "migration_lock.toml");
if (!fs.existsSync(lock)) fs.writeFileSync(lock, 'provider = "postgresql"\n');
console.log(`wrote ${path.relative(process.cwd(), dir)}/migration.sql`);
