import { describe, expect, it } from "vitest";
import { auditCheckpointFile, parseEnv } from "../lib/env";
import { PRODUCTION } from "./helpers/production-env";

// everything a production server needs but the audit key
const production: Record<string, string> = { ...PRODUCTION };
delete production.TSUNAGU_AUDIT_KEY;
const key = "an-audit-key-of-at-least-32-characters";

describe("audit configuration", () => {
  it("requires TSUNAGU_AUDIT_KEY in production, of at least 32 characters, and accepts one", () => {
    expect(() => parseEnv(production)).toThrow(/^Tsunagu configuration error: set TSUNAGU_AUDIT_KEY — it is required in production/);
    expect(() => parseEnv({ ...production, TSUNAGU_AUDIT_KEY: "short" })).toThrow(/set TSUNAGU_AUDIT_KEY — it must be at least 32 characters/);
    expect(parseEnv({ ...production, TSUNAGU_AUDIT_KEY: key }).TSUNAGU_AUDIT_KEY).toBe(key);
    expect(parseEnv({}).TSUNAGU_AUDIT_KEY).toBeUndefined(); // development: a fixed non-secret key
  });

  it("takes a migration owner URL only for the same host and database as DATABASE_URL", () => {
    const app = "postgresql://app:p@db:5432/tsunagu";
    expect(parseEnv({ DATABASE_URL: app, TSUNAGU_MIGRATION_DATABASE_URL: "postgresql://owner:p@db:5432/tsunagu" }).TSUNAGU_MIGRATION_DATABASE_URL).toContain("owner");
    expect(() => parseEnv({ DATABASE_URL: app, TSUNAGU_MIGRATION_DATABASE_URL: "postgresql://owner:p@db:5432/other" })).toThrow(/set TSUNAGU_MIGRATION_DATABASE_URL — it must name the same host and database as DATABASE_URL/);
    expect(() => parseEnv({ TSUNAGU_MIGRATION_DATABASE_URL: "postgresql://owner:p@db:5432/tsunagu" })).toThrow(/set TSUNAGU_MIGRATION_DATABASE_URL/);
    expect(() => parseEnv({ DATABASE_URL: app, TSUNAGU_MIGRATION_DATABASE_URL: "mysql://owner@db/tsunagu" })).toThrow(/must be a PostgreSQL URL of the role that owns the tables/);
  });

  it("keeps one checkpoint file per database unless one is named", () => {
    expect(auditCheckpointFile(parseEnv({}))).toBe(".data/audit-checkpoints/pglite-pglite.jsonl");
    expect(auditCheckpointFile(parseEnv({ PGLITE_DIR: ".data/e2e/" }))).toBe(".data/audit-checkpoints/pglite-e2e.jsonl");
    expect(auditCheckpointFile(parseEnv({ DATABASE_URL: "postgresql://app:p@db:5432/tsunagu" }))).toBe(".data/audit-checkpoints/postgresql-tsunagu.jsonl");
    expect(auditCheckpointFile(parseEnv({ TSUNAGU_AUDIT_CHECKPOINT_FILE: "/var/log/tsunagu/audit.jsonl" }))).toBe("/var/log/tsunagu/audit.jsonl");
  });
});
