// The five ways to rewrite the audit trail, each done as the tables' owner (the app's role cannot),
// and what `npm run audit:verify` says about each. Runs on PGlite, or PostgreSQL with DATABASE_URL.
import fs from "node:fs";
import { spawnSync } from "node:child_process";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { freshDatabase } from "./helpers/db";
import { flushCheckpoints, recordAuditNow, verifyAuditTrail, verifyChain } from "../lib/audit";
import { appendCheckpoint, checkpointIfDue, readCheckpoints, signCheckpoint } from "../lib/audit/checkpoint";
import { eventHash } from "../lib/audit/hash";

process.env.TSUNAGU_AUDIT_CHECKPOINT_EVERY = "3";
let ctx: Awaited<ReturnType<typeof freshDatabase>>;
let file: string;
beforeAll(async () => {
  ctx = await freshDatabase();
  file = process.env.TSUNAGU_AUDIT_CHECKPOINT_FILE!;
});
afterAll(async () => ctx?.close());

const actor = { userId: "u1", name: "監査 太郎", profession: "DOCTOR", facilityId: "f1" };
const event = (i: number) => recordAuditNow(ctx.db, { actor, action: "RECORD_VIEW", outcome: "ALLOW", patientId: `p${i}`, purpose: "TREATMENT", detail: { i } });

/** Statements run as the owner with the append-only triggers off: what a rogue owner or superuser can do. */
const tamper = (...statements: string[]) => ctx.asOwner(`ALTER TABLE "AuditEvent" DISABLE TRIGGER USER`, ...statements, `ALTER TABLE "AuditEvent" ENABLE TRIGGER USER`);
const sqlText = (v: string | null) => (v === null ? "NULL" : `'${v.replace(/'/g, "''")}'`);

/** Recomputes every hash from `from` on, as someone without the key can. */
async function rehashFrom(from: bigint) {
  const rows = await ctx.db.auditEvent.findMany({ orderBy: { seq: "asc" } });
  let prev = rows.find((r) => r.seq === from - 1n)?.hash ?? "0".repeat(64);
  const updates: string[] = [];
  for (const r of rows.filter((r) => r.seq >= from)) {
    const hash = eventHash({ ...r, prevHash: prev });
    updates.push(`UPDATE "AuditEvent" SET "prevHash" = '${prev}', hash = '${hash}' WHERE seq = ${r.seq}`);
    prev = hash;
  }
  await tamper(...updates);
}

const kinds = async () => (await verifyAuditTrail(ctx.db)).findings.map((f) => [f.kind, f.seq]);

// Six events, checkpointed by the schedule itself: the first event ever, then every third.
beforeEach(async () => {
  await tamper(`DELETE FROM "AuditEvent"`);
  fs.rmSync(file, { force: true });
  for (let i = 1; i <= 3; i++) await event(i);
  await flushCheckpoints();
  for (let i = 4; i <= 6; i++) await event(i);
  await flushCheckpoints();
  expect(readCheckpoints(file).map((l) => ("checkpoint" in l ? l.checkpoint.seq : null))).toEqual([3n, 6n]);
});

describe("keyed checkpoints", () => {
  it("come every N events and at least hourly, and an untouched trail verifies", async () => {
    await event(7);
    await flushCheckpoints();
    expect(readCheckpoints(file)).toHaveLength(2); // 1 of 3 events: not due
    const hourLater = new Date(Date.now() + 61 * 60 * 1000);
    expect((await checkpointIfDue(ctx.db, { now: hourLater }))?.seq).toBe(7n);
    expect(await checkpointIfDue(ctx.db, { now: new Date(hourLater.getTime() + 61 * 60 * 1000) })).toBeNull(); // nothing new
    expect(await verifyAuditTrail(ctx.db)).toMatchObject({ ok: true, checked: 7, checkpointSeq: 7n, findings: [] });
  });
});

