// The ways to rewrite the audit trail, each done as the tables' owner (the app's role cannot), and
// what `npm run audit:verify` says about each, chain by chain. Runs on PGlite, or PostgreSQL with
// DATABASE_URL.
import fs from "node:fs";
import { createHmac } from "node:crypto";
import { spawnSync } from "node:child_process";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { freshDatabase } from "./helpers/db";
import { flushCheckpoints, recordAuditNow, verifyAuditTrail, verifyChain } from "../lib/audit";
import { appendCheckpoint, checkpointIfDue, readCheckpoints, signCheckpoint } from "../lib/audit/checkpoint";
import { chainOf } from "../lib/audit/chains";
import { eventHash } from "../lib/audit/hash";
import { auditKey } from "../lib/env";

process.env.TSUNAGU_AUDIT_CHECKPOINT_EVERY = "3";
// checkpoints fall where the test flushes them, not where a slow machine's 200 ms settle happens to end
// (under load the timer fired between the first events and moved the first checkpoint)
process.env.TSUNAGU_AUDIT_CHECKPOINT_SETTLE_MS = "600000";
let ctx: Awaited<ReturnType<typeof freshDatabase>>;
let file: string;
beforeAll(async () => {
  ctx = await freshDatabase();
  file = process.env.TSUNAGU_AUDIT_CHECKPOINT_FILE!;
});
afterAll(async () => ctx?.close());

const actor = { userId: "u1", name: "監査 太郎", profession: "DOCTOR", facilityId: "f1" };
// Two patients on two different chains: what is done to one chain must not be blamed on the other.
const P = "pat-audit-one";
const A = chainOf(P);
const Q = ["pat-audit-two", "pat-audit-three", "pat-audit-four"].find((q) => chainOf(q) !== A)!;
const B = chainOf(Q);
const view = (patientId: string, i: number) => recordAuditNow(ctx.db, { actor, action: "RECORD_VIEW", outcome: "ALLOW", patientId, purpose: "TREATMENT", detail: { i } });
const event = (i: number) => view(P, i);

/** Statements run as the owner with the append-only triggers off: what a rogue owner or superuser can do. */
const tamper = (...statements: string[]) => ctx.asOwner(`ALTER TABLE "AuditEvent" DISABLE TRIGGER USER`, ...statements, `ALTER TABLE "AuditEvent" ENABLE TRIGGER USER`);
const sqlText = (v: string | null) => (v === null ? "NULL" : `'${v.replace(/'/g, "''")}'`);
const inA = (where: string) => `chain = ${A} AND ${where}`;
const rowOfA = async (position: bigint) => (await ctx.db.auditEvent.findUnique({ where: { chain_chainSeq: { chain: A, chainSeq: position } } }))!;

/** Recomputes every hash of chain A from `from` on, as someone without the key can. */
async function rehashFrom(from: bigint) {
  const rows = await ctx.db.auditEvent.findMany({ where: { chain: A }, orderBy: { chainSeq: "asc" } });
  let prev = rows.find((r) => r.chainSeq === from - 1n)?.hash ?? "0".repeat(64);
  const updates: string[] = [];
  for (const r of rows.filter((r) => r.chainSeq >= from)) {
    const hash = eventHash({ ...r, prevHash: prev });
    updates.push(`UPDATE "AuditEvent" SET "prevHash" = '${prev}', hash = '${hash}' WHERE seq = ${r.seq}`);
    prev = hash;
  }
  await tamper(...updates);
}

const kinds = async () => (await verifyAuditTrail(ctx.db)).findings.map((f) => [f.kind, f.chain, f.position]);
const heads = () => readCheckpoints(file).map((l) => ("checkpoint" in l ? l.checkpoint.heads.map((h) => [h.chain, h.chainSeq]) : null));

// Six events of P and two of Q, checkpointed by the schedule itself: the first events ever, then
// every third.
beforeEach(async () => {
  await tamper(`DELETE FROM "AuditEvent"`);
  fs.rmSync(file, { force: true });
  for (let i = 1; i <= 3; i++) await event(i);
  await flushCheckpoints();
  for (let i = 4; i <= 6; i++) await event(i);
  await view(Q, 1);
  await view(Q, 2);
  await flushCheckpoints();
  expect(heads()).toEqual([[[A, 3n]], [[A, 6n], [B, 2n]].sort((x, y) => Number(x[0]) - Number(y[0]))]);
});

