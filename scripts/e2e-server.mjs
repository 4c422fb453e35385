// The server Playwright tests run against: a production build (`next build` has run before) on a
// fresh database seeded with the demo network — a new PGlite directory, or, when DATABASE_URL is set,
// a new database "<name>_e2e" on that PostgreSQL server.
// It seeds the demo accounts on purpose (scripts/seed.ts, before the server opens the database) and
// serves them with NODE_ENV=production. The production refusal of demo accounts (lib/startup) lets it:
// the database is an e2e one, the same test that admits TSUNAGU_TEST_CLOCK (lib/env isE2eDatabase).
import fs from "node:fs";
import { spawn, spawnSync } from "node:child_process";
import pg from "pg";

const port = process.env.E2E_PORT ?? "3100";
const env = { ...process.env, NODE_ENV: "test", PORT: port, NEXTAUTH_URL: `http://localhost:${port}`, NEXTAUTH_SECRET: "e2e-secret-not-for-production-use", TSUNAGU_TEST_CLOCK: "1" };

// The audit trail's keyed checkpoints start afresh with the database (a production start needs the key).
env.TSUNAGU_AUDIT_KEY = "e2e-audit-key-not-for-production-use";
env.TSUNAGU_AUDIT_CHECKPOINT_FILE = ".data/e2e-audit-checkpoints.jsonl";
fs.rmSync(env.TSUNAGU_AUDIT_CHECKPOINT_FILE, { force: true });

if (process.env.DATABASE_URL) {
  // With TSUNAGU_MIGRATION_DATABASE_URL (CI), the owner creates and migrates the database and the
  // server runs as DATABASE_URL's restricted role, as in production.
  const ownerBase = process.env.TSUNAGU_MIGRATION_DATABASE_URL || process.env.DATABASE_URL;
  const e2e = (u) => {
    const url = new URL(u);
    url.pathname = `/${url.pathname.slice(1)}_e2e`;
    return url.toString();
  };
  const name = new URL(e2e(process.env.DATABASE_URL)).pathname.slice(1);
  const admin = new pg.Client({ connectionString: ownerBase });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  env.DATABASE_URL = e2e(process.env.DATABASE_URL);
  if (process.env.TSUNAGU_MIGRATION_DATABASE_URL) env.TSUNAGU_MIGRATION_DATABASE_URL = e2e(ownerBase);
} else {
  env.PGLITE_DIR = ".data/e2e";
  // one server process on this machine: exactly what embedded production is for (README)
  env.TSUNAGU_EMBEDDED_PRODUCTION = "1";
  fs.rmSync(env.PGLITE_DIR, { recursive: true, force: true });
}

for (const script of ["scripts/migrate.ts", "scripts/seed.ts"]) {
  const r = spawnSync(process.execPath, ["--import", "tsx", script], { stdio: "inherit", env });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

// The server never holds the owner's credentials: only the migrate step needs them.
const serverEnv = { ...env };
delete serverEnv.TSUNAGU_MIGRATION_DATABASE_URL;
const child = spawn(process.execPath, ["node_modules/next/dist/bin/next", "start", "-p", port], { stdio: "inherit", env: { ...serverEnv, NODE_ENV: "production" } });
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => child.kill(sig));
child.on("exit", (code) => process.exit(code ?? 0));
