import { AsyncLocalStorage } from "node:async_hooks";
import type pg from "pg";
import type { Db, Tx } from "./client";
import { withRawOn, type Connection } from "./direct-raw";

/**
 * A Prisma transaction's own PostgreSQL connection, for its hand-written statements: the transaction's
 * `tx` sends its $queryRaw and $executeRaw there (lib/db/direct-raw: Prisma's per-call machinery was
 * a fifth of a 統合ビュー's CPU), an import's batch write among them.
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
 * there the transaction is Prisma's own.
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

/**
 * `db.$transaction(fn)`, with `tx`'s raw statements sent on the transaction's connection (PostgreSQL);
 * on PGlite, or for a connection that was not seen, Prisma's own `tx`.
 */
export function transactionWithConnection<T>(db: Db, fn: (tx: Tx) => Promise<T>): Promise<T> {
  const slot: Slot = {};
  return slots.run(slot, () =>
    db.$transaction((tx) => {
      const c = connectionOf(slot);
      return c ? fn(withRawOn(tx, c)) : fn(tx);
    }),
  );
}

const connectionOf = (slot: Slot): Connection | null => (slot.client ? (slot as Connection) : null);