describe("audit chains", () => {
  it("chain each patient's events on their own, positions without gaps, and events with no patient on chain 0", async () => {
    await recordAuditNow(ctx.db, { actor, action: "LOGIN", outcome: "SUCCESS" });
    const rows = await ctx.db.auditEvent.findMany({ orderBy: { seq: "asc" } });
    expect(rows.filter((r) => r.patientId === P).map((r) => [r.chain, r.chainSeq])).toEqual([1n, 2n, 3n, 4n, 5n, 6n].map((n) => [A, n]));
    expect(rows.filter((r) => r.patientId === Q).map((r) => [r.chain, r.chainSeq])).toEqual([[B, 1n], [B, 2n]]);
    expect(rows.at(-1)).toMatchObject({ chain: 0, chainSeq: 1n, action: "LOGIN" });
    expect(await verifyChain(ctx.db)).toEqual({ ok: true, checked: 9, findings: [] });
  });

  it("are verified each on its own: a broken chain does not hide or taint the others", async () => {
    await tamper(`UPDATE "AuditEvent" SET outcome = 'DENY' WHERE ${inA(`"chainSeq" = 2`)}`);
    const r = await verifyAuditTrail(ctx.db);
    expect(r.findings.map((f) => [f.kind, f.chain, f.position])).toEqual([["edited", A, 2n]]);
    // A's first event and both of Q's still verified
    expect(r.checked).toBe(3);
  });

  it("still verify against checkpoint lines written before there were several chains (chain 0, the first MAC format)", async () => {
    await tamper(`DELETE FROM "AuditEvent"`);
    fs.rmSync(file, { force: true });
    for (let i = 0; i < 2; i++) await recordAuditNow(ctx.db, { actor, action: "LOGIN", outcome: "SUCCESS", detail: { i } });
    const second = (await ctx.db.auditEvent.findUnique({ where: { chain_chainSeq: { chain: 0, chainSeq: 2n } } }))!;
    // the line exactly as the single-chain version wrote it
    const mac = createHmac("sha256", auditKey()).update(`tsunagu-audit-checkpoint\n2\n${second.hash}`).digest("hex");
    fs.writeFileSync(file, JSON.stringify({ seq: "2", hash: second.hash, at: new Date().toISOString(), mac }) + "\n");
    expect(await verifyAuditTrail(ctx.db)).toMatchObject({ ok: true, checked: 2, checkpoints: 1, findings: [] });
    await tamper(`DELETE FROM "AuditEvent" WHERE chain = 0 AND "chainSeq" = 2`);
    expect(await kinds()).toEqual([["truncated", 0, 2n]]);
  });
});

describe("keyed checkpoints", () => {
  it("come every N events and at least hourly, name only the chains that moved, and an untouched trail verifies", async () => {
    await event(7);
    await flushCheckpoints();
    expect(readCheckpoints(file)).toHaveLength(2); // 1 of 3 events: not due
    const hourLater = new Date(Date.now() + 61 * 60 * 1000);
    expect((await checkpointIfDue(ctx.db, { now: hourLater }))?.heads).toEqual([{ chain: A, chainSeq: 7n, hash: (await rowOfA(7n)).hash }]);
    expect(await checkpointIfDue(ctx.db, { now: new Date(hourLater.getTime() + 61 * 60 * 1000) })).toBeNull(); // nothing new
    expect(await verifyAuditTrail(ctx.db)).toMatchObject({ ok: true, checked: 9, chains: 2, checkpoints: 3, findings: [] });
  });
});

