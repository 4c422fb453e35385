import { Prisma } from "../db/generated/client";
import type { Tx } from "../db/client";
import { jsonRows, jsonValue } from "./json-rows";

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

/**
 * Rows per JSON value. V8 puts a string over 128 KB in its large-object space, which only a full
 * collection frees: one JSON value per read made the heavy patient's medicines (216 rows, Japanese
 * text, so two bytes a character) such a string on every view, and a server under load grew by about
 * 100 MB (bench: peak RSS 700 → 800 MiB at 32 connections). Chunks of this many rows stay well under.
 */
const CHUNK_ROWS = 64;

interface Queued {
  sql: Prisma.Sql;
  shape: RowShape;
  resolve: (rows: unknown[]) => void;
  reject: (e: unknown) => void;
}

/**
 * Independent reads of one transaction sent as one statement. A screen's reads each ask `rows()` for
 * their statement and wait; `send()` then sends every read asked for so far as one statement (a UNION
 * ALL of each read's rows as JSON arrays, CHUNK_ROWS at a time), and each read gets its rows as if it
 * had been sent alone. The 統合ビュー's first
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
        // Each read's rows numbered in their order and sent as JSON arrays of CHUNK_ROWS rows, one
        // result row per chunk: (read, chunk, rows).
        const parts = queued.map(
          ({ sql, shape }, i) => Prisma.sql`SELECT ${i}::int AS q, (y."#" / ${CHUNK_ROWS})::int AS c, json_agg(y ORDER BY y."#") AS j
            FROM (SELECT x.*, row_number() OVER (${shape.order ? Prisma.raw(`ORDER BY ${shape.order}`) : Prisma.empty}) - 1 AS "#" FROM (${sql}) x) y GROUP BY 2`,
        );
        const chunks = await this.tx.$queryRaw<{ q: number; c: number; j: unknown }[]>(Prisma.sql`${Prisma.join(parts, " UNION ALL ")}`);
        chunks.sort((a, b) => a.q - b.q || a.c - b.c);
        const rows: unknown[][] = queued.map(() => []);
        for (const { q, j } of chunks) {
          const part = jsonValue<Record<string, unknown>[]>(j);
          for (const r of part) delete r["#"];
          rows[q]!.push(...part);
        }
        queued.forEach(({ shape, resolve }, i) => resolve(jsonRows(rows[i], shape.dates ?? [], shape.numbers ?? [])));
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
