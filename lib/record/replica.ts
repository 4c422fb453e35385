import type { Tx } from "../db/client";
import { getReplicaDb } from "../db/client";
import { isUnavailableError } from "../db/pressure";

/**
 * Reads of clinical records may go to a read replica (DATABASE_REPLICA_URL), to take their CPU off
 * the primary. The decision, the audit row and anything a user must see right after writing it stay
 * on the primary: withPatientAccess decides in its primary transaction, runs the read here, and
 * writes the audit row in that same primary transaction, so an audit row still exists exactly when
 * the read succeeded. The replica's transaction is REPEATABLE READ, so the several statements of one
 * screen see one snapshot.
 *
 * A replica that cannot be reached is not an outage: the read falls back to the primary.
 */
const primaryOfReplicaTx = new WeakMap<Tx, Tx>();

export async function readOnReplica<T>(primary: Tx, read: (tx: Tx) => Promise<T>): Promise<T> {
  const replica = await getReplicaDb().catch(() => null);
  if (!replica) return read(primary);
  try {
    return await replica.$transaction(
      async (tx) => {
        primaryOfReplicaTx.set(tx, primary);
        return read(tx);
      },
      { isolationLevel: "RepeatableRead" },
    );
  } catch (e) {
    if (!replicaAway(e)) throw e;
    return read(primary);
  }
}

/**
 * The primary's transaction for a read that must see the user's own latest writes (an acknowledged
 * warning, shown again in the page re-rendered by the very action that wrote it): a replica may not
 * have replayed it yet. Outside a replica read, `tx` itself.
 */
export const primaryOf = (tx: Tx): Tx => primaryOfReplicaTx.get(tx) ?? tx;

/** The replica is down or unreachable (the error may come wrapped by Prisma's adapter). */
function replicaAway(e: unknown): boolean {
  for (let x: unknown = e, depth = 0; x && depth < 4; x = (x as { cause?: unknown }).cause, depth++) {
    if (isUnavailableError(x)) return true;
    // Prisma's own: P1001 can't reach the server, P2028 no connection within the transaction wait
    if (["P1001", "P1002", "P2028"].includes(String((x as { code?: unknown }).code))) return true;
    const m = x instanceof Error ? x.message : "";
    if (/ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|Can't reach database server|timeout exceeded when trying to connect/i.test(m)) return true;
  }
  return false;
}
