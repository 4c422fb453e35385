import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDatabase } from "./helpers/db";
import { closeDb, getDb } from "../lib/db/client";
import { openAdapter } from "../lib/db/adapter";
import { applyMigrations } from "../lib/db/migrate";

let ctx: Awaited<ReturnType<typeof freshDatabase>>;
beforeAll(async () => {
  ctx = await freshDatabase({ fromEmpty: true });
});
afterAll(async () => ctx?.close());

describe("migrations", () => {
  it("apply every migration folder on an empty database, and nothing on a second run", async () => {
    const folders = fs.readdirSync("prisma/migrations").filter((d) => /^\d{14}_/.test(d)).sort();
    expect(folders.slice(0, 3)).toEqual(["20261125195339_init", "20261125195400_audit_append_only", "20261126011326_auth_sessions_second_factor"]);
    expect(ctx.applied).toEqual(folders);
    await closeDb();
    const adapter = await openAdapter("owner");
    try {
      expect(await applyMigrations(adapter.migrationFactory)).toEqual([]);
    } finally {
      await adapter.close();
    }
  });

  it("leave a schema the client can use", async () => {
    const db = await getDb();
    expect(await db.patient.count()).toBe(0);
  });
});