describe("npm run audit:verify finds, with the chain and the first bad position", () => {
  it("an edit, naming the event's seq", async () => {
    await tamper(`UPDATE "AuditEvent" SET "patientId" = 'someone-else' WHERE ${inA(`"chainSeq" = 4`)}`);
    const [f] = (await verifyAuditTrail(ctx.db)).findings;
    expect(f).toMatchObject({ kind: "edited", chain: A, position: 4n, seq: (await rowOfA(4n)).seq });
  });

  it("a deletion", async () => {
    await tamper(`DELETE FROM "AuditEvent" WHERE ${inA(`"chainSeq" = 4`)}`);
    expect(await kinds()).toEqual([["deleted", A, 4n]]);
  });

  it("a deletion with the later events renumbered to close the gap", async () => {
    await tamper(
      `DELETE FROM "AuditEvent" WHERE ${inA(`"chainSeq" = 4`)}`,
      `UPDATE "AuditEvent" SET "chainSeq" = -"chainSeq" WHERE ${inA(`"chainSeq" > 4`)}`,
      `UPDATE "AuditEvent" SET "chainSeq" = -"chainSeq" - 1 WHERE ${inA(`"chainSeq" < 0`)}`,
    );
    expect((await kinds())[0]).toEqual(["deleted", A, 4n]);
  });

  it("an insertion, even of a correctly hashed event", async () => {
    const third = await rowOfA(3n);
    const forged = { chain: A, chainSeq: 4n, at: new Date(third.at.getTime() + 1), actorId: "u2", actorName: "偽 花子", actorProfession: "DOCTOR", facilityId: "f1", action: "RECORD_VIEW", patientId: P, purpose: "TREATMENT", outcome: "ALLOW", detail: null, prevHash: third.hash };
    await tamper(
      `UPDATE "AuditEvent" SET "chainSeq" = -"chainSeq" WHERE ${inA(`"chainSeq" >= 4`)}`,
      `UPDATE "AuditEvent" SET "chainSeq" = -"chainSeq" + 1 WHERE ${inA(`"chainSeq" < 0`)}`,
      `INSERT INTO "AuditEvent" (chain, "chainSeq", at, "actorId", "actorName", "actorProfession", "facilityId", action, "patientId", purpose, outcome, detail, "prevHash", hash)
       VALUES (${A}, 4, '${forged.at.toISOString()}', 'u2', ${sqlText(forged.actorName)}, 'DOCTOR', 'f1', 'RECORD_VIEW', '${P}', 'TREATMENT', 'ALLOW', NULL, '${third.hash}', '${eventHash(forged)}')`,
    );
    expect((await kinds())[0]).toEqual(["inserted", A, 4n]);
  });

  it("a truncated tail", async () => {
    await tamper(`DELETE FROM "AuditEvent" WHERE ${inA(`"chainSeq" >= 5`)}`);
    expect(await verifyChain(ctx.db)).toEqual({ ok: true, checked: 6, findings: [] }); // the chains alone cannot tell
    expect(await kinds()).toEqual([["truncated", A, 5n]]);
  });

  it("a chain removed whole, and an emptied table, when checkpoints exist (a truncation, not 'ok')", async () => {
    await tamper(`DELETE FROM "AuditEvent" WHERE chain = ${B}`);
    expect(await kinds()).toEqual([["truncated", B, 1n]]);
    await tamper(`DELETE FROM "AuditEvent"`);
    expect((await kinds()).sort()).toEqual([["truncated", A, 1n], ["truncated", B, 1n]].sort());
  });

  it("a chain rewritten and re-hashed without the key", async () => {
    await tamper(`UPDATE "AuditEvent" SET "patientId" = 'someone-else' WHERE ${inA(`"chainSeq" = 5`)}`);
    await rehashFrom(5n);
    expect(await verifyChain(ctx.db)).toMatchObject({ ok: true, checked: 8 }); // self-consistent
    expect(await kinds()).toEqual([["rehashed", A, 4n]]); // after checkpoint 3, up to checkpoint 6
  });

  it("a checkpoint forged to match a re-hashed chain, without the key", async () => {
    await tamper(`UPDATE "AuditEvent" SET "patientId" = 'someone-else' WHERE ${inA(`"chainSeq" = 5`)}`);
    await rehashFrom(5n);
    const six = await rowOfA(6n);
    appendCheckpoint(signCheckpoint("a-guessed-key-that-is-not-the-real-one", [{ chain: A, chainSeq: 6n, hash: six.hash }], new Date()), file);
    expect(await kinds()).toEqual([
      ["bad-checkpoint", A, 6n],
      ["rehashed", A, 4n],
    ]);
  });

  it("an unreadable checkpoint line", async () => {
    fs.appendFileSync(file, `{"at":"2026-12-03T00:00:00Z","heads":[[1,"x","y"]],"mac":"00"}\n`);
    expect(await kinds()).toEqual([["bad-checkpoint", -1, 0n]]);
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
    expect(ok.out).toMatch(/audit trail ok: 8 events in 2 chain\(s\) verified, 2 checkpoint\(s\), the latest \d{4}-/);
    expect(ok.status).toBe(0);
    ctx.db = await getDb();
    const six = await rowOfA(6n);
    await tamper(`DELETE FROM "AuditEvent" WHERE ${inA(`"chainSeq" = 6`)}`);
    await closeDb();
    const bad = cli();
    expect(bad.out).toMatch(new RegExp(`^AUDIT TRUNCATED in chain ${A} at #6: .*\\[改ざん（末尾の切り捨て）\\]$`, "m"));
    expect(bad.out).not.toContain(`seq ${six.seq}`); // a removed event has no seq to name
    expect(bad.status).toBe(1);
    ctx.db = await getDb();
  }, 60_000);
});
