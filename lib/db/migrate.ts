import type { SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import { NO_FILTERS, readMigrationsList, schemaEngine } from "./schema-engine";
import { openAdapter, type Engine } from "./adapter";
import { grantApplicationRole } from "./roles";

export class MigrationError extends Error {}

/**
 * Applies prisma/migrations/* that the database has not seen, recording them in _prisma_migrations
 * exactly as `prisma migrate deploy` does. A second run applies nothing.
 */
export async function applyMigrations(factory: SqlMigrationAwareDriverAdapterFactory): Promise<string[]> {
  const engine = await schemaEngine(factory);
  try {
    const out = await engine.applyMigrations({ migrationsList: readMigrationsList(), filters: NO_FILTERS });
    return out.appliedMigrationNames;
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    throw new MigrationError(`Database migration failed; the server will not start. ${msg.split("\n").slice(0, 6).join(" ")}`);
  } finally {
    engine.free();
  }
}

export interface Migrated {
  engine: Engine;
  applied: string[];
  /** the PostgreSQL role granted the app's privileges, when migrations ran as a separate owner */
  grantedTo: string | null;
}

/** The migrate step: pending migrations as the owner, then the app role's grants (lib/db/roles.ts). */
export async function migrateDatabase(): Promise<Migrated> {
  const adapter = await openAdapter("owner");
  let applied: string[];
  try {
    applied = await applyMigrations(adapter.migrationFactory);
  } finally {
    await adapter.close();
  }
  return { engine: adapter.engine, applied, grantedTo: await grantApplicationRole() };
}
