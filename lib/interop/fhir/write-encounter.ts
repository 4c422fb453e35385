import { coding, compact, jstDateTime, referenceTo, resourceBase, type Resource, type RowMeta } from "./write-common";
import { CODE_SYSTEM } from "../../terminology/code-systems";
import { ssmixDepartmentName } from "../../terminology/departments";

export interface EncounterRow extends RowMeta {
  id: string;
  patientId: string;
  occurredAt: Date;
  endedAt: Date | null;
  class: "OUTPATIENT" | "INPATIENT" | "EMERGENCY" | "HOME";
  department: string | null;
  reason: string | null;
}

export interface ProcedureRow extends RowMeta {
  id: string;
  patientId: string;
  occurredAt: Date;
  kind: string;
  codeSystem: string | null;
  code: string | null;
  display: string;
  note: string | null;
}

const ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode";
const CLASS = { OUTPATIENT: ["AMB", "外来"], INPATIENT: ["IMP", "入院"], EMERGENCY: ["EMER", "救急"], HOME: ["HH", "在宅"] } as const;

/**
 * The 診療科 as a receiver reads it: an SS-MIX2 code (as PV1-10 sent it) with its system and name
 * (「01」 → 内科), any other department as its text.
 */
function serviceType(department: string | null) {
  if (!department) return null;
  const name = ssmixDepartmentName(department);
  return name ? { coding: [coding(CODE_SYSTEM.SSMIX_DEPARTMENT, department.normalize("NFKC").trim(), name)], text: name } : { text: department };
}

/** JP_Encounter: the visit's class, period, department (serviceType) and reason. An open stay is in progress. */
export function writeEncounter(e: EncounterRow): Resource {
  const [code, label] = CLASS[e.class];
  return compact({
    ...resourceBase("Encounter", e.id, "JP_Encounter", e, [label, e.department, e.reason].filter(Boolean).join(" ")),
    status: e.class === "INPATIENT" && e.endedAt === null ? "in-progress" : "finished",
    class: coding(ACT_CODE, code),
    serviceType: serviceType(e.department),
    subject: referenceTo("Patient", e.patientId),
    period: compact({ start: jstDateTime(e.occurredAt), end: e.endedAt ? jstDateTime(e.endedAt) : null }),
    reasonCode: e.reason ? [{ text: e.reason }] : null,
  });
}

/** JP_Procedure: the K/J/L code as stored, its kind (手術, 輸血, 透析 …) as category text, and the note. */
export function writeProcedure(p: ProcedureRow): Resource {
  return compact({
    ...resourceBase("Procedure", p.id, "JP_Procedure", p, p.display),
    status: "completed",
    category: { text: p.kind },
    code: compact({ coding: p.code ? [coding(p.codeSystem, p.code, p.display)] : [], text: p.display }),
    subject: referenceTo("Patient", p.patientId),
    performedDateTime: jstDateTime(p.occurredAt),
    note: p.note ? [{ text: p.note }] : null,
  });
}
