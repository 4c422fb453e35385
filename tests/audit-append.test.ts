import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDatabase } from "./helpers/db";
import { recordAuditNow, verifyChain } from "../lib/audit";
import { eventHash } from "../lib/audit/hash";

/**
 * recordAudit writes an event in one statement that finds its chain's head and hashes it there (one
 * round trip fewer for every audited read and imported file): the database's hash must be exactly the
 * one verification computes, on both engines, whatever the detail holds.
 */
let ctx: Awaited<ReturnType<typeof freshDatabase>>;
beforeAll(async () => {
  ctx = await freshDatabase();
});
afterAll(async () => ctx?.close());

const actor = { userId: "u1", name: "監査 太郎", profession: "DOCTOR", facilityId: "f1" };

describe("an audit event hashed by the database", () => {
  it("carries the hash verification computes, and links to the one before it", async () => {
    const details = [{ 氏名: "山田 花子", note: 'quote " backslash \\ newline \n tab \t' }, { emoji: "🩺", n: [1.5, -2, 0], nested: { b: null, a: true } }, null, { "": "empty key", z: [] }, { big: 12345678901234 }];
    for (const [i, detail] of details.entries()) {
      await recordAuditNow(ctx.db, { actor: i === 2 ? null : actor, action: "RECORD_VIEW", outcome: "ALLOW", patientId: i % 2 ? "p-hash" : null, purpose: i === 3 ? null : "TREATMENT", detail, at: new Date(Date.UTC(2026, 0, 1, 9, 0, 0, 123 + i)) });
    }
    const rows = await ctx.db.auditEvent.findMany({ orderBy: { seq: "asc" } });
    expect(rows.map((r) => r.detail)).toEqual(details);
    expect(rows.map((r) => r.at.toISOString())).toEqual(details.map((_, i) => `2026-01-01T09:00:00.${123 + i}Z`));
    for (const r of rows) expect(r.hash).toBe(eventHash(r));
    const chainZero = rows.filter((r) => r.chain === 0);
    expect(chainZero.map((r) => r.chainSeq)).toEqual([1n, 2n, 3n]);
    expect(chainZero[1]!.prevHash).toBe(chainZero[0]!.hash);
    expect(await verifyChain(ctx.db)).toEqual({ ok: true, checked: 5, findings: [] });
  });
});
