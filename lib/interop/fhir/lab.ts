import { CODE_SYSTEM } from "../../terminology/code-systems";
import { parseRange } from "../ssmix2/labs";
import { readInstant } from "./dates";
import { codesOf, codingIn, readConcept, recordBase } from "./elements";
import { field, type Issues, type Node } from "./json";
import type { FhirLab } from "./types";

/** An Observation is a lab result when its category says laboratory (JP or HL7 category system). */
export function isLabResult(res: Node, issues: Issues): boolean {
  return issues.objects(field(res, "category")).some((c) => codesOf(readConcept(c, issues)).includes("laboratory"));
}

/** v3 ObservationInterpretation: HH/LL/AA are the critical forms of H/L/A; the record keeps the direction. */
const FLAG: ReadonlyMap<string, NonNullable<FhirLab["flag"]>> = new Map([
  ["H", "H"], ["HH", "H"], ["HU", "H"], ["L", "L"], ["LL", "L"], ["LU", "L"], ["N", "N"], ["A", "A"], ["AA", "A"],
]);

/** A lab result Observation (JP_Observation_LabResult_eCS); null, with an error, when it has no test code. */
export function readLab(res: Node, issues: Issues): FhirLab | null {
  // the record's common parts first, so a refused file reports their faults too
  const base = recordBase(res, issues);
  const codeNode = field(res, "code");
  const code = readConcept(codeNode, issues);
  const coded = codingIn(code, CODE_SYSTEM.JLAC10) ?? code.codings.find((c) => c.code) ?? null;
  if (!coded?.code) {
    issues.error("required", codeNode.at, `${codeNode.at}: 検査項目コードがありません。`, `${codeNode.at}: the lab result has no test code.`);
    return null;
  }
  const quantity = issues.object(field(res, "valueQuantity"));
  const valueCc = issues.object(field(res, "valueCodeableConcept"));
  const coding = valueCc ? readConcept(valueCc, issues) : null;
  let valueText = issues.string(field(res, "valueString"));
  if (coding) valueText ??= coding.text ?? coding.codings.find((c) => c.display)?.display ?? coding.codings.find((c) => c.code)?.code ?? null;
  const valueNumeric = quantity ? issues.number(field(quantity, "value")) : issues.number(field(res, "valueInteger"));

  const range = issues.objects(field(res, "referenceRange"))[0];
  const refText = range ? issues.string(field(range, "text")) : null;
  const parsed = refText ? parseRange(refText) : { low: null, high: null };
  const bound = (side: "low" | "high") => (range ? issues.number(field(field(range, side), "value")) : null) ?? parsed[side];

  const interpretation = issues.objects(field(res, "interpretation")).flatMap((c) => codesOf(readConcept(c, issues)));
  return {
    ...base,
    occurredAt: readInstant(field(res, "effectiveDateTime"), issues) ?? readInstant(field(field(res, "effectivePeriod"), "start"), issues) ?? readInstant(field(res, "issued"), issues),
    codeSystem: coded.system ?? "",
    code: coded.code,
    display: code.text ?? coded.display ?? coded.code,
    valueNumeric,
    valueText,
    unit: quantity ? (issues.string(field(quantity, "unit")) ?? issues.string(field(quantity, "code"))) : null,
    refLow: bound("low"),
    refHigh: bound("high"),
    refText,
    flag: interpretation.map((c) => FLAG.get(c)).find((f) => f !== undefined) ?? null,
  };
}
