// npm run db:migrate — applies pending SQL migrations to PGlite (.data/) or DATABASE_URL, as the
// owner role (TSUNAGU_MIGRATION_DATABASE_URL) when one is configured, then grants the app role.
// In production on PostgreSQL it then refuses (and so `npm start` stops) while the app's own role
// could rewrite the audit trail.
import { migrateDatabase } from "../lib/db/migrate";
import { auditRewriteRefusal } from "../lib/db/roles";
import { env } from "../lib/env";

try {
  const { engine, applied, grantedTo } = await migrateDatabase();
  console.log(applied.length ? `migrations applied (${engine}): ${applied.join(", ")}` : `database is up to date (${engine})`);
  if (grantedTo) console.log(`application role "${grantedTo}": INSERT and SELECT only on the audit trail`);
  const { NODE_ENV, DATABASE_URL } = env();
  const refusal = NODE_ENV === "production" && DATABASE_URL ? await auditRewriteRefusal(DATABASE_URL) : null;
  if (refusal) {
    console.error(refusal);
    process.exit(1);
  }
} catch (e) {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
}
