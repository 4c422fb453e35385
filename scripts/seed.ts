// npm run db:seed [-- --patients N] [--now YYYY-MM-DD] [--verbose]
// Seeds the synthetic demo network (facilities, demo accounts, patients). Idempotent: a second run
// changes nothing. Assumes the database is migrated (npm run db:migrate; `npm start` does both).
// Demo accounts share a published password, so this refuses to run with NODE_ENV=production.
// --auto dev|start (used by `npm run dev` / `npm start`): seeds only in dev, only a database on this
// machine (lib/deployment autoSeedSkipReason) and only one with no patients, so restarts are instant.
import { closeDb, dbEngine, getDb } from "../lib/db/client";
import { env } from "../lib/env";
import { autoSeedSkipReason } from "../lib/deployment/local-database";
import { seed } from "../prisma/seed/index";

function usage(msg: string): never {
  console.error(`${msg}\nusage: tsx scripts/seed.ts [--patients N] [--now YYYY-MM-DD] [--verbose] [--auto dev|start]`);
  process.exit(2);
}

const args = process.argv.slice(2);
let patients: number | undefined;
let now: Date | undefined;
let verbose = false;
let auto: "dev" | "start" | undefined;
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  if (a === "--patients") {
    const n = Number(args[++i]);
    if (!Number.isInteger(n) || n < 5 || n > 100_000) usage("--patients must be an integer from 5 to 100000");
    patients = n;
  } else if (a === "--now") {
    const v = args[++i] ?? "";
    if (!/^\d{4}-\d{2}-\d{2}$/.test(v) || Number.isNaN(Date.parse(`${v}T00:00:00Z`))) usage("--now must be a date YYYY-MM-DD");
    now = new Date(`${v}T00:00:00Z`);
  } else if (a === "--verbose") verbose = true;
  else if (a === "--auto") {
    const m = args[++i];
    if (m !== "dev" && m !== "start") usage("--auto must be dev or start");
    auto = m;
  }
  else usage(`unknown argument ${a}`);
}

const skip = auto && autoSeedSkipReason(auto, { DATABASE_URL: env().DATABASE_URL, TSUNAGU_SEED: process.env.TSUNAGU_SEED });
if (skip) {
  console.log(`demo seed skipped: ${skip}`);
  process.exit(0);
}

if (process.env.NODE_ENV === "production") {
  console.error("Refusing to seed: NODE_ENV=production, and the demo accounts share a published password.");
  process.exit(1);
}

try {
  const started = Date.now();
  const db = await getDb();
  if (auto && (await db.patient.count()) > 0) {
    console.log("database already has patients; demo seed skipped");
  } else {
    const r = await seed(db, { patients, now, log: verbose ? (s) => console.log(s) : undefined });
    const engine = await dbEngine();
    console.log(`seeded (${engine}) in ${((Date.now() - started) / 1000).toFixed(1)}s: ${r.facilities} facilities, ${r.users} users, ${r.patients} patients, ${r.records} records`);
  }
} catch (e) {
  console.error(e instanceof Error ? e.message : e);
  process.exitCode = 1;
} finally {
  await closeDb();
}
