import path from "node:path";
import fs from "node:fs";
import type { SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import { env } from "../env";
import { watchPool } from "./pressure";
import { statementNamer } from "./statement-names";
import { noteTransactionConnections } from "./transaction-connection";
import { DatabaseInUseError, lockEmbeddedDatabase } from "./pglite-lock";

export { DatabaseInUseError } from "./pglite-lock";

export type Engine = "pglite" | "postgresql";

export interface OpenedAdapter {
  engine: Engine;
  factory: SqlMigrationAwareDriverAdapterFactory;
  /** for the schema engine: like factory, but runs each migration script whole (see below) */
  migrationFactory: SqlMigrationAwareDriverAdapterFactory;
  close(): Promise<void>;
}

/**
 * The driver adapter behind the one Prisma client: embedded PGlite (a data directory under .data/)
 * when DATABASE_URL is unset, PostgreSQL through node-postgres when it is set.
 * `role: "owner"` is for migrations: on PostgreSQL it connects as TSUNAGU_MIGRATION_DATABASE_URL when
 * that is set (the app's own role may not alter tables); PGlite has only its superuser.
 */
export async function openAdapter(role: "app" | "owner" | "replica" = "app"): Promise<OpenedAdapter> {
  const { PGLITE_DIR, TSUNAGU_DB_POOL_SIZE, TSUNAGU_DB_TX_WAIT_MS, TSUNAGU_DB_QUEUE_MAX, ...e } = env();
  const DATABASE_URL = role === "owner" ? (e.TSUNAGU_MIGRATION_DATABASE_URL ?? e.DATABASE_URL) : role === "replica" ? e.DATABASE_REPLICA_URL : e.DATABASE_URL;
  if (role === "replica" && !DATABASE_URL) throw new Error("DATABASE_REPLICA_URL is not set");
  if (DATABASE_URL) {
    const { PrismaPg } = await import("@prisma/adapter-pg");
    const pg = await import("pg");
    // connectionTimeoutMillis: a server that does not answer (or a pool that stays full) fails the
    // request within the transaction wait, instead of after the operating system's TCP timeout
    const pool = new pg.default.Pool({ connectionString: DATABASE_URL, max: TSUNAGU_DB_POOL_SIZE, connectionTimeoutMillis: TSUNAGU_DB_TX_WAIT_MS });
    if (role === "app") watchPool(pool, TSUNAGU_DB_QUEUE_MAX);
    // The app's statements are named: prepared once per connection, not parsed and planned on every
    // view (lib/db/statement-names.ts). A migration's are not (below): its DDL runs once and changes the
    // tables that prepared statements were planned against.
    const name = statementNamer();
    noteTransactionConnections(pool, name);
    const factory = new PrismaPg(pool, { statementNameGenerator: (query) => name(query.sql) as string });
    const unnamed = new PrismaPg(pool);
    // @prisma/adapter-pg's executeScript splits a script on every ";", which breaks any migration
    // holding a function body. node-postgres runs a parameterless multi-statement string as one
    // simple query (one implicit transaction), so a failed migration also leaves nothing half-applied.
    const migrationFactory: SqlMigrationAwareDriverAdapterFactory = {
      provider: unnamed.provider,
      adapterName: unnamed.adapterName,
      connectToShadowDb: () => unnamed.connectToShadowDb(),
      async connect() {
        const adapter = await unnamed.connect();
        adapter.executeScript = async (script: string) => {
          await pool.query(script);
        };
        return adapter;
      },
    };
    return { engine: "postgresql", factory, migrationFactory, close: () => pool.end() };
  }
  const dir = path.resolve(PGLITE_DIR);
  fs.mkdirSync(dir, { recursive: true });
  const { PGlite } = await import("@electric-sql/pglite");
  const { PrismaPGlite } = await import("pglite-prisma-adapter");
  // one process at a time (lib/db/pglite-lock): refused here, before PGlite opens anything
  const unlock = lockEmbeddedDatabase(dir);
  let client: InstanceType<typeof PGlite>;
  try {
    client = await PGlite.create(dir);
  } catch (e) {
    unlock();
    // A second process opening the same directory can also die with a bare `ErrnoError { errno: 20 }`.
    if (String((e as { errno?: unknown })?.errno) === "20" || /ErrnoError/.test(String(e))) throw new DatabaseInUseError(dir);
    throw e;
  }
  const factory = new PrismaPGlite(client);
  return {
    engine: "pglite",
    factory,
    migrationFactory: factory,
    close: async () => {
      try {
        await client.close();
      } finally {
        unlock();
      }
    },
  };
}
