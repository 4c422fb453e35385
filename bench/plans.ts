/**
 * What PostgreSQL does with the statements a read sends: captured on the wire (node-postgres), then
 * EXPLAINed. The bench prints the plans of the 統合ビュー's statements for the heavy patient and flags
 * a sequential scan of a record table (a query that would read every patient's rows); the shard-key
 * test walks the same plans for the patient condition on every scan.
 */
import pg from "pg";
import { flushCheckpoints } from "../lib/audit/checkpoint-schedule";

export interface SentStatement {
  text: string;
  values: unknown[];
}

/**
 * Records every statement any node-postgres client of this process sends while `run` runs. An audit
 * checkpoint still pending from earlier reads is written first: its timer would otherwise fire inside
 * the capture now and then, and count its statement as the read's.
 */
export async function captureStatements<T>(run: () => Promise<T>): Promise<{ value: T; sent: SentStatement[] }> {
  await flushCheckpoints();
  const proto = pg.Client.prototype as unknown as { query: (...a: unknown[]) => unknown };
  const original = proto.query;
  const sent: SentStatement[] = [];
  proto.query = function (this: unknown, ...a: unknown[]) {
    const [first, second] = a as [string | { text: string; values?: unknown[] }, unknown];
    if (typeof first === "string") sent.push({ text: first, values: Array.isArray(second) ? second : [] });
    else if (first && typeof first === "object" && "text" in first) sent.push({ text: first.text, values: first.values ?? [] });
    return original.apply(this, a);
  };
  try {
    return { value: await run(), sent };
  } finally {
    proto.query = original;
  }
}

export type PlanNode = Record<string, unknown> & { Plans?: PlanNode[] };

/** Every node of a plan that reads a table (it names a relation). */
export function* scanNodes(node: PlanNode): Generator<PlanNode> {
  if (typeof node["Relation Name"] === "string") yield node;
  for (const child of node.Plans ?? []) yield* scanNodes(child);
}

/** The plan of one statement with its values bound (an unnamed statement is planned with them). */
export async function planOf(client: pg.Client, s: SentStatement, analyze = false): Promise<{ plan: PlanNode; executionMs: number | null }> {
  const { rows } = await client.query({ text: `EXPLAIN (${analyze ? "ANALYZE, " : ""}FORMAT JSON) ${s.text}`, values: s.values });
  const out = (rows[0] as { "QUERY PLAN": { Plan: PlanNode; "Execution Time"?: number }[] })["QUERY PLAN"][0]!;
  return { plan: out.Plan, executionMs: out["Execution Time"] ?? null };
}
