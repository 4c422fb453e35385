import { Prisma } from "../db/generated/client";
import type { Tx } from "../db/client";
import { jsonRows } from "./json-rows";

/**
 * How a read's rows come back through JSON (lib/record/json-rows.ts): the columns that hold a
 * timestamp or a number, and the rows' order as an ORDER BY over the read's own columns (alias x),
 * where it matters. The read's SQL keeps its own ORDER BY for when it is sent alone.
 */
export interface RowShape {
  dates?: readonly string[];
  numbers?: readonly string[];
  order?: string;
}

interface Queued {
  sql: Prisma.Sql;
  shape: RowShape;
  resolve: (rows: unknown[]) => void;
  reject: (e: unknown) => void;
}

/**
 * Independent reads of one transaction sent as one statement. A screen's reads each ask `rows()` for
 * their statement and wait; `send()` then sends every read asked for so far as one SELECT of one JSON
 * aggregate per read, and each read gets its rows as if it had been sent alone. The 統合ビュー's first
 * screen was twenty statements: each costs a socket write and read on both sides and a Prisma call,
 * which on this network's servers cost more than the reads themselves (issue 17).
 *
 * A read asked for after `send()` (one that needs an earlier read's answer) is sent at once, alone,
 * and one at a time: a transaction is one connection, which runs one statement at a time.
 */
export class ReadBatch {
  private queued: Queued[] = [];
  private sent = false;
  private turn: Promise<unknown> = Promise.resolve();

  constructor(private readonly tx: Tx) {}

  rows<T>(sql: Prisma.Sql, shape: RowShape = {}): Promise<T[]> {
    if (this.sent) {
      const run = this.turn.then(() => this.tx.$queryRaw<T[]>(sql));
      this.turn = run.catch(() => undefined);
      return run;
    }
    return new Promise<T[]>((resolve, reject) => this.queued.push({ sql, shape, resolve: resolve as (rows: unknown[]) => void, reject }));
  }

  /** Sends the reads asked for so far, as one statement; the reads asked for later go alone. */
  async send(): Promise<void> {
    const queued = this.queued;
    this.queued = [];
    this.sent = true;
    if (queued.length === 0) return;
    const run = (async () => {
      try {
        if (queued.length === 1) {
          queued[0]!.resolve(await this.tx.$queryRaw<unknown[]>(queued[0]!.sql));
          return;
        }
        const parts = queued.map(({ sql, shape }, i) => Prisma.sql`(SELECT json_agg(x ${shape.order ? Prisma.raw(`ORDER BY ${shape.order}`) : Prisma.empty}) FROM (${sql}) x) AS ${Prisma.raw(`r${i}`)}`);
        const [row] = await this.tx.$queryRaw<Record<string, unknown>[]>(Prisma.sql`SELECT ${Prisma.join(parts, ", ")}`);
        queued.forEach(({ shape, resolve }, i) => resolve(jsonRows(row?.[`r${i}`], shape.dates ?? [], shape.numbers ?? [])));
      } catch (e) {
        for (const q of queued) q.reject(e);
      }
    })();
    this.turn = run;
    await run;
  }
}

/** A read's rows: into the batch when there is one, else its own statement. */
export function rowsFrom<T>(db: Tx | ReadBatch, sql: Prisma.Sql, shape: RowShape = {}): Promise<T[]> {
  return db instanceof ReadBatch ? db.rows<T>(sql, shape) : db.$queryRaw<T[]>(sql);
}
