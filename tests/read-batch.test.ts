import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDatabase } from "./helpers/db";
import type { Db, Tx } from "../lib/db/client";
import { Prisma } from "../lib/db/generated/client";
import { ReadBatch, rowsFrom, type RowShape } from "../lib/record/read-batch";

/**
 * The 統合ビュー's first screen sends its reads as one statement (lib/record/read-batch.ts): each read must
 * get exactly the rows it would have got sent alone — timestamps as Dates to the millisecond, numbers
 * as numbers (a float that is not finite too), text that merely looks like a date left as text, and
 * the rows in their order — on PGlite and PostgreSQL alike.
 */
let ctx: Awaited<ReturnType<typeof freshDatabase>>;
let db: Db;

const LABS = Prisma.sql`SELECT t.id, t."occurredAt", t."valueNumeric", t."valueText", t."refLow" FROM "LabResult" t WHERE t."patientId" = 'p1' ORDER BY t."occurredAt" DESC, t.id`;
const LAB_SHAPE: RowShape = { dates: ["occurredAt"], numbers: ["valueNumeric", "refLow"], order: `x."occurredAt" DESC, x.id` };
const COUNT = Prisma.sql`SELECT count(*)::int AS n, max(t."occurredAt") AS last FROM "LabResult" t WHERE t."patientId" = 'p1'`;

beforeAll(async () => {
  ctx = await freshDatabase();
  db = ctx.db;
  await db.facility.create({ data: { id: "fA", code: "2210000001", name: "県立病院", kind: "CLINIC" } });
  await db.patient.create({ data: { id: "p1", familyName: "川口", givenName: "葵", familyNameKana: "カワグチ", givenNameKana: "アオイ", sex: "FEMALE", birthDate: new Date("1960-05-05") } });
  const lab = (id: string, at: string, valueNumeric: number | null, valueText: string | null) =>
    db.labResult.create({ data: { patientId: "p1", id, facilityId: "fA", occurredAt: new Date(at), codeSystem: "JLAC10", code: "3D046000001906202", display: "HbA1c", valueNumeric, valueText, refLow: 4.6 } });
  await lab("l1", "2026-06-01T01:02:03.456Z", 6.8, null);
  // a sender's text result that reads like a timestamp: it stays the sender's text
  await lab("l2", "2026-06-01T01:02:03.456Z", null, "2024-05-01T09:30:00");
  await lab("l3", "2025-12-31T23:59:59.999Z", 0.1, "溶血あり");
  // float8 keeps NaN, which JSON cannot carry as a number
  await db.$executeRaw`INSERT INTO "LabResult" ("patientId", id, "facilityId", "occurredAt", "codeSystem", code, display, "valueNumeric") VALUES ('p1', 'l4', 'fA', '2024-01-01 00:00:00', 'JLAC10', 'X', 'X', 'NaN'::float8)`;
});

afterAll(async () => ctx?.close());

const inTx = <T>(fn: (tx: Tx) => Promise<T>) => db.$transaction(fn);

