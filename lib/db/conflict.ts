/**
 * A transaction PostgreSQL aborted because it could not order it against another: a deadlock (40P01)
 * or a serialization failure (40001). Nothing of it was written, and the same work run again in a
 * new transaction normally succeeds. Prisma reports these as P2034, or, for a raw statement, as
 * P2010 carrying the driver's code (driverAdapterError: TransactionWriteConflict).
 */
export function isOrderingConflict(e: unknown): boolean {
  if (!e || typeof e !== "object") return false;
  const x = e as { code?: unknown; meta?: { driverAdapterError?: { cause?: { originalCode?: unknown; kind?: unknown } } } };
  if (x.code === "P2034") return true;
  const cause = x.meta?.driverAdapterError?.cause;
  return cause?.kind === "TransactionWriteConflict" || cause?.originalCode === "40P01" || cause?.originalCode === "40001";
}
