import type { Tx } from "../db/client";
import { Prisma } from "../db/generated/client";

/** What a facility's files said about the patient's identity that differs from the patient's own. */
export interface SourceMismatch {
  birthDates: string[];
  sexes: string[];
}

export interface SourceNotes {
  /** facility id → when it last sent this patient's data, for the facilities on the map that ever did */
  lastReceived: Record<string, string>;
  /** facility id → the birth dates and sexes its files gave that differ from the patient's (lib/ingest keeps them on the link) */
  sourceMismatches: Record<string, SourceMismatch>;
}

/**
 * For the facilities the record map shows: when each last sent this patient's data (silence from a
 * facility must not read as "nothing happened"), and whether its files named the patient with another
 * birth date or sex (a wrong link, or a sender's typo, is for the clinician to weigh, not only the
 * operator). Only facilities already on the map are asked about, so a facility whose records are all
 * withheld is not revealed here either. One statement for both.
 */
export async function readSourceNotes(tx: Tx, patientId: string, facilityIds: readonly string[]): Promise<SourceNotes> {
  if (facilityIds.length === 0) return { lastReceived: {}, sourceMismatches: {} };
  const rows = await tx.$queryRaw<{ facilityId: string; at: Date | null; births: string[] | null; sexes: string[] | null }[]>(Prisma.sql`
    SELECT f.id AS "facilityId",
      (SELECT max(d."importedAt") FROM "IngestDocument" d WHERE d."patientId" = ${patientId} AND d."facilityId" = f.id) AS at,
      (SELECT array_agg(DISTINCT b ORDER BY b) FROM "PatientLink" l, unnest(l."sentBirthDates") b WHERE l."patientId" = ${patientId} AND l."facilityId" = f.id) AS births,
      (SELECT array_agg(DISTINCT s ORDER BY s) FROM "PatientLink" l, unnest(l."sentSexes") s WHERE l."patientId" = ${patientId} AND l."facilityId" = f.id) AS sexes
    FROM unnest(${[...facilityIds]}::text[]) AS f(id)`);
  const notes: SourceNotes = { lastReceived: {}, sourceMismatches: {} };
  for (const r of rows) {
    if (r.at) notes.lastReceived[r.facilityId] = new Date(r.at).toISOString();
    if (r.births?.length || r.sexes?.length) notes.sourceMismatches[r.facilityId] = { birthDates: r.births ?? [], sexes: r.sexes ?? [] };
  }
  return notes;
}
