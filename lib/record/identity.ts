import { Prisma } from "../db/generated/client";
import type { Tx } from "../db/client";
import type { Withheld } from "../access/decide";
import type { RecordKind } from "../format/record-kinds";
import { disclosedFacilities } from "../access/disclosure";
import { visibleCounts } from "./record-map";
import { inTurn } from "../db/in-turn";

/** Who a patient is, as every patient list and header shows it (no clinical data). */
export interface PatientBasics {
  id: string;
  familyName: string;
  givenName: string;
  familyNameKana: string;
  givenNameKana: string;
  sex: string;
  /** calendar date, YYYY-MM-DD */
  birthDate: string;
}

export function patientBasics(p: Omit<PatientBasics, "birthDate"> & { birthDate: Date }): PatientBasics {
  return {
    id: p.id,
    familyName: p.familyName,
    givenName: p.givenName,
    familyNameKana: p.familyNameKana,
    givenNameKana: p.givenNameKana,
    sex: p.sex,
    birthDate: p.birthDate.toISOString().slice(0, 10),
  };
}

export interface PatientIdentity extends PatientBasics {
  insurerNumber: string | null;
  insuredSymbol: string | null;
  insuredNumber: string | null;
  /** facilities holding this patient's records (from the patient links) */
  facilities: { id: string; name: string; localPatientId: string }[];
}

/** Who is looking, as far as the header is concerned: what they may see of this patient. */
export interface HeaderViewer {
  facilityId: string;
  kinds: readonly RecordKind[];
  withheld: Withheld;
}

/**
 * Facilities holding at least one record of this patient that the viewer may see (kinds and
 * withholding applied), in one statement: a record-less facility is not named, and neither is one
 * whose every record is withheld (a psychiatric clinic's name says what the patient withheld).
 */
export async function facilitiesWithVisibleRecords(tx: Tx, patientId: string, viewer: HeaderViewer): Promise<Map<string, number>> {
  if (viewer.kinds.length === 0) return new Map();
  const rows = await tx.$queryRaw<{ facilityId: string; n: number }[]>(Prisma.sql`SELECT "facilityId", sum(n)::int AS n FROM (${visibleCounts(patientId, viewer.kinds, viewer.withheld)}) v GROUP BY 1`);
  return new Map(rows.map((r) => [r.facilityId, Number(r.n)]));
}

/** The header's row of the patient, with its links and their facilities' names. */
export interface HeaderRow extends Omit<PatientBasics, "birthDate" | "id">, Pick<PatientIdentity, "insurerNumber" | "insuredSymbol" | "insuredNumber"> {
  id: string;
  birthDate: Date;
  links: { id: string; name: string; localPatientId: string }[];
}

/**
 * The header's columns of "Patient" p, for a statement that reads the patient anyway (the guard's,
 * lib/record/access-facts.ts): the header then costs no round trip of its own.
 */
export const headerColumns = Prisma.sql`p.id, p."familyName", p."givenName", p."familyNameKana", p."givenNameKana", p.sex::text AS sex, p."birthDate",
  p."insurerNumber", p."insuredSymbol", p."insuredNumber",
  COALESCE((SELECT json_agg(json_build_object('id', l."facilityId", 'name', f.name, 'localPatientId', l."localPatientId") ORDER BY l."facilityId")
            FROM "PatientLink" l JOIN "Facility" f ON f.id = l."facilityId" WHERE l."patientId" = p.id), '[]') AS links`;

async function readHeaderRow(tx: Tx, patientId: string): Promise<HeaderRow> {
  const p = await tx.patient.findUniqueOrThrow({
    where: { id: patientId },
    include: { links: { include: { facility: { select: { name: true } } }, orderBy: { facilityId: "asc" } } },
  });
  return { ...p, links: p.links.map((l) => ({ id: l.facilityId, name: l.facility.name, localPatientId: l.localPatientId })) };
}

/**
 * The header every patient page shows: who, insurance, and where they have records — only the
 * facilities whose records this viewer may see, and the viewer's own (it knows its own patient).
 * `visible`: those facilities' counts when the caller has already read them under the same kinds and
 * withholding (the 統合ビュー's record map), so they are not read twice; `row`: the patient's header
 * row when the guard read it with the access facts.
 */
export async function readIdentity(tx: Tx, patientId: string, viewer: HeaderViewer, visible?: ReadonlyMap<string, number>, row?: HeaderRow): Promise<PatientIdentity> {
  const [p, counts] = await inTurn(
    () => (row ? Promise.resolve(row) : readHeaderRow(tx, patientId)),
    () => (visible ? Promise.resolve(visible) : facilitiesWithVisibleRecords(tx, patientId, viewer)),
  );
  const shown = new Set(disclosedFacilities(p.links, counts).map((f) => f.id));
  return {
    ...patientBasics(p),
    insurerNumber: p.insurerNumber,
    insuredSymbol: p.insuredSymbol,
    insuredNumber: p.insuredNumber,
    facilities: p.links.filter((f) => shown.has(f.id) || f.id === viewer.facilityId),
  };
}
