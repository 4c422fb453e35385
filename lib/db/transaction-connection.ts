import { AsyncLocalStorage } from "node:async_hooks";
import type pg from "pg";
import type { Prisma } from "./generated/client";
import type { Db, Tx } from "./client";

/**
 * A Prisma transaction's own PostgreSQL connection, for the few statements whose parameters are large.
 *
 * Prisma sends a raw statement's parameters through a JSON round trip of its own: it stringifies them
 * all, parses them back in its query interpreter, and only then hands them to node-postgres. An
 * import's batch write statement carries every document's rows, ledger entry and body (tens of KB per
 * FHIR Bundle), so that round trip was about a tenth of an import's CPU (a --cpu-prof of
 * `npm run bench -- --import`). Sent on the transaction's connection directly, the statement is the
 * same text with the same values, in the same transaction: it sees what the transaction wrote before
 * it, and a rollback takes it back.
 *
 * How the connection is found: @prisma/adapter-pg opens a transaction with `pool.connect()`, called
 * in the async context of the `$transaction` call. `noteTransactionConnections` wraps that call, and
 * `transactionWithConnection` gives the context a slot to note the connection in. PGlite has no pool:
 * there the callback gets null and the caller sends through Prisma as before.
 */

interface Slot {
  client?: pg.PoolClient;
  /** the pool's statement names (lib/db/statement-names), as Prisma's statements on it use */
  name?: (sql: string) => string | undefined;
}

const slots = new AsyncLocalStorage<Slot>();

/** Notes each connection the pool hands out in the slot of the transaction that asked for it (see above). */
export function noteTransactionConnections(pool: pg.Pool, name: (sql: string) => string | undefined): void {
  type Connect = (cb?: (...a: unknown[]) => void) => Promise<pg.PoolClient> | void;
  const connect = pool.connect.bind(pool) as Connect;
  (pool as unknown as { connect: Connect }).connect = (cb) => {
    // pool.query's own connections come with a callback: they belong to no transaction
    if (cb) return connect(cb);
    return (connect() as Promise<pg.PoolClient>).then((client) => {
      const slot = slots.getStore();
      if (slot && !slot.client) Object.assign(slot, { client, name });
      return client;
    });
  };
}

/** A statement sent on the transaction's own connection; its number of rows changed. */
export type DirectExecute = (statement: Prisma.Sql) => Promise<number>;

/** A value as Prisma would send it: a Date as its UTC instant (Prisma keeps DateTime in UTC), a bigint as its digits. */
function asParameter(v: unknown): unknown {
  if (v instanceof Date) return v.toISOString();
  if (typeof v === "bigint") return v.toString();
  return v;
}

/**
 * `db.$transaction(fn)`, with `direct` sending a statement on the transaction's connection (PostgreSQL),
 * or null (PGlite, or a connection that was not seen: send through `tx`).
 */
export function transactionWithConnection<T>(db: Db, fn: (tx: Tx, direct: DirectExecute | null) => Promise<T>): Promise<T> {
  const slot: Slot = {};
  return slots.run(slot, () =>
    db.$transaction((tx) => {
      const client = slot.client;
      const direct: DirectExecute | null = client
        ? async (s) => (await client.query({ name: slot.name?.(s.text), text: s.text, values: s.values.map(asParameter) })).rowCount ?? 0
        : null;
      return fn(tx, direct);
    }),
  );
}
