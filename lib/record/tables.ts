import { Prisma } from "../db/generated/client";
import type { RecordKind } from "../access/data-kinds";

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
