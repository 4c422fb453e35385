/**
 * A result's abnormal flag as the record keeps it (H, L, N, A: the direction the views mark), from
 * HL7 v2 table 0078 (OBX-8) or FHIR's v3 ObservationInterpretation, which share these codes: HH/LL/AA
 * (critical) and HU/LU (significantly) are kinds of H/L/A. One table for both formats, so that an
 * SS-MIX2 "HH" and a FHIR "HH" read the same.
 */
const FLAG: ReadonlyMap<string, "H" | "L" | "N" | "A"> = new Map([
  ["H", "H"], ["HH", "H"], ["HU", "H"], ["L", "L"], ["LL", "L"], ["LU", "L"], ["N", "N"], ["A", "A"], ["AA", "A"],
]);

/** The record's flag for one code, or undefined when the code is none of these. */
export const labFlag = (code: string): "H" | "L" | "N" | "A" | undefined => FLAG.get(code.trim().toUpperCase());
