// npm run db:migrate — applies pending SQL migrations to PGlite (.data/) or DATABASE_URL, as the
// owner role (TSUNAGU_MIGRATION_DATABASE_URL) when one is configured, then grants the app role.
import { migrateDatabase } from "../lib/db/migrate";

try {
  const { engine, applied, grantedTo } = await migrateDatabase();
  console.log(applied.length ? `migrations applied (${engine}): ${applied.join(", ")}` : `database is up to date (${engine})`);
  if (grantedTo) console.log(`application role "${grantedTo}": INSERT and SELECT only on the audit trail`);
} catch (e) {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
}
