import type { Profession } from "./decide";

/**
 * Role × data-kind: what each profession may see of a record it has access to. One table, used by
 * lib/record for every list, and printed in the README. Pharmacists see medication, allergy and the
 * prescribing context (diagnoses, kidney/liver labs), not documents or procedures.
 */
export const RECORD_KINDS = ["encounter", "condition", "prescription", "lab", "checkup", "allergy", "procedure", "document"] as const;
export type RecordKind = (typeof RECORD_KINDS)[number];

const ALL: readonly RecordKind[] = RECORD_KINDS;

export const KINDS_BY_PROFESSION: Record<Profession, readonly RecordKind[]> = {
  DOCTOR: ALL,
  DENTIST: ALL,
  NURSE: ALL,
  EMERGENCY: ALL,
  PHARMACIST: ["encounter", "condition", "prescription", "lab", "allergy"],
  CLERK: [],
  ADMIN: [],
};

/** The emergency dataset (救急時医療情報): what an EMERGENCY scope (emergency-only consent or break-glass) yields. */
export const EMERGENCY_KINDS: readonly RecordKind[] = ["condition", "prescription", "allergy", "procedure", "encounter", "document"];

export function visibleKinds(profession: Profession, scope: "FULL" | "EMERGENCY"): RecordKind[] {
  const byRole = KINDS_BY_PROFESSION[profession];
  return byRole.filter((k) => scope === "FULL" || EMERGENCY_KINDS.includes(k));
}
