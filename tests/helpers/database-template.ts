// Vitest's global setup: one migrated database per run, which every test file's freshDatabase copies
// (tests/helpers/db.ts) instead of migrating its own. Running the 30-odd migrations through the schema
// engine cost each file about 2 s on PGlite (initdb included) and 1 s on PostgreSQL, over 80 files;
// copying costs a fraction. The template is built by the same migrate step the app runs, so a file
// still starts from exactly what `npm run db:migrate` makes; tests/migrations.test.ts migrates an
// empty database itself.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { withDatabase } from "./database-url";

declare module "vitest" {
  export interface ProvidedContext {
    /** a migrated PGlite directory to copy, or a PostgreSQL database to CREATE DATABASE … TEMPLATE from */
    databaseTemplate: { pgliteDir: string } | { database: string } | null;
  }
}

/** Runs the app's migrate step with the environment pointed at `at` for its duration only. */
async function migrateWith(at: Record<string, string | undefined>) {
  const saved = Object.fromEntries(Object.keys(at).map((k) => [k, process.env[k]]));
  const point = (values: Record<string, string | undefined>) => {
    for (const [k, v] of Object.entries(values)) if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  };
  const { forgetEnv } = await import("../../lib/env");
  const { migrateDatabase } = await import("../../lib/db/migrate");
  point(at);
  forgetEnv();
  try {
    await migrateDatabase();
  } finally {
    point(saved);
    forgetEnv();
  }
}

export default async function setup(project: TestProject) {
  const app = process.env.DATABASE_URL;
  const owner = process.env.TSUNAGU_MIGRATION_DATABASE_URL;
  if (!app) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tsunagu-template-"));
    const pgliteDir = path.join(dir, "pglite");
    await migrateWith({ PGLITE_DIR: pgliteDir });
    project.provide("databaseTemplate", { pgliteDir });
    return () => fs.rmSync(dir, { recursive: true, force: true });
  }
  const ownerBase = owner || app;
  const database = `tsunagu_template_${process.pid}_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: ownerBase });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  await admin.end();
  await migrateWith({ DATABASE_URL: withDatabase(app, database), ...(owner ? { TSUNAGU_MIGRATION_DATABASE_URL: withDatabase(owner, database) } : {}) });
  project.provide("databaseTemplate", { database });
  return async () => {
    const c = new pg.Client({ connectionString: ownerBase });
    await c.connect();
    try {
      await c.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    } finally {
      await c.end();
    }
  };
}
