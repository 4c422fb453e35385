import type { Tx } from "../db/client";
import { getReplicaDb } from "../db/client";
import { classifyDatabaseError, hasErrorCode } from "../db/pressure";

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

/**
 * The replica is away, unreachable or without a connection to give (the primary's own classifier,
 * which leaves the primary's state alone), or Prisma timed out reaching it (P1002) or starting or
 * keeping a transaction there (P2028): any of them, and the primary answers instead.
 */
const replicaAway = (e: unknown) => classifyDatabaseError(e) !== null || hasErrorCode(e, ["P1002", "P2028"]);
