import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDatabase } from "./helpers/db";
import type { Db, Tx } from "../lib/db/client";
import { Prisma } from "../lib/db/generated/client";
import { transactionWithConnection } from "../lib/db/transaction-connection";
import { PendingWrites } from "../lib/ingest/pending-writes";

/**
 * An import's batch write statement goes on its transaction's own connection on PostgreSQL
 * (lib/db/transaction-connection), past Prisma's parameter round trip. It must be that transaction's:
 * it sees the transaction's earlier writes, a rollback takes it back (below, with the guarded reads'
 * statements), and concurrent transactions each get their own. On PGlite there is no pool, and the
 * statement goes through Prisma.
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
  it("carries the transaction's writes: a raw statement sees what Prisma wrote before it, and commits with it", async () => {
    const n = await transactionWithConnection(db, async (tx) => {
      await tx.facility.update({ where: { id: "fT" }, data: { name: "接続病院（改）" } });
      // the update above is not committed: only the same transaction's connection sees it
      return tx.$executeRaw`UPDATE "Facility" SET name = name || ${"・直"} WHERE id = ${"fT"} AND name = ${"接続病院（改）"}`;
    });
    expect(n).toBe(1);
    expect(await facilityName("fT")).toBe("接続病院（改）・直");
  });

  it.runIf(onPostgres)("is each transaction's own when several run at once", async () => {
    // each transaction reads its backend's pid through Prisma and through its raw statements: they must agree
    const pids = await Promise.all(
      [1, 2, 3, 4].map(() =>
        transactionWithConnection(db, async (tx) => {
          const [row] = await tx.$queryRawUnsafe<{ pid: number }[]>("SELECT pg_backend_pid() AS pid");
          // a temporary table lives on its connection only: the raw statements can fill it only on the same one
          await tx.$executeRawUnsafe("CREATE TEMP TABLE mine (pid int) ON COMMIT DROP");
          await tx.$executeRaw`INSERT INTO mine SELECT pg_backend_pid()`;
          const [mine] = await tx.$queryRawUnsafe<{ same: number }[]>("SELECT pid AS same FROM mine");
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
      await transactionWithConnection(db, async (tx) => {
        const writes = new PendingWrites(tx);
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

/*
 * The transaction's own raw statements go on that connection too, past Prisma (lib/db/direct-raw; the
 * guarded reads of lib/record/guard use it). Nothing downstream may tell: every value must come back
 * as Prisma's $queryRaw gives it, every parameter go as Prisma sends it, and nothing may be sent once
 * the transaction is over. On PGlite the transaction is Prisma's own.
 */
// Every column type the schema and the reads use, each with a value and a NULL, and the arrays.
const EVERY_TYPE = (p: { at: Date; n: bigint; d: Prisma.Decimal; days: Date[]; obj: unknown; none: null }) => Prisma.sql`
  SELECT 1::int AS int4, 2::smallint AS int2, 9007199254740993::bigint AS int8, ${p.n}::bigint AS int8_param, count(*) AS counted,
         12.50::numeric AS numeric, ${p.d}::numeric AS numeric_param, 1.25::float8 AS float8, 0.5::real AS float4,
         true AS bool, 'テキスト'::text AS text, 'ab'::varchar(4) AS varchar, 'x'::char(2) AS bpchar,
         '2024-05-01'::date AS date, '09:30:15'::time AS time,
         '2024-05-01 09:30:00.123'::timestamp(3) AS ts, ${p.at}::timestamp(3) AS ts_param, '2024-05-01 09:30:00+09'::timestamptz AS tstz,
         '{"a":[1,"二",null],"b":{"c":true}}'::json AS json, ${p.obj}::jsonb AS jsonb_param, '[1,2]'::jsonb AS jsonb,
         ARRAY['a', NULL, 'c,d', '"q"']::text[] AS text_array, ARRAY[1,2]::int[] AS int_array, ARRAY[3, NULL]::bigint[] AS int8_array,
         ARRAY[1.5, 2]::numeric[] AS numeric_array, ARRAY['2024-01-02 03:04:05.006'::timestamp(3)] AS ts_array,
         ARRAY['2024-01-02'::date, NULL] AS date_array, ARRAY['{"x":1}'::jsonb] AS jsonb_array,
         '\\x0102ff'::bytea AS bytea, 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid AS uuid,
         'HOSPITAL'::"FacilityKind" AS enum, ARRAY['CLINIC'::"FacilityKind"] AS enum_array,
         ${p.days}::timestamp(3)[] AS ts_array_param, ${p.none}::text AS null_param,
         NULL::int AS null_int, NULL::bigint AS null_int8, NULL::timestamp AS null_ts, NULL::jsonb AS null_jsonb, NULL::numeric AS null_numeric
    FROM (SELECT 1) one`;

