// The bounded queue in front of the database (lib/db/pressure.ts, proxy.ts): past it, and while the
// database is away, a request is answered 503 with Retry-After and a page that says so — never a 500 —
// and traffic comes back by itself when the database does. PostgreSQL only: PGlite has no pool (twin
// at the end). The database is reached through a TCP relay this test can cut and restore, which is
// what a PostgreSQL restart looks like from the app.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NextRequest } from "next/server";
import { freshDatabase } from "./helpers/db";
import { relay } from "./helpers/relay";
import type { Db } from "../lib/db/client";

const onPostgres = !!process.env.DATABASE_URL;

let db: Db;
let close: () => Promise<void>;
let link: Awaited<ReturnType<typeof relay>> | null = null;
let proxy: (r: NextRequest) => Response;

beforeAll(async () => {
  // lib/env reads these once, on first use
  process.env.TSUNAGU_DB_POOL_SIZE = "1";
  process.env.TSUNAGU_DB_QUEUE_MAX = "2";
  process.env.TSUNAGU_DB_TX_WAIT_MS = "15000";
  process.env.TSUNAGU_DB_TX_TIMEOUT_MS = "20000";
  if (onPostgres) {
    link = await relay(new URL(process.env.DATABASE_URL!));
    // lib/env wants the owner's URL on the same host as the app's: both go through the relay
    for (const name of ["DATABASE_URL", "TSUNAGU_MIGRATION_DATABASE_URL"] as const) {
      if (!process.env[name]) continue;
      const url = new URL(process.env[name]);
      url.hostname = "127.0.0.1";
      url.port = String(link.port);
      process.env[name] = url.toString();
    }
  }
  ({ db, close } = await freshDatabase());
  ({ proxy } = (await import("../proxy")) as unknown as { proxy: typeof proxy });
});
afterAll(async () => {
  await close?.();
  await link?.close();
});

/** A transaction that holds the pool's one connection until released; resolves once it has it. */
async function holdTheConnection() {
  let release!: () => void;
  let began!: () => void;
  const started = new Promise<void>((r) => (began = r));
  const held = db.$transaction(
    async (tx) => {
      await tx.$queryRaw`SELECT 1`;
      began();
      await new Promise<void>((r) => (release = r));
    },
    { timeout: 60_000 },
  );
  await Promise.race([started, held]);
  return { held, release: () => release() };
}

const page = (cookie?: string) => new NextRequest("http://localhost:3000/patients/pat-0001", { headers: cookie ? { cookie } : {} });
const refused = (r: Response) => r.status === 503;

/** Waits (up to 10 s) until the proxy's answer satisfies `want`. */
async function until(want: (r: Response) => boolean, request = page()): Promise<Response> {
  const end = Date.now() + 10_000;
  for (;;) {
    const r = proxy(request);
    if (want(r) || Date.now() > end) return r;
    await new Promise((res) => setTimeout(res, 50));
  }
}

describe.skipIf(!onPostgres)("past the bounded queue", () => {
  it("a request is answered 503 with Retry-After and a page in the reader's language; once the queue drains, it passes (twin)", async () => {
    const { held, release } = await holdTheConnection(); // the one connection is now taken
    // two in the queue, its bound (a Prisma query starts only once something awaits it: hence then)
    const waiting = [db.patient.count().then(Number), db.facility.count().then(Number)];

    const ja = await until(refused);
    expect(ja.status).toBe(503);
    expect(ja.headers.get("retry-after")).toBe("2");
    expect(ja.headers.get("cache-control")).toBe("no-store");
    const html = await ja.text();
    expect(html).toContain("ただいま混み合っています");
    expect(html).toContain('lang="ja"');
    expect(html).toContain('http-equiv="refresh" content="2; url=/patients/pat-0001"');
    expect(html).toContain('href="/patients/pat-0001"');

    const en = proxy(page("lang=en"));
    expect(en.status).toBe(503);
    expect(await en.text()).toContain("The system is busy");

    const api = proxy(new NextRequest("http://localhost:3000/api/record/pat-0001/timeline"));
    expect(api.status).toBe(503);
    expect(await api.json()).toMatchObject({ error: "BUSY", retryAfterSeconds: 2, messageEn: expect.stringContaining("busy") });

    release();
    await held;
    await Promise.all(waiting);
    const passed = await until((r) => !refused(r));
    expect(passed.status).toBe(200);
    expect(passed.headers.get("x-middleware-next")).toBe("1");
  });

  it("a reload link never leaves the site, whatever the path", async () => {
    const { held, release } = await holdTheConnection();
    const waiting = [db.patient.count().then(Number), db.facility.count().then(Number)];
    const r = await until(refused, new NextRequest("http://localhost:3000//evil.example/x?a=%22%3E"));
    const html = await r.text();
    expect(html).not.toContain('href="//');
    expect(html).not.toContain('">"');
    release();
    await held;
    await Promise.all(waiting);
  });
});

