import { CODE_SYSTEM } from "../../terminology/code-systems";
import type { FhirCondition } from "./types";
import { coding, compact, concept, dateAtPrecision, jstDateTime, referenceTo, resourceBase, type Resource, type RowMeta } from "./write-common";

/** A stored condition: the fields the reader (condition.ts) gives back, and the stored precision and 転帰. */
export interface ConditionRow extends RowMeta, Pick<FhirCondition, "endedAt" | "codeSystem" | "code" | "display" | "icd10" | "suspected"> {
  id: string;
  patientId: string;
  occurredAt: Date;
  /** YEAR | MONTH | NONE | null (a full date) */
  occurredPrecision: string | null;
  /** CURED | DIED | STOPPED | TRANSFERRED | 軽快 | null (ongoing) */
  outcome: string | null;
}

const CLINICAL = "http://terminology.hl7.org/CodeSystem/condition-clinical";
const VERIFICATION = "http://terminology.hl7.org/CodeSystem/condition-ver-status";

/**
 * The 転帰 as clinicalStatus (condition.ts reads it back): ongoing is active, 治癒 resolved, 軽快
 * remission; any other end (中止, 死亡, 転医, or an end date without an outcome) is inactive, which
 * claims no cure (con-4: an abated condition is never active).
 */
function clinicalStatus(c: ConditionRow): string {
  if (c.endedAt === null && c.outcome === null) return "active";
  if (c.outcome === "CURED") return "resolved";
  if (c.outcome === "軽快") return "remission";
  return "inactive";
}

/** JP_Condition: the 病名 coding as stored (MEDIS), its ICD-10 beside it, and the name as written in code.text. */
export function writeCondition(c: ConditionRow): Resource {
  return compact({
    ...resourceBase("Condition", c.id, "JP_Condition", c, `${c.display}${c.suspected ? "（疑い）" : ""}`),
    clinicalStatus: concept(CLINICAL, clinicalStatus(c)),
    // 疑い病名 is provisional (a kind of unconfirmed), as JP Core senders write it
    verificationStatus: concept(VERIFICATION, c.suspected ? "provisional" : "confirmed"),
    code: compact({
      coding: [...(c.code ? [coding(c.codeSystem, c.code, c.display)] : []), ...(c.icd10 ? [coding(CODE_SYSTEM.ICD10, c.icd10)] : [])],
      text: c.display,
    }),
    subject: referenceTo("Patient", c.patientId),
    onsetDateTime: dateAtPrecision(c.occurredAt, c.occurredPrecision),
    abatementDateTime: c.endedAt ? jstDateTime(c.endedAt) : null,
  });
}