const params = () => ({
  at: new Date("2026-12-07T01:02:03.456Z"),
  n: 12345678901234567n,
  d: new Prisma.Decimal("3.14159"),
  days: [new Date("2026-01-01T00:00:00.000Z"), new Date("2026-06-30T23:59:59.999Z")],
  obj: { 名前: "値", list: [1, 2], nested: { ok: true } },
  none: null,
});

/** The same statement through Prisma's own transaction and through transactionWithConnection's. */
async function bothWays<T>(read: (tx: Tx) => Promise<T>): Promise<{ prisma: T; direct: T }> {
  const prisma = await db.$transaction((tx) => read(tx));
  const direct = await transactionWithConnection(db, (tx) => read(tx));
  return { prisma, direct };
}

describe("raw statements on the transaction's own connection", () => {
  it("give every column type exactly as Prisma's $queryRaw does, on either engine", async () => {
    const { prisma, direct } = await bothWays((tx) => tx.$queryRaw<Record<string, unknown>[]>(EVERY_TYPE(params())));
    expect(Object.keys(direct[0]!)).toEqual(Object.keys(prisma[0]!));
    for (const k of Object.keys(prisma[0]!)) expect({ [k]: direct[0]![k] }).toEqual({ [k]: prisma[0]![k] });
    // and the values a reader relies on, spelled out (a regression in both would pass the comparison)
    const r = direct[0]!;
    expect(r.int8).toBe(9007199254740993n);
    expect(r.counted).toBe(1n);
    expect(String(r.numeric_param)).toBe("3.14159");
    expect((r.ts_param as Date).toISOString()).toBe("2026-12-07T01:02:03.456Z");
    expect((r.ts as Date).toISOString()).toBe("2024-05-01T09:30:00.123Z");
    expect((r.tstz as Date).toISOString()).toBe("2024-05-01T00:30:00.000Z");
    expect(r.jsonb_param).toEqual({ 名前: "値", list: [1, 2], nested: { ok: true } });
    expect(r.text_array).toEqual(["a", null, "c,d", '"q"']);
  });

  it("take tagged templates and $executeRaw's row counts as Prisma does", async () => {
    const { prisma, direct } = await bothWays(async (tx) => {
      await tx.$executeRaw`CREATE TEMP TABLE t (v int) ON COMMIT DROP`;
      const inserted = await tx.$executeRaw`INSERT INTO t SELECT generate_series(1, ${3}::int)`;
      const rows = await tx.$queryRaw<{ v: number }[]>`SELECT v FROM t WHERE v > ${1} ORDER BY v`;
      return { inserted, rows };
    });
    expect(direct).toEqual(prisma);
    expect(direct).toEqual({ inserted: 3, rows: [{ v: 2 }, { v: 3 }] });
  });

  it.runIf(onPostgres)("go on the connection of the transaction, and are rolled back with it", async () => {
    const pids = await transactionWithConnection(db, async (tx) => {
      const viaPrisma = await tx.$queryRawUnsafe<{ pid: number }[]>("SELECT pg_backend_pid() AS pid");
      const direct = await tx.$queryRaw<{ pid: number }[]>`SELECT pg_backend_pid() AS pid`;
      return [viaPrisma[0]!.pid, direct[0]!.pid];
    });
    expect(pids[1]).toBe(pids[0]);
    await db.facility.create({ data: { id: "fD", code: "2210000017", name: "直送病院", kind: "CLINIC" } });
    await expect(
      transactionWithConnection(db, async (tx) => {
        await tx.$executeRaw`UPDATE "Facility" SET name = ${"取り消される名"} WHERE id = ${"fD"}`;
        throw new Error("the read failed");
      }),
    ).rejects.toThrow("the read failed");
    expect((await db.facility.findUnique({ where: { id: "fD" } }))?.name).toBe("直送病院");
  });

  it.runIf(onPostgres)("are refused once the transaction is over: its connection may be another's by then", async () => {
    let kept: Tx | null = null;
    await transactionWithConnection(db, async (tx) => {
      kept = tx;
      await tx.$queryRaw`SELECT 1`;
    });
    await expect(kept!.$queryRaw`SELECT 1`).rejects.toThrow(/Transaction already closed/);
  });

  it.runIf(!onPostgres)("are Prisma's own on PGlite (no pool, no connection of its own)", async () => {
    await transactionWithConnection(db, async (tx) => {
      expect(tx.$queryRaw.name).not.toBe("queryRaw");
    });
  });
});
