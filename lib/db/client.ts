import type { SqlDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import { PrismaClient } from "./generated/client";
import { openAdapter, type Engine } from "./adapter";
import { env } from "../env";

/** Columns that never leave lib/auth: omitted from every query unless explicitly selected. */
const OMIT = { user: { passwordHash: true, totpSecret: true, totpPendingSecret: true }, recoveryCode: { codeHash: true } } as const;

function makeClient(factory: SqlDriverAdapterFactory) {
  const { TSUNAGU_DB_TX_WAIT_MS: maxWait, TSUNAGU_DB_TX_TIMEOUT_MS: timeout } = env();
  // errorFormat "minimal": Prisma otherwise captures a stack trace (new Error) on every call to point
  // a failure at its line of our code, 0.15 ms of a heavy 統合ビュー's ~13 ms CPU; the error's code
  // and message stay, and our own logs carry the stack of where it was caught
  return new PrismaClient({ adapter: factory, omit: OMIT, transactionOptions: { maxWait, timeout }, errorFormat: "minimal" });
}
export type Db = ReturnType<typeof makeClient>;
/** The client inside an interactive transaction. */
export type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

interface Handle {
  db: Db;
  engine: Engine;
  close(): Promise<void>;
}

// Kept on globalThis so Next.js dev reloads reuse one PGlite instance (a second open of the same
// directory in one process would fail).
const g = globalThis as unknown as { __tsunaguDb?: Promise<Handle>; __tsunaguReplica?: Promise<Handle> };

async function open(role: "app" | "replica" = "app"): Promise<Handle> {
  const adapter = await openAdapter(role);
  const db = makeClient(adapter.factory);
  return {
    db,
    engine: adapter.engine,
    async close() {
      await db.$disconnect();
      await adapter.close();
    },
  };
}

/** The one Prisma client of this process. */
export async function getDb(): Promise<Db> {
  g.__tsunaguDb ??= open().catch((e) => {
    g.__tsunaguDb = undefined;
    throw e;
  });
  return (await g.__tsunaguDb).db;
}

/**
 * The client of the read replica (DATABASE_REPLICA_URL), or null when none is configured: only
 * lib/record/guard.ts uses it, for reads that declare they may see a replica's slightly older copy.
 */
export async function getReplicaDb(): Promise<Db | null> {
  if (!env().DATABASE_REPLICA_URL) return null;
  g.__tsunaguReplica ??= open("replica").catch((e) => {
    g.__tsunaguReplica = undefined;
    throw e;
  });
  return (await g.__tsunaguReplica).db;
}

export async function dbEngine(): Promise<Engine> {
  await getDb();
  return (await g.__tsunaguDb!).engine;
}

export async function closeDb(): Promise<void> {
  const handles = [g.__tsunaguDb, g.__tsunaguReplica];
  g.__tsunaguDb = g.__tsunaguReplica = undefined;
  for (const h of handles) if (h) await (await h).close();
}

/** The client if this process has one open, without opening one (for background work that must not outlive closeDb). */
export async function openDbIfAny(): Promise<Db | null> {
  const h = g.__tsunaguDb;
  return h ? (await h).db : null;
}
