import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";

/**
 * A fresh, migrated database for one test file, on the engine this run targets: a new PGlite
 * directory, or (when DATABASE_URL is set, as in CI's PostgreSQL pass) a new database on that server.
 * Call before anything opens lib/db; it points the environment at the new database.
 */
export async function freshDatabase() {
  let drop: () => Promise<void>;
  const base = process.env.DATABASE_URL;
  if (base) {
    const name = `tsunagu_test_${process.pid}_${Date.now().toString(36)}`;
    const admin = new pg.Client({ connectionString: base });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(base);
    url.pathname = `/${name}`;
    process.env.DATABASE_URL = url.toString();
    drop = async () => {
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    };
  } else {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tsunagu-test-"));
    process.env.PGLITE_DIR = dir;
    drop = async () => fs.rmSync(dir, { recursive: true, force: true });
  }
  const { openAdapter } = await import("../../lib/db/adapter");
  const { applyMigrations } = await import("../../lib/db/migrate");
  const adapter = await openAdapter();
  const applied = await applyMigrations(adapter.migrationFactory);
  await adapter.close();
  const client = await import("../../lib/db/client");
  const db = await client.getDb();
  return {
    db,
    applied,
    async close() {
      await client.closeDb();
      await drop();
    },
  };
}
