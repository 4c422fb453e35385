import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { inject } from "vitest";
import { withDatabase } from "./database-url";

/**
 * A fresh, migrated database for one test file, on the engine this run targets: a new PGlite
 * directory, or (when DATABASE_URL is set, as in CI's PostgreSQL pass) a new database on that server.
 * With TSUNAGU_MIGRATION_DATABASE_URL set too (CI), the database is created and migrated as that
 * owner and the tests run as DATABASE_URL's restricted role, as the app does in production.
 * Call before anything opens lib/db; it points the environment at the new database, and gives it its
 * own audit checkpoint file.
 */
/** The server URLs this run was given, before a freshDatabase pointed the environment at its own database. */
const given = { app: process.env.DATABASE_URL, owner: process.env.TSUNAGU_MIGRATION_DATABASE_URL };
/** where the last freshDatabase pointed the environment */
let pointedAt: { app: string | undefined; owner: string | undefined } | null = null;

/**
 * CREATE DATABASE, as a copy of `template` when given. PostgreSQL refuses to copy a database another
 * session is using at that instant (55006), which a parallel file's copy of the same template can be:
 * wait and ask again.
 */
async function createDatabase(admin: pg.Client, name: string, template: string | null) {
  for (let attempt = 1; ; attempt++) {
    try {
      await admin.query(`CREATE DATABASE ${name}${template ? ` TEMPLATE ${template}` : ""}`);
      return;
    } catch (e) {
      if (attempt >= 40 || (e as { code?: string }).code !== "55006") throw e;
      await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
    }
  }
}

export async function freshDatabase(options: { fromEmpty?: boolean } = {}) {
  // a copy of the run's migrated template (tests/helpers/database-template.ts), unless the test is
  // about migrating an empty database
  const template = options.fromEmpty ? null : (inject("databaseTemplate") ?? null);
  let drop: () => Promise<void>;
  let ownerUrl: string | null = null;
  // a second database in one file (the FHIR round trip) starts from the server given, not the first's;
  // a server the test itself chose (a relay it can cut) stays
  if (pointedAt && process.env.DATABASE_URL === pointedAt.app) {
    if (given.app) process.env.DATABASE_URL = given.app;
    if (given.owner) process.env.TSUNAGU_MIGRATION_DATABASE_URL = given.owner;
  } else {
    given.app = process.env.DATABASE_URL;
    given.owner = process.env.TSUNAGU_MIGRATION_DATABASE_URL;
  }
  const base = process.env.DATABASE_URL;
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "tsunagu-test-"));
  process.env.TSUNAGU_AUDIT_CHECKPOINT_FILE = path.join(scratch, "audit-checkpoints.jsonl");
  if (base) {
    const ownerBase = given.owner || base;
    const name = `tsunagu_test_${process.pid}_${Date.now().toString(36)}`;
    const admin = new pg.Client({ connectionString: ownerBase });
    await admin.connect();
    await createDatabase(admin, name, template && "database" in template ? template.database : null);
    await admin.end();
    process.env.DATABASE_URL = withDatabase(base, name);
    ownerUrl = withDatabase(ownerBase, name);
    if (process.env.TSUNAGU_MIGRATION_DATABASE_URL) process.env.TSUNAGU_MIGRATION_DATABASE_URL = ownerUrl;
    drop = async () => {
      const c = new pg.Client({ connectionString: ownerBase });
      await c.connect();
      try {
        // A backend of the app's role may outlive its closed socket by a moment, and the owner may
        // not terminate another role's backend (WITH (FORCE) then fails): wait for it to go.
        for (let attempt = 1; ; attempt++) {
          try {
            await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
            break;
          } catch (e) {
            if (attempt >= 20 || (e as { code?: string }).code !== "42501") throw e;
            await new Promise((r) => setTimeout(r, 250));
          }
        }
      } finally {
        await c.end();
      }
    };
  } else {
    process.env.PGLITE_DIR = path.join(scratch, "pglite");
    if (template && "pgliteDir" in template) fs.cpSync(template.pgliteDir, process.env.PGLITE_DIR, { recursive: true });
    drop = async () => {};
  }
  pointedAt = { app: process.env.DATABASE_URL, owner: process.env.TSUNAGU_MIGRATION_DATABASE_URL };
  // the configuration is read once per process: this database's, not a previous freshDatabase's
  (await import("../../lib/env")).forgetEnv();
  // a copy of the template is migrated already, its grants to the app's role included
  const applied = template ? [] : (await (await import("../../lib/db/migrate")).migrateDatabase()).applied;
  const client = await import("../../lib/db/client");
  const db = await client.getDb();
  return {
    db,
    applied,
    /** the PostgreSQL URL of the tables' owner (null on PGlite, whose one connection is the superuser's) */
    ownerUrl,
    /**
     * Runs statements as the tables' owner: what tampering tests need, since the app's role may not
     * touch the audit trail. On PGlite that is the app's own (superuser) connection.
     */
    async asOwner(...statements: string[]): Promise<void> {
      if (!ownerUrl) {
        const current = await client.getDb(); // the test may have closed and reopened it
        for (const s of statements) await current.$executeRawUnsafe(s);
        return;
      }
      const c = new pg.Client({ connectionString: ownerUrl });
      await c.connect();
      try {
        for (const s of statements) await c.query(s);
      } finally {
        await c.end();
      }
    },
    async close() {
      await client.closeDb();
      await drop();
      fs.rmSync(scratch, { recursive: true, force: true });
    },
  };
}
