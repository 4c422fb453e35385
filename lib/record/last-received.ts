import type { Tx } from "../db/client";

/**
 * When each facility last sent this patient's data (the last import of one of its documents), for
 * the facilities the record map shows: silence from a facility must not read as "nothing happened".
 * Only facilities already on the map are asked about, so a facility whose records are all withheld
 * is not revealed here either.
 */
export async function readLastReceived(tx: Tx, patientId: string, facilityIds: readonly string[]): Promise<Record<string, string>> {
  if (facilityIds.length === 0) return {};
  const rows = await tx.ingestDocument.groupBy({ by: ["facilityId"], where: { patientId, facilityId: { in: [...facilityIds] } }, _max: { importedAt: true } });
  return Object.fromEntries(rows.flatMap((r) => (r._max.importedAt ? [[r.facilityId, r._max.importedAt.toISOString()]] : [])));
}