describe.skipIf(!onPostgres)("while the database is away", () => {
  it("requests are refused at once with 503 and a clear page, and pass again by themselves when it is back (twin)", async () => {
    expect(proxy(page()).status).toBe(200);
    await link!.cut();
    // the first request to meet the dead server fails (it had already started); it tells the pool
    // (a pooled connection may not have seen its socket close yet: the first query to meet it fails)
    let failed = false;
    for (let i = 0; i < 40 && !failed; i++) {
      await db.patient.count().then(
        () => new Promise((r) => setTimeout(r, 50)),
        () => (failed = true),
      );
    }
    expect(failed).toBe(true);

    const r = await until(refused);
    expect(r.status).toBe(503);
    expect(r.headers.get("retry-after")).toBe("5");
    expect(await r.text()).toContain("一時的に利用できません");
    const started = Date.now();
    expect(proxy(page("lang=en")).status).toBe(503);
    expect(Date.now() - started).toBeLessThan(1000); // refused, not tried: no connection attempt waits

    await link!.restore();
    const back = await until((x) => !refused(x));
    expect(back.status).toBe(200);
    expect(await db.patient.count()).toBeGreaterThanOrEqual(0);
  });
});

describe.skipIf(onPostgres)("on embedded PGlite (no pool)", () => {
  it("nothing is refused: one connection serialises the work, and there is no queue to bound", async () => {
    const r = proxy(page());
    expect(r.status).toBe(200);
    expect(r.headers.get("x-middleware-next")).toBe("1");
    expect(await db.patient.count()).toBeGreaterThanOrEqual(0);
  });
});

describe("a page whose database call fails mid-request", () => {
  it("is told apart: the server away or the pool busy is a 503, any other failure is not (twin)", async () => {
    const { databaseRefusal, markAvailable } = await import("../lib/db/pressure");
    // first the failures that are not an outage, while the database is known to answer
    expect(databaseRefusal(Object.assign(new Error("Transaction already closed: the timeout for this transaction was 5000 ms"), { code: "P2028" }))).toBeNull();
    expect(databaseRefusal(Object.assign(new Error("duplicate key value violates unique constraint"), { code: "23505" }))).toBeNull();
    expect(databaseRefusal(new TypeError("x is undefined"))).toBeNull();
    expect(databaseRefusal(Object.assign(new Error("Transaction API error: Unable to start a transaction in the given time."), { code: "P2028" }))).toBe("BUSY");
    const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" });
    expect(databaseRefusal(refused)).toBe("DATABASE_UNAVAILABLE");
    // as Prisma wraps the driver's error
    expect(databaseRefusal(Object.assign(new Error("driver adapter error"), { cause: Object.assign(new Error("terminating connection due to administrator command"), { code: "57P01" }) }))).toBe("DATABASE_UNAVAILABLE");
    expect(databaseRefusal(Object.assign(new Error("Can't reach database server at db:5432"), { code: "P1001" }))).toBe("DATABASE_UNAVAILABLE");
    // on PostgreSQL the pool now knows the server went: any failure meanwhile is that outage
    if (onPostgres) expect(databaseRefusal(Object.assign(new Error("Transaction already closed"), { code: "P2028" }))).toBe("DATABASE_UNAVAILABLE");
    markAvailable();
    expect(databaseRefusal(new TypeError("x is undefined"))).toBeNull();
  });

  it("a JSON route answers 503 JSON with Retry-After and both languages; any other failure is left to the route (twin)", async () => {
    const { apiAnswerIfDatabaseDown } = await import("../lib/http/database-away");
    const r = apiAnswerIfDatabaseDown(Object.assign(new Error("Transaction API error: Unable to start a transaction in the given time."), { code: "P2028" }))!;
    expect(r.status).toBe(503);
    expect(r.headers.get("retry-after")).toBe("2");
    expect(await r.json()).toMatchObject({ error: "BUSY", message: expect.stringContaining("混み合っています"), messageEn: expect.stringContaining("busy") });
    expect(apiAnswerIfDatabaseDown(new TypeError("x is undefined"))).toBeNull();
  });

  it("/unavailable answers 503 with Retry-After in the reader's language, and reloads the page it came from, never another site", async () => {
    const { GET } = (await import("../app/unavailable/route")) as { GET: (r: NextRequest) => Response };
    const away = GET(new NextRequest("http://localhost:3000/unavailable?reason=DATABASE_UNAVAILABLE&next=%2Fpatients%2Fpat-0001%3Ftab%3Dlabs"));
    expect(away.status).toBe(503);
    expect(away.headers.get("retry-after")).toBe("5");
    const html = await away.text();
    expect(html).toContain("一時的に利用できません");
    expect(html).toContain('href="/patients/pat-0001?tab=labs"');
    const busy = GET(new NextRequest("http://localhost:3000/unavailable?reason=BUSY&next=%2F", { headers: { cookie: "lang=en" } }));
    expect(busy.headers.get("retry-after")).toBe("2");
    expect(await busy.text()).toContain("The system is busy");
    const evil = await GET(new NextRequest("http://localhost:3000/unavailable?next=%2F%2Fevil.example%2Fx")).text();
    expect(evil).not.toContain("//evil.example");
  });
});
