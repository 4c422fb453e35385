import { ConfigError, env, isBenchDatabase, isE2eDatabase, type Env } from "./env";
import type { Db } from "./db/client";
import { demoAccountsRefusal, findLiveDemoAccounts } from "./deployment/demo-accounts";

/** A bad configuration stops the process here with one clear line instead of failing on the first request. */
export function checkConfigurationOrExit(): void {
  try {
    env();
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      process.exit(1);
    }
    throw e;
  }
}

/**
 * Why a production server must not start on this database, or null. It must not while any account can
 * be logged in to with the demo credentials the README publishes. The one exception is the end-to-end
 * server: its throw-away database is seeded with exactly those accounts, and it is recognised by the
 * same rule (lib/env `isE2eDatabase`) that admits the movable test clock, so a real deployment would
 * have to name its database `*_e2e` to slip past both. The bench's and the soak's local throw-away
 * databases, seeded the same way, are the other (lib/env `isBenchDatabase`).
 */
export async function productionStartRefusal(db: Db, config: Env): Promise<string | null> {
  if (config.NODE_ENV !== "production" || isE2eDatabase(config) || isBenchDatabase(config)) return null;
  const found = await findLiveDemoAccounts(db);
  return found.length > 0 ? demoAccountsRefusal(found) : null;
}

/** Run once as the server starts (instrumentation.ts): stops it with one line naming the demo accounts. */
export async function checkNoDemoAccountsOrExit(): Promise<void> {
  const config = env();
  if (config.NODE_ENV !== "production") return;
  const { getDb } = await import("./db/client");
  const refusal = await productionStartRefusal(await getDb(), config);
  if (refusal) {
    console.error(refusal);
    process.exit(1);
  }
}

/**
 * The embedded database is one process's at a time (lib/db/pglite-lock). The server takes it as it
 * starts, not at its first request: until then an import beside it ran, and the server's users were
 * the ones refused (a correct login read as a wrong one, a bare 500). Another process holding it stops
 * the server here with the lock's own message. PostgreSQL needs nothing of the kind.
 */
export async function openEmbeddedDatabaseOrExit(): Promise<void> {
  if (env().DATABASE_URL) return;
  const { getDb } = await import("./db/client");
  const { DatabaseInUseError } = await import("./db/pglite-lock");
  try {
    await getDb();
  } catch (e) {
    if (e instanceof DatabaseInUseError) {
      console.error(e.message);
      process.exit(1);
    }
    throw e;
  }
}