describe("npm run audit:verify finds, with the first bad sequence number", () => {
  it("an edit", async () => {
    await tamper(`UPDATE "AuditEvent" SET "patientId" = 'someone-else' WHERE seq = 4`);
    expect(await kinds()).toEqual([["edited", 4n]]);
  });

  it("a deletion", async () => {
    await tamper(`DELETE FROM "AuditEvent" WHERE seq = 4`);
    expect(await kinds()).toEqual([["deleted", 4n]]);
  });

  it("a deletion with the later events renumbered to close the gap", async () => {
    await tamper(`DELETE FROM "AuditEvent" WHERE seq = 4`, `UPDATE "AuditEvent" SET seq = -seq WHERE seq > 4`, `UPDATE "AuditEvent" SET seq = -seq - 1 WHERE seq < 0`);
    expect((await kinds())[0]).toEqual(["deleted", 4n]);
  });

  it("an insertion, even of a correctly hashed event", async () => {
    const third = (await ctx.db.auditEvent.findUnique({ where: { seq: 3n } }))!;
    const forged = { seq: 4n, at: new Date(third.at.getTime() + 1), actorId: "u2", actorName: "偽 花子", actorProfession: "DOCTOR", facilityId: "f1", action: "LOGIN", patientId: null, purpose: null, outcome: "SUCCESS", detail: null, prevHash: third.hash };
    await tamper(
      `UPDATE "AuditEvent" SET seq = -seq WHERE seq >= 4`,
      `UPDATE "AuditEvent" SET seq = -seq + 1 WHERE seq < 0`,
      `INSERT INTO "AuditEvent" (seq, at, "actorId", "actorName", "actorProfession", "facilityId", action, "patientId", purpose, outcome, detail, "prevHash", hash)
       VALUES (4, '${forged.at.toISOString()}', 'u2', ${sqlText(forged.actorName)}, 'DOCTOR', 'f1', 'LOGIN', NULL, NULL, 'SUCCESS', NULL, '${third.hash}', '${eventHash(forged)}')`,
    );
    expect((await kinds())[0]).toEqual(["inserted", 4n]);
  });

  it("a truncated tail", async () => {
    await tamper(`DELETE FROM "AuditEvent" WHERE seq >= 5`);
    expect(await verifyChain(ctx.db)).toEqual({ ok: true, checked: 4 }); // the chain alone cannot tell
    expect(await kinds()).toEqual([["truncated", 5n]]);
  });

  it("an emptied table, when checkpoints exist (a truncation, not 'ok')", async () => {
    await tamper(`DELETE FROM "AuditEvent"`);
    expect(await kinds()).toEqual([["truncated", 1n]]);
  });

  it("a chain rewritten and re-hashed without the key", async () => {
    await tamper(`UPDATE "AuditEvent" SET "patientId" = 'someone-else' WHERE seq = 5`);
    await rehashFrom(5n);
    expect(await verifyChain(ctx.db)).toEqual({ ok: true, checked: 6 }); // self-consistent
    expect(await kinds()).toEqual([["rehashed", 4n]]); // after checkpoint 3, up to checkpoint 6
  });

  it("a checkpoint forged to match a re-hashed chain, without the key", async () => {
    await tamper(`UPDATE "AuditEvent" SET "patientId" = 'someone-else' WHERE seq = 5`);
    await rehashFrom(5n);
    const six = (await ctx.db.auditEvent.findUnique({ where: { seq: 6n } }))!;
    appendCheckpoint(signCheckpoint("a-guessed-key-that-is-not-the-real-one", 6n, six.hash, new Date()), file);
    expect(await kinds()).toEqual([
      ["bad-checkpoint", 6n],
      ["rehashed", 4n],
    ]);
  });

  it("nothing, and exits 0, on an untouched trail; one line and exit 1 on a tampered one", async () => {
    const cli = () => {
      const r = spawnSync(process.execPath, ["--import", "tsx", "scripts/audit-verify.ts"], { encoding: "utf8", env: process.env });
      return { status: r.status, out: r.stdout + r.stderr };
    };
    // the embedded database allows one process: let the command have it
    const { closeDb, getDb } = await import("../lib/db/client");
    await closeDb();
    const ok = cli();
    expect(ok.out).toMatch(/audit trail ok: 6 events verified, latest checkpoint at seq 6/);
    expect(ok.status).toBe(0);
    ctx.db = await getDb();
    await tamper(`DELETE FROM "AuditEvent" WHERE seq = 6`);
    await closeDb();
    const bad = cli();
    expect(bad.out).toMatch(/^AUDIT TRUNCATED at seq 6: .*\[改ざん（末尾の切り捨て）\]$/m);
    expect(bad.status).toBe(1);
    ctx.db = await getDb();
  }, 60_000);
});
