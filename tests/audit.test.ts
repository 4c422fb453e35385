import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDatabase } from "./helpers/db";
import { recordAudit, recordAuditNow, verifyChain } from "../lib/audit";
import { chainOf } from "../lib/audit/chains";
import { auditPrivilegesOf, auditRewriteRefusal } from "../lib/db/roles";

let ctx: Awaited<ReturnType<typeof freshDatabase>>;
beforeAll(async () => {
  ctx = await freshDatabase();
});
afterAll(async () => ctx?.close());

const actor = { userId: "u1", name: "監査 太郎", profession: "DOCTOR", facilityId: "f1" };

describe("audit trail", () => {
  it("chains one patient's events in sequence and verifies", async () => {
    for (let i = 0; i < 5; i++) {
      await recordAuditNow(ctx.db, { actor, action: "RECORD_VIEW", outcome: "ALLOW", patientId: "p1", purpose: "TREATMENT", detail: { z: 1, a: [i, "x"] } });
    }
    const rows = await ctx.db.auditEvent.findMany({ orderBy: { seq: "asc" } });
    expect(rows.map((r) => [r.seq, r.chain, r.chainSeq])).toEqual([1n, 2n, 3n, 4n, 5n].map((n) => [n, chainOf("p1"), n]));
    expect(rows[1]!.prevHash).toBe(rows[0]!.hash);
    expect(await verifyChain(ctx.db)).toEqual({ ok: true, checked: 5, findings: [] });
  });

  it("keeps positions and links intact under concurrent writers, on one chain and on several", async () => {
    await Promise.all(Array.from({ length: 10 }, (_, i) => recordAuditNow(ctx.db, { actor, action: "PATIENT_SEARCH", outcome: "SUCCESS", detail: { i } })));
    await Promise.all(Array.from({ length: 10 }, (_, i) => recordAuditNow(ctx.db, { actor, action: "RECORD_VIEW", outcome: "ALLOW", patientId: `p${i % 3}`, purpose: "TREATMENT" })));
    const zero = await ctx.db.auditEvent.findMany({ where: { chain: 0 }, orderBy: { chainSeq: "asc" } });
    expect(zero.map((r) => r.chainSeq)).toEqual(Array.from({ length: 10 }, (_, i) => BigInt(i + 1)));
    expect(await verifyChain(ctx.db)).toEqual({ ok: true, checked: 25, findings: [] });
  });

  // The point of several chains: an audited read of one patient never waits for another's commit,
  // while two writers of one chain still take turns. PGlite has one connection, so this needs PostgreSQL.
  it.runIf(!!process.env.DATABASE_URL)("lets a writer of another chain finish while one chain's writer holds its lock, and makes a writer of the same chain wait (PostgreSQL)", async () => {
    const other = ["q1", "q2", "q3", "q4"].find((q) => chainOf(q) !== chainOf("p1"))!;
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let locked!: () => void;
    const hasLock = new Promise<void>((r) => (locked = r));
    const holder = ctx.db.$transaction(
      async (tx) => {
        await recordAudit(tx, { actor, action: "RECORD_VIEW", outcome: "ALLOW", patientId: "p1", purpose: "TREATMENT" });
        locked();
        await held;
      },
      { timeout: 30_000 },
    );
    await hasLock;
    // another chain: completes although p1's transaction is still open (a global lock would hang here until the test times out)
    await recordAuditNow(ctx.db, { actor, action: "RECORD_VIEW", outcome: "ALLOW", patientId: other, purpose: "TREATMENT" });
    // the same chain: still waiting after the other chain's writer came and went
    let sameDone = false;
    const same = recordAuditNow(ctx.db, { actor, action: "RECORD_VIEW", outcome: "ALLOW", patientId: "p1", purpose: "TREATMENT" }).then(() => (sameDone = true));
    await recordAuditNow(ctx.db, { actor, action: "RECORD_VIEW", outcome: "ALLOW", patientId: other, purpose: "TREATMENT" });
    expect(sameDone).toBe(false);
    release();
    await holder;
    await same;
    expect(await verifyChain(ctx.db)).toMatchObject({ ok: true, findings: [] });
  });

  it("refuses to rewrite or delete history", async () => {
    // the app: refused by the trigger (PGlite, one role) or before it, by the grants (the PostgreSQL role split)
    await expect(ctx.db.auditEvent.update({ where: { seq: 1n }, data: { outcome: "DENY" } })).rejects.toThrow(/append-only|permission denied/);
    await expect(ctx.db.auditEvent.deleteMany({})).rejects.toThrow(/append-only|permission denied/);
    // the owner: refused by the row trigger
    await expect(ctx.asOwner(`UPDATE "AuditEvent" SET outcome = 'DENY' WHERE seq = 1`)).rejects.toThrow(/append-only \(UPDATE refused\)/);
    await expect(ctx.asOwner(`DELETE FROM "AuditEvent"`)).rejects.toThrow(/append-only \(DELETE refused\)/);
  });

  it("refuses TRUNCATE by a statement-level trigger, even for the tables' owner", async () => {
    await expect(ctx.asOwner(`TRUNCATE "AuditEvent"`)).rejects.toThrow(/append-only \(TRUNCATE refused\)/);
    await expect(ctx.db.$executeRawUnsafe(`TRUNCATE "AuditEvent"`)).rejects.toThrow(/append-only|permission denied/);
    expect(await ctx.db.auditEvent.count()).toBe(process.env.DATABASE_URL ? 29 : 25);
  });

  // CI's PostgreSQL pass runs as a restricted role (TSUNAGU_MIGRATION_DATABASE_URL names the owner).
  it.runIf(!!process.env.TSUNAGU_MIGRATION_DATABASE_URL)("connects as a role that may only INSERT and SELECT on the audit trail (PostgreSQL)", async () => {
    expect(await auditPrivilegesOf(process.env.DATABASE_URL!)).toEqual({ update: false, delete: false, truncate: false });
    expect(await auditPrivilegesOf(ctx.ownerUrl!)).toEqual({ update: true, delete: true, truncate: true });
    // so not even disabling the trigger is open to it
    await expect(ctx.db.$executeRawUnsafe(`ALTER TABLE "AuditEvent" DISABLE TRIGGER USER`)).rejects.toThrow(/must be owner/);
    await expect(ctx.db.$executeRawUnsafe(`UPDATE "AuditEvent" SET outcome = 'DENY'`)).rejects.toThrow(/permission denied/);
    // while the rest of the schema stays writable for it
    await ctx.db.facility.deleteMany({ where: { id: "no-such-facility" } });
    // and a production start (npm start → db:migrate) accepts this role but refuses the owner
    expect(await auditRewriteRefusal(process.env.DATABASE_URL!)).toBeNull();
    expect(await auditRewriteRefusal(ctx.ownerUrl!)).toMatch(/^Refusing to start in production: the application role "\w+" \(DATABASE_URL\) may UPDATE, DELETE, TRUNCATE the audit trail/);
  });

  it("detects an edited event even when the trigger is bypassed", async () => {
    await ctx.asOwner(
      `ALTER TABLE "AuditEvent" DISABLE TRIGGER "AuditEvent_append_only"`,
      `UPDATE "AuditEvent" SET "patientId" = 'someone-else' WHERE seq = 3`,
      `ALTER TABLE "AuditEvent" ENABLE TRIGGER "AuditEvent_append_only"`,
    );
    const v = await verifyChain(ctx.db);
    expect(v.ok).toBe(false);
    expect(v.brokenAt).toBe(3n);
  });
});
