import type { IngestIssue } from "./fhir-document";

/**
 * FHIR OperationOutcome, as every refusal of /api/fhir answers: each issue names the element
 * (expression) and says what is wrong in Japanese (details.text) and English (diagnostics).
 */
export interface OperationOutcome {
  resourceType: "OperationOutcome";
  issue: {
    severity: "fatal" | "error" | "warning" | "information";
    code: string;
    details: { text: string };
    diagnostics: string;
    expression?: string[];
  }[];
}

export const outcomeOf = (issues: { severity: "fatal" | "error" | "warning" | "information"; code: string; ja: string; en: string; expression?: string }[]): OperationOutcome => ({
  resourceType: "OperationOutcome",
  issue: issues.map((i) => ({ severity: i.severity, code: i.code, details: { text: i.ja }, diagnostics: i.en, ...(i.expression ? { expression: [i.expression] } : {}) })),
});

/** The importer's issues, with invariant ids kept where the reader of the answer will look for them. */
export const outcomeOfIssues = (issues: IngestIssue[]): OperationOutcome =>
  outcomeOf(issues.map((i) => ({ severity: i.severity, code: i.invariant ? "invariant" : i.code, ja: i.invariant ? `${i.invariant}: ${i.ja}` : i.ja, en: i.invariant ? `${i.invariant}: ${i.en}` : i.en, expression: i.expression || undefined })));
