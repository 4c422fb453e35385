import pg from "pg";
import { env } from "../env";

/**
 * The PostgreSQL role split. Migrations run as the owner (TSUNAGU_MIGRATION_DATABASE_URL); the app
 * connects as DATABASE_URL's role, which the migrate step grants ordinary reads and writes on every
 * table except the audit trail, where it may only INSERT and SELECT. So a leaked app credential (or
 * an injected statement) cannot UPDATE, DELETE or TRUNCATE history: the owner could, and the keyed
 * checkpoints (lib/audit/checkpoint.ts) are what catch that.
 */

export class RoleSetupError extends Error {}

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** The statements that give `role` what the app needs, and no more. Re-run after every migration, so new tables are covered. */
export function appRoleGrants(role: string): string {
  const r = ident(role);
  return [
    `GRANT USAGE ON SCHEMA public TO ${r}`,
    `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${r}`,
    `GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO ${r}`,
    // the migration history is the owner's business
    `REVOKE ALL ON "_prisma_migrations" FROM ${r}`,
    `REVOKE ALL ON "AuditEvent" FROM ${r}`,
    `GRANT SELECT, INSERT ON "AuditEvent" TO ${r}`,
  ].join(";\n");
}

/** The app's role, when a separate owner is configured for migrations; otherwise null (one role, or PGlite). */
export function applicationRole(): string | null {
  const { DATABASE_URL, TSUNAGU_MIGRATION_DATABASE_URL } = env();
  if (!DATABASE_URL || !TSUNAGU_MIGRATION_DATABASE_URL) return null;
  const app = decodeURIComponent(new URL(DATABASE_URL).username);
  return app && app !== decodeURIComponent(new URL(TSUNAGU_MIGRATION_DATABASE_URL).username) ? app : null;
}

/** Grants the app role its privileges, connected as the owner. Returns the role, or null when there is no split. */
export async function grantApplicationRole(): Promise<string | null> {
  const role = applicationRole();
  if (!role) return null;
  const owner = new pg.Client({ connectionString: env().TSUNAGU_MIGRATION_DATABASE_URL });
  await owner.connect();
  try {
    const { rows } = await owner.query<{ exists: boolean; rolsuper: boolean | null; owns: boolean }>(
      `SELECT r.rolname IS NOT NULL AS exists, r.rolsuper, coalesce(pg_get_userbyid(c.relowner) = $1, false) AS owns
         FROM pg_class c LEFT JOIN pg_roles r ON r.rolname = $1
        WHERE c.oid = '"AuditEvent"'::regclass`,
      [role],
    );
    const facts = rows[0];
    if (!facts?.exists) throw new RoleSetupError(`The application role "${role}" (DATABASE_URL) does not exist: create it as in README, Running on PostgreSQL.`);
    // A superuser or the tables' owner bypasses grants, so the split would protect nothing.
    if (facts.rolsuper || facts.owns) throw new RoleSetupError(`The application role "${role}" (DATABASE_URL) is a superuser or owns the tables; it must be an ordinary login role.`);
    await owner.query(`BEGIN;\n${appRoleGrants(role)};\nCOMMIT`);
    return role;
  } finally {
    await owner.end();
  }
}

export interface AuditPrivileges {
  update: boolean;
  delete: boolean;
  truncate: boolean;
}

/** What the role behind `url` may do to the audit trail beyond INSERT and SELECT (for the start-up check and tests). */
export async function auditPrivilegesOf(url: string): Promise<AuditPrivileges> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const { rows } = await c.query<AuditPrivileges>(
      `SELECT has_table_privilege('"AuditEvent"', 'UPDATE') AS update,
              has_table_privilege('"AuditEvent"', 'DELETE') AS delete,
              has_table_privilege('"AuditEvent"', 'TRUNCATE') AS truncate`,
    );
    return rows[0]!;
  } finally {
    await c.end();
  }
}

/**
 * Why the role behind `url` must not serve production, or null when it may: a role that can UPDATE,
 * DELETE or TRUNCATE the audit trail (one role for everything, or the owner) can rewrite history.
 */
export async function auditRewriteRefusal(url: string): Promise<string | null> {
  const p = await auditPrivilegesOf(url);
  const can = (["update", "delete", "truncate"] as const).filter((k) => p[k]).map((k) => k.toUpperCase());
  if (can.length === 0) return null;
  const role = decodeURIComponent(new URL(url).username);
  return (
    `Refusing to start in production: the application role "${role}" (DATABASE_URL) may ${can.join(", ")} the audit trail. ` +
    `Connect the app as a separate login role and set TSUNAGU_MIGRATION_DATABASE_URL to the owner (README, Running on PostgreSQL).`
  );
}
