import type { Tx } from "../db/client";
import { Prisma } from "../db/generated/client";
import type { Hl7Contact } from "../interop/ssmix2/contacts";
import type { ContactKind } from "../access/data-kinds";
import { rowsFrom, type ReadBatch } from "./read-batch";

/** What a facility's files said about the patient's identity that differs from the patient's own. */
export interface SourceMismatch {
  birthDates: string[];
  sexes: string[];
}

/**
 * A telephone, contact or insurance a facility registered for the patient: the row is what its SS-MIX2
 * ADT-00 said (PID-13/14, NK1, IN1), field for field, so it has the parser's shape.
 */
export type RegisteredContact = Hl7Contact;

export interface SourceNotes {
  /** facility id → when it last sent this patient's data, for the facilities on the map that ever did */
  lastReceived: Record<string, string>;
  /** facility id → the birth dates and sexes its files gave that differ from the patient's (lib/ingest keeps them on the link) */
  sourceMismatches: Record<string, SourceMismatch>;
  /** facility id → the telephones, contacts and insurance it registered, in its order (only when the read may show them) */
  contacts: Record<string, RegisteredContact[]>;
}

/**
 * For the facilities the record map shows: when each last sent this patient's data (silence from a
 * facility must not read as "nothing happened"), whether its files named the patient with another
 * birth date or sex (a wrong link, or a sender's typo, is for the clinician to weigh, not only the
 * operator), and — when the caller's decision allows (lib/access contactKinds) — the telephones,
 * contacts and insurance it registered. Only facilities already on the map are asked about, so a
 * facility whose records are all withheld is not revealed here either. One statement for all.
 * `facilities`: the map's facilities as a subquery of ids (record-map.ts mapFacilities), so that the
 * read need not wait for the map's.
 */
export async function readSourceNotes(db: Tx | ReadBatch, patientId: string, facilities: Prisma.Sql, contactKinds: readonly ContactKind[]): Promise<SourceNotes> {
  const rows = await rowsFrom<{ facilityId: string; at: Date | null; births: string[] | null; sexes: string[] | null; contacts: RegisteredContact[] | string | null }>(db, Prisma.sql`
    SELECT f.id AS "facilityId",
      (SELECT max(d."importedAt") FROM "IngestDocument" d WHERE d."patientId" = ${patientId} AND d."facilityId" = f.id) AS at,
      sent.births, sent.sexes,
      -- none when the read may show no kind of them: ANY of an empty list matches no row
      (
        SELECT json_agg(json_build_object('kind', c.kind, 'code', c.code, 'text', c.text, 'name', c.name, 'nameKana', c."nameKana", 'phone', c.phone,
                 'workPhone', c."workPhone", 'address', c.address, 'insurerNumber', c."insurerNumber", 'insuredRelation', c."insuredRelation",
                 'validFrom', c."validFrom", 'validTo', c."validTo") ORDER BY c.position, c.id)
          FROM "PatientContact" c WHERE c."patientId" = ${patientId} AND c."facilityId" = f.id AND c.kind = ANY(${[...contactKinds]}::text[])) AS contacts
    FROM (${facilities}) AS f(id)
    -- the birth dates and sexes sent on the links of this facility: one pass over them
    LEFT JOIN LATERAL (
      SELECT array_agg(DISTINCT x.v ORDER BY x.v) FILTER (WHERE x.k = 'b') AS births, array_agg(DISTINCT x.v ORDER BY x.v) FILTER (WHERE x.k = 's') AS sexes
      FROM "PatientLink" l, LATERAL (SELECT 'b', unnest(l."sentBirthDates") UNION ALL SELECT 's', unnest(l."sentSexes")) AS x(k, v)
      WHERE l."patientId" = ${patientId} AND l."facilityId" = f.id) AS sent ON TRUE`,
    { dates: ["at"] },
  );
  const notes: SourceNotes = { lastReceived: {}, sourceMismatches: {}, contacts: {} };
  for (const r of rows) {
    if (r.at) notes.lastReceived[r.facilityId] = new Date(r.at).toISOString();
    if (r.births?.length || r.sexes?.length) notes.sourceMismatches[r.facilityId] = { birthDates: r.births ?? [], sexes: r.sexes ?? [] };
    // json arrives parsed from node-postgres and as text from PGlite's driver adapter
    const contacts = typeof r.contacts === "string" ? (JSON.parse(r.contacts) as RegisteredContact[]) : r.contacts;
    if (contacts?.length) notes.contacts[r.facilityId] = contacts;
  }
  return notes;
}
