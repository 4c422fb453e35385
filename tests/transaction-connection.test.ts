import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDatabase } from "./helpers/db";
import type { Db } from "../lib/db/client";
import { Prisma } from "../lib/db/generated/client";
import { transactionWithConnection } from "../lib/db/transaction-connection";
import { PendingWrites } from "../lib/ingest/pending-writes";

/**
 * An import's batch write statement goes on its transaction's own connection on PostgreSQL
 * (lib/db/transaction-connection), past Prisma's parameter round trip. It must be that transaction's:
 * it sees the transaction's earlier writes, a rollback takes it back, and concurrent transactions
 * each get their own. On PGlite there is no pool, and the statement goes through Prisma.
 */
let ctx: Awaited<ReturnType<typeof freshDatabase>>;
let db: Db;
const onPostgres = !!process.env.DATABASE_URL;

beforeAll(async () => {
  ctx = await freshDatabase();
  db = ctx.db;
  await db.facility.create({ data: { id: "fT", code: "2210000009", name: "接続病院", kind: "CLINIC" } });
});

afterAll(async () => ctx?.close());

const facilityName = (id: string) => db.facility.findUnique({ where: { id }, select: { name: true } }).then((f) => f?.name ?? null);

describe("a transaction's own connection", () => {
  it(onPostgres ? "is given on PostgreSQL, sees the transaction's writes, and commits with it" : "is not given on PGlite", async () => {
    const seen = await transactionWithConnection(db, async (tx, direct) => {
      if (!onPostgres) return direct;
      await tx.facility.update({ where: { id: "fT" }, data: { name: "接続病院（改）" } });
      // the update above is not committed: only the same transaction's connection sees it
      const n = await direct!(Prisma.sql`UPDATE "Facility" SET name = name || ${"・直"} WHERE id = ${"fT"} AND name = ${"接続病院（改）"}`);
      return n;
    });
    if (!onPostgres) return expect(seen).toBeNull();
    expect(seen).toBe(1);
    expect(await facilityName("fT")).toBe("接続病院（改）・直");
  });

  it.runIf(onPostgres)("is rolled back with the transaction", async () => {
    const before = await facilityName("fT");
    await expect(
      transactionWithConnection(db, async (_tx, direct) => {
        await direct!(Prisma.sql`UPDATE "Facility" SET name = ${"取り消される名"} WHERE id = ${"fT"}`);
        throw new Error("the batch failed");
      }),
    ).rejects.toThrow("the batch failed");
    expect(await facilityName("fT")).toBe(before);
  });

  it.runIf(onPostgres)("is each transaction's own when several run at once", async () => {
    // each transaction reads its backend's pid through Prisma and through `direct`: they must agree
    const pids = await Promise.all(
      [1, 2, 3, 4].map(() =>
        transactionWithConnection(db, async (tx, direct) => {
          const [row] = await tx.$queryRaw<{ pid: number }[]>`SELECT pg_backend_pid() AS pid`;
          // a temporary table lives on its connection only: `direct` can fill it only on the same one
          await tx.$executeRaw`CREATE TEMP TABLE mine (pid int) ON COMMIT DROP`;
          await direct!(Prisma.sql`INSERT INTO mine SELECT pg_backend_pid()`);
          const [mine] = await tx.$queryRaw<{ same: number }[]>`SELECT pid AS same FROM mine`;
          await new Promise((r) => setTimeout(r, 20));
          return { pid: row?.pid, same: mine?.same };
        }),
      ),
    );
    for (const p of pids) expect(p.same).toBe(p.pid ?? -1);
    expect(new Set(pids.map((p) => p.pid)).size).toBe(pids.length);
  });

  it("carries a batch's held writes, dates as their UTC instant, on either engine", async () => {
    const at = new Date("2026-12-07T01:02:03.456Z");
    // a server in Japan: node-postgres would write a Date in local time, which a timestamp column reads as UTC
    const tz = process.env.TZ;
    process.env.TZ = "Asia/Tokyo";
    try {
      await transactionWithConnection(db, async (tx, direct) => {
        const writes = new PendingWrites(tx, direct);
        writes.hold("k1", [], [Prisma.sql`f AS (UPDATE "Facility" SET "createdAt" = ${at} WHERE id = ${"fT"} RETURNING 1)`], null, "none");
        await writes.flush();
      });
    } finally {
      if (tz === undefined) delete process.env.TZ;
      else process.env.TZ = tz;
    }
    const f = await db.facility.findUnique({ where: { id: "fT" }, select: { createdAt: true } });
    expect(f?.createdAt.toISOString()).toBe(at.toISOString());
  });
});
