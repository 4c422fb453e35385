/**
 * How loaded this process's PostgreSQL pool is, and whether the database answers: what proxy.ts reads
 * to refuse a request with 503 *before* it starts, instead of letting it queue without bound or fail
 * half-way through rendering with a 500.
 *
 * - Busy: more than TSUNAGU_DB_QUEUE_MAX requests are already waiting for a connection. A new one would
 *   only wait behind them (and past TSUNAGU_DB_TX_WAIT_MS fail anyway), so it is told to come back.
 * - Unavailable: a connection to the server just failed (refused, reset, the server shutting down).
 *   Until a probe (`SELECT 1`, at most one a second, started by the requests that are refused) gets an
 *   answer, requests are refused at once rather than each trying and timing out. Recovery needs no
 *   operator: the first probe that succeeds lets traffic back in.
 *
 * The state lives on globalThis: proxy.ts is bundled apart from the pages but runs in the same process,
 * and it must see the pool the pages use. PGlite has no pool and never registers: nothing is refused.
 */
import type pg from "pg";

export type Admission = { ok: true } | { ok: false; reason: "BUSY" | "DATABASE_UNAVAILABLE"; retryAfterSeconds: number };

interface State {
  pool: pg.Pool;
  queueMax: number;
  /** since when the database has failed to answer (ms), or null while it answers */
  downSince: number | null;
  lastProbeAt: number;
  probing: boolean;
}

const g = globalThis as unknown as { __tsunaguDbPressure?: State };

const PROBE_EVERY_MS = 1000;
export const BUSY_RETRY_AFTER_S = 2;
export const UNAVAILABLE_RETRY_AFTER_S = 5;

/**
 * Errors that mean "the server is not there", not "this query was wrong": node-postgres's socket
 * errors, and PostgreSQL's admin_shutdown / crash_shutdown / cannot_connect_now. A pool that is merely
 * full ("timeout exceeded when trying to connect") is not one: that is busy, not down.
 */
export function isUnavailableError(e: unknown): boolean {
  const code = (e as { code?: unknown })?.code;
  if (typeof code === "string" && ["ECONNREFUSED", "ECONNRESET", "ENOTFOUND", "EHOSTUNREACH", "ENETUNREACH", "EPIPE", "57P01", "57P02", "57P03"].includes(code)) return true;
  const message = e instanceof Error ? e.message : "";
  return /Connection terminated|the database system is (starting up|shutting down|in recovery)/i.test(message);
}

export function markUnavailable(now = Date.now()): void {
  const s = g.__tsunaguDbPressure;
  if (s && s.downSince === null) s.downSince = now;
}

export function markAvailable(): void {
  const s = g.__tsunaguDbPressure;
  if (s) s.downSince = null;
}

/**
 * Watches `pool` (node-postgres, before Prisma's adapter gets it) for signs that the server is gone:
 * a connection it cannot open (`connect` is what pool.query and the adapter's transactions go
 * through), a query that fails on a dead socket, an idle connection the server closed. Only a probe
 * that gets an answer says the server is back: an ordinary connection handed out from the pool may
 * be a dead one that has not noticed yet.
 */
export function watchPool(pool: pg.Pool, queueMax: number): void {
  g.__tsunaguDbPressure = { pool, queueMax, downSince: null, lastProbeAt: 0, probing: false };
  const seen = (err: unknown) => {
    if (isUnavailableError(err)) markUnavailable();
  };
  type Connect = (cb?: (err: Error | undefined, client?: pg.PoolClient, done?: (release?: unknown) => void) => void) => Promise<pg.PoolClient> | void;
  const connect = pool.connect.bind(pool) as Connect;
  (pool as unknown as { connect: Connect }).connect = (cb) => {
    if (cb) return connect((err, client, done) => (err && seen(err), cb(err, client, done)));
    return (connect() as Promise<pg.PoolClient>).catch((err) => {
      seen(err);
      throw err;
    });
  };
  const query = pool.query.bind(pool) as (...a: unknown[]) => unknown;
  (pool as unknown as { query: typeof query }).query = (...a: unknown[]) => {
    const r = query(...a);
    if (r && typeof (r as Promise<unknown>).catch === "function") (r as Promise<unknown>).catch(seen);
    return r;
  };
  // a connection that dies while handed out (a transaction's), and an idle one the server closed
  pool.on("connect", (client) => client.on("error", seen));
  pool.on("error", seen);
}

function probe(s: State, now: number): void {
  if (s.probing || now - s.lastProbeAt < PROBE_EVERY_MS) return;
  s.probing = true;
  s.lastProbeAt = now;
  s.pool
    .query("SELECT 1")
    .then(() => markAvailable())
    .catch(() => undefined)
    .finally(() => (s.probing = false));
}

/** Whether a request may start now (proxy.ts). Never throws; without a PostgreSQL pool, always yes. */
export function admission(now = Date.now()): Admission {
  const s = g.__tsunaguDbPressure;
  if (!s) return { ok: true };
  if (s.downSince !== null) {
    probe(s, now);
    return { ok: false, reason: "DATABASE_UNAVAILABLE", retryAfterSeconds: UNAVAILABLE_RETRY_AFTER_S };
  }
  if (s.pool.waitingCount >= s.queueMax) return { ok: false, reason: "BUSY", retryAfterSeconds: BUSY_RETRY_AFTER_S };
  return { ok: true };
}

/** Each error of a chain Prisma wraps around the driver's (a few causes deep at most). */
function* causes(e: unknown): Generator<unknown> {
  for (let x: unknown = e, depth = 0; x && depth < 4; x = (x as { cause?: unknown }).cause, depth++) yield x;
}

/** Whether any error of the chain carries one of these codes (Prisma's P…, PostgreSQL's SQLSTATE). */
export const hasErrorCode = (e: unknown, codes: readonly string[]) => [...causes(e)].some((x) => codes.includes(String((x as { code?: unknown }).code ?? "")));

/**
 * What a failed database call says about the server, without touching any state: it is away (a
 * socket error, a shutdown, P1001 can't reach it, P1017 it closed the connection), or busy (no
 * connection came within the transaction wait), or neither.
 */
export function classifyDatabaseError(e: unknown): "BUSY" | "DATABASE_UNAVAILABLE" | null {
  for (const x of causes(e)) {
    const message = x instanceof Error ? x.message : "";
    if (isUnavailableError(x) || ["P1001", "P1017"].includes(String((x as { code?: unknown }).code)) || /ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|Can't reach database server|Server has closed the connection/i.test(message)) return "DATABASE_UNAVAILABLE";
    // not every P2028: one that ran past its own time limit is a slow transaction, not a busy pool
    if (/timeout exceeded when trying to connect|Unable to start a transaction in the given time/i.test(message)) return "BUSY";
  }
  return null;
}

/**
 * Why a failed call to the primary should be answered 503 rather than 500, or null when it should
 * not: classifyDatabaseError, and a server found away is marked, so the next requests are refused at
 * the door until a probe answers.
 */
export function databaseRefusal(e: unknown): "BUSY" | "DATABASE_UNAVAILABLE" | null {
  const found = classifyDatabaseError(e);
  if (found === "DATABASE_UNAVAILABLE") markUnavailable();
  if (found) return found;
  // A failure while the pool has just seen the server go (a connection reset mid-transaction is
  // reported by Prisma as a closed transaction, not as a socket error) is the same outage.
  return g.__tsunaguDbPressure?.downSince != null ? "DATABASE_UNAVAILABLE" : null;
}
