import { Prisma } from "../db/generated/client";
import type { RecordKind } from "../access/data-kinds";
import type { Sensitivity } from "../access/decide";

/** The table behind each record kind, for the statements that span kinds (record map, timeline keys). */
const TABLE: Record<RecordKind, string> = {
  encounter: "Encounter",
  condition: "Condition",
  prescription: "Prescription",
  lab: "LabResult",
  checkup: "Checkup",
  allergy: "Allergy",
  procedure: "Procedure",
  document: "Document",
};

/** The quoted table name as SQL (from the fixed list above, never from input). */
export const tableOf = (kind: RecordKind): Prisma.Sql => Prisma.raw(`"${TABLE[kind]}"`);

/**
 * The withheld-category rule in raw SQL (the Prisma twin is banner.ts notWithheld): rows whose
 * `column` (a sensitivity) the patient withholds from this facility never leave the database.
 */
export const notHidden = (column: Prisma.Sql, withheld: readonly Sensitivity[]): Prisma.Sql => Prisma.sql`NOT (${column}::text = ANY(${[...withheld]}::text[]))`;
