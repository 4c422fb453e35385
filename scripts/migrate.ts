// npm run db:migrate — applies pending SQL migrations to PGlite (.data/) or DATABASE_URL.
import { openAdapter } from "../lib/db/adapter";
import { applyMigrations } from "../lib/db/migrate";

try {
  const adapter = await openAdapter();
  try {
    const applied = await applyMigrations(adapter.migrationFactory);
    console.log(applied.length ? `migrations applied (${adapter.engine}): ${applied.join(", ")}` : `database is up to date (${adapter.engine})`);
  } finally {
    await adapter.close();
  }
} catch (e) {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
}
