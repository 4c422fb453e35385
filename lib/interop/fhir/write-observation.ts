import type { FhirLab } from "./types";
import { coding, compact, concept, jstDateTime, referenceTo, resourceBase, type Resource, type RowMeta } from "./write-common";

/**
 * What a lab result and a checkup item share: a coded value with its unit, range and flag — the fields
 * the reader (lab.ts) gives back, as stored (a 健診 item has no range text; the flag is H, L, N or A).
 */
type Measured = Pick<FhirLab, "codeSystem" | "code" | "display" | "valueNumeric" | "valueText" | "unit" | "refLow" | "refHigh"> & { id: string; refText?: string | null; flag: string | null };

export interface LabRow extends Measured, RowMeta {
  patientId: string;
  occurredAt: Date;
}

export interface CheckupRow extends RowMeta {
  id: string;
  patientId: string;
  occurredAt: Date;
  programme: string;
  items: Measured[];
}

const CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category";
const INTERPRETATION = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation";

/**
 * The value as stored: a number with its unit, else the text. A row holding both (a number and a
 * comment) writes the number; value[x] is one element in FHIR, and the text goes in note.
 */
function value(m: Measured) {
  if (m.valueNumeric !== null) return { valueQuantity: compact({ value: m.valueNumeric, unit: m.unit }), note: m.valueText ? [{ text: m.valueText }] : null };
  return { valueString: m.valueText };
}

function referenceRange(m: Measured) {
  const bound = (v: number | null) => (v === null ? null : compact({ value: v, unit: m.unit }));
  const range = compact({ low: bound(m.refLow), high: bound(m.refHigh), text: m.refText ?? null });
  return Object.keys(range).length ? [range] : null;
}

function observation(m: Measured, at: { patientId: string; occurredAt: Date }, meta: RowMeta, profile: string, category: string): Resource {
  const shown = m.valueNumeric !== null ? `${m.valueNumeric}${m.unit ? ` ${m.unit}` : ""}` : (m.valueText ?? "");
  return compact({
    ...resourceBase("Observation", m.id, profile, meta, `${m.display} ${shown}${m.flag && m.flag !== "N" ? ` (${m.flag})` : ""}`),
    status: "final",
    category: [concept(CATEGORY, category)],
    code: { coding: [coding(m.codeSystem, m.code, m.display)], text: m.display },
    subject: referenceTo("Patient", at.patientId),
    effectiveDateTime: jstDateTime(at.occurredAt),
    ...value(m),
    interpretation: m.flag ? [concept(INTERPRETATION, m.flag)] : null,
    referenceRange: referenceRange(m),
  });
}

/** JP_Observation_LabResult: the JLAC10 code as stored, the value, unit, reference range and H/L flag. */
export const writeLab = (r: LabRow): Resource => observation(r, r, r, "JP_Observation_LabResult", "laboratory");

/** A checkup (特定健診) as one Observation per item, coded in the 特定健診 item code system as stored. */
export const writeCheckup = (c: CheckupRow): Resource[] => c.items.map((i) => observation(i, c, c, "JP_Observation_Common", "exam"));