describe("reads sent together", () => {
  it("give each read the rows it gets sent alone: dates, numbers, NaN, date-like text and order", async () => {
    const alone = await inTx(async (tx) => ({ labs: await rowsFrom(tx, LABS, LAB_SHAPE), count: await rowsFrom(tx, COUNT, { dates: ["last"] }) }));
    const together = await inTx(async (tx) => {
      const batch = new ReadBatch(tx);
      const [labs, count] = await Promise.all([batch.rows(LABS, LAB_SHAPE), batch.rows(COUNT, { dates: ["last"] }), batch.send()]);
      return { labs, count };
    });
    expect(together).toEqual(alone);
    expect(together.labs.map((r) => (r as { id: string }).id)).toEqual(["l1", "l2", "l3", "l4"]);
    const [l1, l2, , l4] = together.labs as { occurredAt: Date; valueNumeric: number | null; valueText: string | null }[];
    expect(l1!.occurredAt).toEqual(new Date("2026-06-01T01:02:03.456Z"));
    expect(l1!.valueNumeric).toBe(6.8);
    expect(l2!.valueText).toBe("2024-05-01T09:30:00");
    expect(Number.isNaN(l4!.valueNumeric)).toBe(true);
    expect(together.count).toEqual([{ n: 4, last: new Date("2026-06-01T01:02:03.456Z") }]);
  });

  it("a read of more rows than one JSON value carries keeps them all, in order", async () => {
    await db.patient.create({ data: { id: "p2", familyName: "川口", givenName: "蓮", familyNameKana: "カワグチ", givenNameKana: "レン", sex: "MALE", birthDate: new Date("1990-01-01") } });
    // 150 results, inserted out of order: the read's order, not the insert's, must come back
    await db.labResult.createMany({
      data: Array.from({ length: 150 }, (_, k) => (k * 37) % 150).map((k) => ({ patientId: "p2", id: `m${String(k).padStart(3, "0")}`, facilityId: "fA", occurredAt: new Date(Date.UTC(2020, 0, 1) + k * 86_400_000), codeSystem: "JLAC10", code: "X", display: "X", valueNumeric: k })),
    });
    const many = Prisma.sql`SELECT t.id, t."occurredAt", t."valueNumeric" FROM "LabResult" t WHERE t."patientId" = 'p2' ORDER BY t."occurredAt" DESC`;
    const shape: RowShape = { dates: ["occurredAt"], numbers: ["valueNumeric"], order: `x."occurredAt" DESC` };
    const alone = await inTx((tx) => rowsFrom(tx, many, shape));
    const together = await inTx(async (tx) => {
      const batch = new ReadBatch(tx);
      const [rows] = await Promise.all([batch.rows(many, shape), batch.rows(COUNT), batch.send()]);
      return rows;
    });
    expect(together).toHaveLength(150);
    expect(together).toEqual(alone);
    expect((together as { id: string }[]).map((r) => r.id)).toEqual(Array.from({ length: 150 }, (_, k) => `m${String(149 - k).padStart(3, "0")}`));
  });

  it("an empty read is an empty list, as sent alone", async () => {
    const none = Prisma.sql`SELECT t.id FROM "LabResult" t WHERE t."patientId" = 'nobody'`;
    const rows = await inTx(async (tx) => {
      const batch = new ReadBatch(tx);
      const [a, b] = await Promise.all([batch.rows(none), batch.rows(LABS, LAB_SHAPE), batch.send()]);
      return [a, b.length];
    });
    expect(rows).toEqual([[], 4]);
  });

  it("sends a read asked for after send() alone, with the answer the batch's reads led to", async () => {
    const result = await inTx(async (tx) => {
      const batch = new ReadBatch(tx);
      const first = batch.rows<{ id: string }>(LABS, LAB_SHAPE).then((rows) => batch.rows<{ id: string }>(Prisma.sql`SELECT t.id FROM "LabResult" t WHERE t.id = ${rows[0]!.id}`));
      const [later] = await Promise.all([first, batch.rows(COUNT), batch.send()]);
      return later;
    });
    expect(result).toEqual([{ id: "l1" }]);
  });

  it("a statement that fails fails every read in it, and the transaction with them", async () => {
    const broken = Prisma.sql`SELECT 1 / (count(*) - count(*)) AS x FROM "LabResult" t WHERE t."patientId" = 'p1'`;
    let labs: unknown = "not settled";
    await expect(
      inTx(async (tx) => {
        const batch = new ReadBatch(tx);
        const read = batch.rows(LABS, LAB_SHAPE).then(
          (rows) => (labs = rows),
          (e: unknown) => (labs = e instanceof Error ? "failed" : e),
        );
        await Promise.all([read, batch.rows(broken), batch.send()]);
      }),
    ).rejects.toThrow(/division by zero/);
    expect(labs).toBe("failed");
    // twin: the same reads without the broken one succeed
    const ok = await inTx(async (tx) => {
      const batch = new ReadBatch(tx);
      const [rows] = await Promise.all([batch.rows(LABS, LAB_SHAPE), batch.rows(COUNT), batch.send()]);
      return rows.length;
    });
    expect(ok).toBe(4);
  });
});
