/**
 * The bench and soak databases: a fresh "<db>_<suffix>" next to DATABASE_URL, migrated, with the demo
 * network, filler patients up to `patients` and (for the bench) the heavy patient. DATABASE_URL is
 * pointed at it before anything in lib/ reads its configuration (lib/env caches it on first use),
 * hence the dynamic imports.
 */
import pg from "pg";
import { buildHeavyPatient } from "./heavy";
import { countBench, insertFillers, insertRows, recreateBenchDatabase, type BenchCounts } from "./database";

export const SEEDED_PATIENTS = 200;

export interface BenchDatabase {
  url: string;
  /** a node-postgres client on it, connected */
  client: pg.Client;
  now: Date;
  counts: BenchCounts;
}

export async function prepareBenchDatabase(opts: { suffix: string; patients: number; heavy: boolean }): Promise<BenchDatabase> {
  const url = await recreateBenchDatabase(process.env.DATABASE_URL!, opts.suffix);
  process.env.DATABASE_URL = url;
  const { openAdapter } = await import("../lib/db/adapter");
  const { applyMigrations } = await import("../lib/db/migrate");
  const { getDb } = await import("../lib/db/client");
  const { seed, defaultNow } = await import("../prisma/seed/index");
  const adapter = await openAdapter();
  try {
    await applyMigrations(adapter.migrationFactory);
  } finally {
    await adapter.close();
  }
  const now = defaultNow();
  await seed(await getDb(), { patients: SEEDED_PATIENTS, now });
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await insertFillers(client, opts.patients - SEEDED_PATIENTS - (opts.heavy ? 1 : 0), now);
  if (opts.heavy) await insertRows(client, buildHeavyPatient(now));
  await client.query("ANALYZE");
  return { url, client, now, counts: await countBench(client) };
}

/**
 * Every patient whose newest consent at `facilityId` is active: the patients a clinician there may
 * open, the many-patient mix that the bench and the soak draw their views from.
 */
export async function consentedPatients(client: pg.Client, facilityId: string): Promise<string[]> {
  const { rows } = await client.query(
    `SELECT c."patientId" AS id FROM (
       SELECT DISTINCT ON ("patientId") "patientId", status FROM "Consent" WHERE "facilityId" = $1 ORDER BY "patientId", "capturedAt" DESC
     ) c WHERE c.status = 'ACTIVE' ORDER BY 1`,
    [facilityId],
  );
  return rows.map((r) => r.id as string);
}
