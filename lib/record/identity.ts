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
async function facilitiesWithVisibleRecords(tx: Tx, patientId: string, viewer: HeaderViewer): Promise<Map<string, number>> {
  if (viewer.kinds.length === 0) return new Map();
  const rows = await tx.$queryRaw<{ facilityId: string; n: number }[]>(Prisma.sql`SELECT "facilityId", sum(n)::int AS n FROM (${visibleCounts(patientId, viewer.kinds, viewer.withheld)}) v GROUP BY 1`);
  return new Map(rows.map((r) => [r.facilityId, Number(r.n)]));
}

/**
 * The header every patient page shows: who, insurance, and where they have records — only the
 * facilities whose records this viewer may see, and the viewer's own (it knows its own patient).
 * `visible`: those facilities' counts when the caller has already read them under the same kinds and
 * withholding (the 統合ビュー's record map), so they are not read twice.
 */
export async function readIdentity(tx: Tx, patientId: string, viewer: HeaderViewer, visible?: ReadonlyMap<string, number>): Promise<PatientIdentity> {
  const [p, counts] = await inTurn(
    () => tx.patient.findUniqueOrThrow({
      where: { id: patientId },
      include: { links: { include: { facility: { select: { name: true } } }, orderBy: { facilityId: "asc" } } },
    }),
    () => (visible ? Promise.resolve(visible) : facilitiesWithVisibleRecords(tx, patientId, viewer)),
  );
  const linked = p.links.map((l) => ({ id: l.facilityId, name: l.facility.name, localPatientId: l.localPatientId }));
  const shown = new Set(disclosedFacilities(linked, counts).map((f) => f.id));
  return {
    ...patientBasics(p),
    insurerNumber: p.insurerNumber,
    insuredSymbol: p.insuredSymbol,
    insuredNumber: p.insuredNumber,
    facilities: linked.filter((f) => shown.has(f.id) || f.id === viewer.facilityId),
  };
}
