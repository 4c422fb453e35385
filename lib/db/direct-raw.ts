import pg from "pg";
import { Prisma } from "./generated/client";
import type { Tx } from "./client";

/**
 * Raw statements sent on a transaction's own node-postgres connection, answering as Prisma's
 * `$queryRaw` / `$executeRaw` do.
 *
 * Each Prisma call runs its query interpreter, its tracing hooks and its result deserialiser on top of
 * node-postgres: on the 統合ビュー's heavy first screen, about a fifth of the data function's CPU was
 * Prisma's own (a --cpu-prof of getPatientView, issue 17), for four hand-written statements that need
 * none of it. Sent here, a statement is the same text with the same values in the same transaction.
 *
 * The values come back as Prisma gives them, so that no reader can tell the difference (and a test,
 * tests/transaction-connection.test.ts, compares the two over every column type the schema and the reads use):
 * int8 as bigint, numeric as Prisma.Decimal, a timestamp without time zone as the UTC instant Prisma
 * stores, a date as its UTC midnight, json as parsed.
 */

const OID = {
  int8: 20,
  bytea: 17,
  numeric: 1700,
  date: 1082,
  time: 1083,
  timestamp: 1114,
  json: 114,
  jsonb: 3802,
  int8Array: 1016,
  numericArray: 1231,
  dateArray: 1182,
  timestampArray: 1115,
  jsonArray: 199,
  jsonbArray: 3807,
} as const;

/** node-postgres' own parser of a type */
const parserOf = pg.types.getTypeParser as (oid: number, format: "text" | "binary") => (s: string) => unknown;
/** A timestamp without time zone read as UTC, the zone Prisma's DateTime stores in (node-postgres would take it as local time). */
const utc = (s: string) => new Date(`${s.replace(" ", "T")}Z`);
const scalar: Record<number, (s: string) => unknown> = {
  [OID.int8]: (s) => BigInt(s),
  [OID.numeric]: (s) => new Prisma.Decimal(s),
  [OID.date]: (s) => new Date(`${s}T00:00:00Z`),
  [OID.time]: (s) => new Date(`1970-01-01T${s}Z`),
  [OID.timestamp]: utc,
  // Prisma gives a plain Uint8Array, not node's Buffer
  [OID.bytea]: (s) => new Uint8Array(parserOf(OID.bytea, "text")(s) as Buffer),
  [OID.json]: (s) => JSON.parse(s),
  [OID.jsonb]: (s) => JSON.parse(s),
};
const arrays: Record<number, (s: string) => unknown> = {
  [OID.int8Array]: scalar[OID.int8]!,
  [OID.numericArray]: scalar[OID.numeric]!,
  [OID.dateArray]: scalar[OID.date]!,
  [OID.timestampArray]: utc,
  [OID.jsonArray]: scalar[OID.json]!,
  [OID.jsonbArray]: scalar[OID.jsonb]!,
};

/** text[]'s parser: an array's elements as text (or null), each then read by its own type's parser above */
const TEXT_ARRAY = 1009;
const elementsOf = parserOf(TEXT_ARRAY, "text") as (s: string) => (string | null)[];

const parsers: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: "text" | "binary") => {
    if (format === "binary") return parserOf(oid, "binary");
    const own = scalar[oid];
    if (own) return own;
    const element = arrays[oid];
    if (element) return (s: string) => elementsOf(s).map((x) => (x === null ? null : element(x)));
    return parserOf(oid, "text");
  }) as pg.CustomTypesConfig["getTypeParser"],
};

/** A value as Prisma would send it: a Date as its UTC instant (Prisma keeps DateTime in UTC), a bigint or Decimal as its digits. */
function asParameter(v: unknown): unknown {
  if (v instanceof Date) return v.toISOString();
  if (typeof v === "bigint") return v.toString();
  if (Prisma.Decimal.isDecimal(v)) return (v as Prisma.Decimal).toString();
  if (Array.isArray(v)) return v.map(asParameter);
  return v;
}

/** The statement as Prisma.Sql, from either way of calling $queryRaw: a tagged template or a Prisma.sql value. */
function statementOf(first: unknown, rest: unknown[]): Prisma.Sql {
  if (first instanceof Prisma.Sql) return first;
  return Prisma.sql(first as TemplateStringsArray, ...rest);
}

export interface Connection {
  client: pg.PoolClient;
  /** the pool's statement names (lib/db/statement-names), as Prisma's statements on it use */
  name?: (sql: string) => string | undefined;
  /** set when the transaction's connection went back to the pool: nothing more may be sent on it */
  released?: boolean;
}

/** Sends a statement on the connection, as its transaction's; refuses once the transaction has ended. */
export function sendOn(c: Connection, s: Prisma.Sql): Promise<pg.QueryResult<Record<string, unknown>>> {
  // A transaction Prisma ended (its time limit) has given the connection back to the pool, where it
  // may be another request's by now: nothing of this one may run there.
  if (c.released) return Promise.reject(new Error("Transaction already closed: its connection went back to the pool"));
  return c.client.query({ name: c.name?.(s.text), text: s.text, values: s.values.map(asParameter), types: parsers });
}

/**
 * `tx` with its $queryRaw and $executeRaw sent on the connection (every other method is Prisma's, on
 * the same connection and transaction). Keep the value returned: it is the key of what other modules
 * note about the transaction (lib/audit's held chain locks).
 */
export function withRawOn(tx: Tx, c: Connection): Tx {
  const queryRaw = (first: unknown, ...rest: unknown[]) => sendOn(c, statementOf(first, rest)).then((r) => r.rows);
  const executeRaw = (first: unknown, ...rest: unknown[]) => sendOn(c, statementOf(first, rest)).then((r) => r.rowCount ?? 0);
  return new Proxy(tx, {
    get(target, prop) {
      if (prop === "$queryRaw") return queryRaw;
      if (prop === "$executeRaw") return executeRaw;
      return Reflect.get(target, prop, target);
    },
  });
}
