import { AsyncLocalStorage } from "node:async_hooks";
import type pg from "pg";
import type { Prisma } from "./generated/client";
import type { Db, Tx } from "./client";
import { sendOn, withRawOn, type Connection } from "./direct-raw";

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

type Slot = Partial<Connection>;

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
      if (slot && !slot.client) {
        Object.assign(slot, { client, name });
        // the pool gives each checkout its own release: once called, the connection is no longer this transaction's
        const release = client.release;
        client.release = (err?: Error | boolean) => {
          slot.released = true;
          return release.call(client, err);
        };
      }
      return client;
    });
  };
}

/** A statement sent on the transaction's own connection; its number of rows changed. */
export type DirectExecute = (statement: Prisma.Sql) => Promise<number>;

/**
 * `db.$transaction(fn)`, with `direct` sending a statement on the transaction's connection (PostgreSQL),
 * or null (PGlite, or a connection that was not seen: send through `tx`).
 */
export function transactionWithConnection<T>(db: Db, fn: (tx: Tx, direct: DirectExecute | null) => Promise<T>): Promise<T> {
  const slot: Slot = {};
  return slots.run(slot, () =>
    db.$transaction((tx) => {
      const c = connectionOf(slot);
      return fn(tx, c ? async (s) => (await sendOn(c, s)).rowCount ?? 0 : null);
    }),
  );
}

const connectionOf = (slot: Slot): Connection | null => (slot.client ? (slot as Connection) : null);

/**
 * `db.$transaction(fn)`, where `tx`'s $queryRaw and $executeRaw go on the transaction's own connection
 * past Prisma's per-call machinery (lib/db/direct-raw), on PostgreSQL; on PGlite, Prisma's `tx` as is.
 * For a transaction of hand-written statements sent on every view (lib/record/guard).
 */
export function transactionWithDirectRaw<T>(db: Db, fn: (tx: Tx) => Promise<T>): Promise<T> {
  const slot: Slot = {};
  return slots.run(slot, () =>
    db.$transaction((tx) => {
      const c = connectionOf(slot);
      return fn(c ? withRawOn(tx, c) : tx);
    }),
  );
}
