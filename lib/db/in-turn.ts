/**
 * Reads that share one transaction, run one after another, with Promise.all's typed result. A
 * transaction is one connection, and node-postgres runs one statement at a time on it anyway: queueing
 * several at once gains nothing and is deprecated (pg warns "client.query() when the client is already
 * executing a query"; pg 9 makes it an error). Each step starts when the previous one has finished.
 */
export async function inTurn<T extends readonly (() => Promise<unknown>)[]>(...steps: T): Promise<{ -readonly [K in keyof T]: Awaited<ReturnType<T[K]>> }> {
  const out: unknown[] = [];
  for (const step of steps) out.push(await step());
  return out as { -readonly [K in keyof T]: Awaited<ReturnType<T[K]>> };
}
