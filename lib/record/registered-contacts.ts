import type { Tx } from "../db/client";
import type { ContactKind } from "../access/data-kinds";
import type { CoverageRow } from "../interop/fhir/write-coverage";

/** A registered telephone, contact or insurance with what a FHIR resource is named by: its row id, and its facility's code. */
export type RegisteredContactRow = CoverageRow;

/** The row as the parser wrote it (lib/interop/ssmix2/contacts.ts Hl7Contact), with its ids. */
const CONTACT_FIELDS = {
  id: true, patientId: true, kind: true, code: true, text: true, name: true, nameKana: true, phone: true, workPhone: true, address: true,
  insurerNumber: true, insuredRelation: true, validFrom: true, validTo: true,
} as const;

/**
 * The telephones, contacts and insurance the 統合ビュー shows this reader (lib/record/last-received.ts
 * readSourceNotes), as rows with their ids, for the FHIR export: the same facilities (those on the
 * reader's record map, so a facility whose records are all withheld is not revealed by its contacts
 * either) and only the kinds the decision allows (lib/access contactKinds; none under an
 * emergency-only consent or break-glass). In each facility's order, the facilities by id.
 */
export async function readRegisteredContacts(tx: Tx, patientId: string, facilityIds: readonly string[], kinds: readonly ContactKind[]): Promise<RegisteredContactRow[]> {
  if (facilityIds.length === 0 || kinds.length === 0) return [];
  const rows = await tx.patientContact.findMany({
    where: { patientId, facilityId: { in: [...facilityIds] }, kind: { in: [...kinds] } },
    orderBy: [{ facilityId: "asc" }, { position: "asc" }, { id: "asc" }],
    select: { ...CONTACT_FIELDS, facility: { select: { code: true } } },
  });
  return rows.map(({ facility, ...r }) => ({ ...r, kind: r.kind as ContactKind, facilityCode: facility.code }));
}
