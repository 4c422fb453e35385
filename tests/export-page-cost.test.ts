// A page of $everything reads about its own rows wherever it falls in the record, so exporting a
// record costs in proportion to its size (issue 15: a 100,000-resource patient exported in linear
// time; `npm run bench -- --everything-large` measures it). The page's statements are captured on
// the wire (node-postgres: PostgreSQL only, as tests/shard-key.test.ts) and EXPLAINed with ANALYZE:
// no table scan may pass over more rows than the page holds. A cursor written only as
// `occurredAt < at OR (occurredAt = at AND …)` cannot bound an index scan, which then starts at the
// record's newest row and filters out every row of the earlier pages — its twin, the page before the
// fix, removed hundreds of rows by filter on a late page of a 10-year record.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seededDatabase } from "./helpers/seeded";
import { testActor } from "./helpers/actor";
import { captureStatements, planOf, scanNodes } from "../bench/plans";

const onPostgres = !!process.env.DATABASE_URL;
const NOW = new Date("2026-12-01T00:00:00Z");
const doctor1 = testActor("fac-01", "DOCTOR", { userId: "usr-doctor1", facilityName: "つなぐ中央病院" });
const PAGE = 20;

let ctx: Awaited<ReturnType<typeof seededDatabase>>;

beforeAll(async () => {
  if (!onPostgres) return;
  ctx = await seededDatabase(NOW);
}, 180_000);
afterAll(async () => ctx?.close());

/** The cursor of the page `at` (0 … 1) of the way through pat-0001's export, and the pages there are. */
async function cursorAt(at: number): Promise<{ cursor: string; pages: number }> {
  const { getExportPage } = await import("../lib/record");
  const cursors: string[] = [];
  for (let next: string | null = null; ; ) {
    const page: { next: string | null } = await getExportPage(doctor1, "pat-0001", { _count: PAGE, ...(next ? { cursor: next } : {}) });
    if (!page.next) break;
    cursors.push((next = page.next));
  }
  return { cursor: cursors[Math.floor(at * (cursors.length - 1))]!, pages: cursors.length + 1 };
}

/** The most rows any scan of the page's statements removed by its filter. */
async function mostRowsFiltered(cursor: string): Promise<number> {
  const { getExportPage } = await import("../lib/record");
  const { sent } = await captureStatements(() => getExportPage(doctor1, "pat-0001", { _count: PAGE, cursor }));
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try {
    // as on a large record, where the planner walks the (patientId, occurredAt) index
    await client.query("SET enable_seqscan = off; SET enable_bitmapscan = off");
    let most = 0;
    for (const s of sent.filter((x) => /^\s*SELECT kind, id, "rowId"/.test(x.text))) {
      const { plan } = await planOf(client, s, true);
      for (const n of scanNodes(plan)) most = Math.max(most, Number(n["Rows Removed by Filter"] ?? 0));
    }
    return most;
  } finally {
    await client.end();
  }
}

describe.skipIf(!onPostgres)("a page of $everything reads about its own rows, wherever it falls in the record", () => {
  it("a late page of a long record filters out no more rows than a page holds", async () => {
    const { cursor, pages } = await cursorAt(0.9);
    expect(pages).toBeGreaterThan(10);
    expect(await mostRowsFiltered(cursor)).toBeLessThanOrEqual(PAGE);
  });

  it("and so does an early page", async () => {
    const { cursor } = await cursorAt(0.1);
    expect(await mostRowsFiltered(cursor)).toBeLessThanOrEqual(PAGE);
  });
});
