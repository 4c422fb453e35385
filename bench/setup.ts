/**
 * The bench and soak databases: a fresh "<db>_<suffix>" next to DATABASE_URL (or, for the small preset,
 * a fresh PGlite directory in a temporary folder), migrated, with the demo network, filler patients up
 * to `patients` and (for the bench) the heavy patient. DATABASE_URL (or PGLITE_DIR) is pointed at it
 * before anything in lib/ reads its configuration (lib/env caches it on first use), hence the dynamic
 * imports.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { buildHeavyPatient, HEAVY_ID } from "./heavy";
import { countBench, insertFillers, withoutSecondaryIndexes, insertRows, recreateBenchDatabase, ts, type BenchCounts, type SqlClient } from "./database";
import { progressBar } from "./progress";

export const SEEDED_PATIENTS = 200;

export interface BenchDatabase {
  url: string;
  /** a node-postgres client on it, connected */
  client: pg.Client;
  now: Date;
  counts: BenchCounts;
  /** seconds spent generating the filler patients, and their clinical rows per second */
  fill: FillFigures;
}

export interface FillFigures {
  seconds: number;
  rowsPerS: number;
}

/** The schema and the demo network (with `patients` seeded patients) on the database lib/db points at. */
export async function migrateAndSeed(now: Date, patients = SEEDED_PATIENTS): Promise<void> {
  const { openAdapter } = await import("../lib/db/adapter");
  const { applyMigrations } = await import("../lib/db/migrate");
  const { getDb } = await import("../lib/db/client");
  const { seed } = await import("../prisma/seed/index");
  const adapter = await openAdapter();
  try {
    await applyMigrations(adapter.migrationFactory);
  } finally {
    await adapter.close();
  }
  await seed(await getDb(), { patients, now });
}

/** Fillers (with a progress bar), the heavy patient, statistics; what was made. */
async function fill(c: SqlClient, opts: { patients: number; heavy: boolean; lanes?: readonly SqlClient[] }, now: Date): Promise<{ counts: BenchCounts; fill: FillFigures }> {
  const fillers = opts.patients - SEEDED_PATIENTS - (opts.heavy ? 1 : 0);
  const t0 = performance.now();
  let rows = 0;
  if (fillers > 0) {
    const bar = progressBar("filler patients", fillers, "patients");
    await withoutSecondaryIndexes(c, () =>
      insertFillers(opts.lanes ?? c, fillers, now, (p) => {
        rows = p.rows;
        bar(p.patients, p.rows);
      }),
    );
  }
  const seconds = (performance.now() - t0) / 1000;
  if (opts.heavy) await insertRows(c, buildHeavyPatient(now));
  await c.query("ANALYZE");
  return { counts: await countBench(c), fill: { seconds: Math.round(seconds * 10) / 10, rowsPerS: seconds > 0 ? Math.round(rows / seconds) : 0 } };
}

/**
 * `lanes`: connections that generate the filler patients at once (default 1). The database does the
 * work, so more lanes than the server's cores gain nothing.
 */
export async function prepareBenchDatabase(opts: { suffix: string; patients: number; heavy: boolean; lanes?: number }): Promise<BenchDatabase> {
  const url = await recreateBenchDatabase(process.env.DATABASE_URL!, opts.suffix);
  process.env.DATABASE_URL = url;
  const { defaultNow } = await import("../prisma/seed/index");
  const now = defaultNow();
  await migrateAndSeed(now);
  const connect = async () => {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    // generated data is made again on every run: not worth waiting for each commit's flush
    await c.query("SET synchronous_commit = off");
    return c;
  };
  const client = await connect();
  const extra = await Promise.all(Array.from({ length: Math.max(0, (opts.lanes ?? 1) - 1) }, connect));
  try {
    const made = await fill(client, { ...opts, lanes: [client, ...extra] }, now);
    await client.query("RESET synchronous_commit");
    return { url, client, now, ...made };
  } finally {
    await Promise.all(extra.map((c) => c.end()));
  }
}

export interface EmbeddedBenchDatabase {
  dir: string;
  now: Date;
  counts: BenchCounts;
  fill: FillFigures;
  /** the many-patient mix for doctor1's facility */
  mix: string[];
  /** deletes the directory (after closeDb()) */
  remove(): void;
}

/**
 * The small preset's database: PGlite in a fresh temporary directory. PGlite is one connection in
 * one process, so the bench fills it through its own handle, closes that, and lib/db opens it again
 * for the measurements; nothing can read it beside the app's client afterwards (no SQL floor, no
 * second process such as `next start`).
 */
export async function prepareEmbeddedBenchDatabase(opts: { patients: number; facilityId: string; userId: string }): Promise<EmbeddedBenchDatabase> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tsunagu-bench-"));
  const remove = () => fs.rmSync(dir, { recursive: true, force: true });
  try {
    return await fillEmbedded(dir, opts, remove);
  } catch (e) {
    remove();
    throw e;
  }
}

async function fillEmbedded(dir: string, opts: { patients: number; facilityId: string; userId: string }, remove: () => void): Promise<EmbeddedBenchDatabase> {
  delete process.env.DATABASE_URL;
  process.env.PGLITE_DIR = path.join(dir, "pglite");
  const { defaultNow } = await import("../prisma/seed/index");
  const { closeDb } = await import("../lib/db/client");
  const now = defaultNow();
  await migrateAndSeed(now);
  await closeDb();
  const { PGlite } = await import("@electric-sql/pglite");
  const db = await PGlite.create(process.env.PGLITE_DIR);
  try {
    const made = await fill(db, { patients: opts.patients, heavy: true }, now);
    const mix = await consentedPatients(db, opts.facilityId);
    await grantEmergencyAccess(db, opts.userId, opts.facilityId, [HEAVY_ID, ...mix]);
    return { dir, now, ...made, mix, remove };
  } finally {
    await db.close();
  }
}

/**
 * Every patient whose newest consent at `facilityId` is active: the patients a clinician there may
 * open, the many-patient mix that the bench and the soak draw their views from.
 */
export async function consentedPatients(client: SqlClient, facilityId: string): Promise<string[]> {
  const { rows } = await client.query(
    `SELECT c."patientId" AS id FROM (
       SELECT DISTINCT ON ("patientId") "patientId", status FROM "Consent" WHERE "facilityId" = $1 ORDER BY "patientId", "capturedAt" DESC
     ) c WHERE c.status = 'ACTIVE' ORDER BY 1`,
    [facilityId],
  );
  return rows.map((r) => r.id as string);
}

/**
 * An active break-glass grant of `userId` for each patient, so that the emergency page (which reads only
 * under a grant) can be measured for the heavy patient and the mix. Written as data, like the consents:
 * starting a grant through the app asks for a fresh identification and the second factor. A grant does
 * not change what a consented TREATMENT view shows.
 */
export async function grantEmergencyAccess(c: SqlClient, userId: string, facilityId: string, patientIds: readonly string[]): Promise<void> {
  const at = new Date();
  await c.query(
    `INSERT INTO "BreakGlass" ("patientId", id, "userId", "facilityId", reason, "startedAt", "expiresAt")
      SELECT p, 'bg-bench-' || p, $2, $3, 'UNCONSCIOUS', $4::timestamp, $5::timestamp FROM (SELECT DISTINCT unnest($1::text[])) x(p)`,
    [patientIds, userId, facilityId, ts(new Date(at.getTime() - 60_000)), ts(new Date(at.getTime() + 86_400_000))],
  );
}
