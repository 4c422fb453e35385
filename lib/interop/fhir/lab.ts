import { CODE_SYSTEM } from "../../terminology/code-systems";
import { parseRange } from "../ssmix2/labs";
import { labFlag } from "../lab-flag";
import { readInstant } from "./dates";
import { codesOf, codingIn, type Concept, readConcept, recordBase } from "./elements";
import { field, type Issues, type Node } from "./json";
import type { FhirLab } from "./types";

/** An Observation is a lab result when its category says laboratory (JP or HL7 category system). */
export function isLabResult(res: Node, issues: Issues): boolean {
  return issues.objects(field(res, "category")).some((c) => codesOf(readConcept(c, issues)).includes("laboratory"));
}

/** What a concept says in words: its text, a display, else a code. */
const conceptText = (c: Concept): string | null => c.text ?? c.codings.find((x) => x.display)?.display ?? c.codings.find((x) => x.code)?.code ?? null;

/** A Quantity as the record keeps it: "<0.5" when a comparator qualifies it, which is not the number 0.5. */
function readQuantity(q: Node, issues: Issues): { value: number | null; comparator: string | null; unit: string | null } {
  return { value: issues.number(field(q, "value")), comparator: issues.string(field(q, "comparator")), unit: issues.string(field(q, "unit")) ?? issues.string(field(q, "code")) };
}

/**
 * value[x] of an Observation or one of its components: a number only when it is one — a quantity
 * with a comparator (<0.5), a range (1-3) or a ratio (1:128) is text, kept as the sender stated it.
 */
function readValue(n: Node, issues: Issues): { numeric: number | null; text: string | null; unit: string | null } {
  const quantity = issues.object(field(n, "valueQuantity"));
  if (quantity) {
    const q = readQuantity(quantity, issues);
    if (q.comparator && q.value !== null) return { numeric: null, text: `${q.comparator}${q.value}`, unit: q.unit };
    return { numeric: q.value, text: null, unit: q.unit };
  }
  const range = issues.object(field(n, "valueRange"));
  const ratio = issues.object(field(n, "valueRatio"));
  const pair = range ? (["low", "high", "-"] as const) : ratio ? (["numerator", "denominator", ":"] as const) : null;
  if (pair) {
    const [a, b] = [readQuantity(field((range ?? ratio)!, pair[0]), issues), readQuantity(field((range ?? ratio)!, pair[1]), issues)];
    const text = `${a.value ?? ""}${pair[2]}${b.value ?? ""}`;
    return { numeric: null, text: text === pair[2] ? null : text, unit: a.unit ?? b.unit };
  }
  const coded = issues.object(field(n, "valueCodeableConcept"));
  const text = issues.string(field(n, "valueString")) ?? (coded ? conceptText(readConcept(coded, issues)) : null);
  if (text !== null) return { numeric: null, text, unit: null };
  const flag = issues.boolean(field(n, "valueBoolean"));
  if (flag !== null) return { numeric: null, text: String(flag), unit: null };
  return { numeric: issues.number(field(n, "valueInteger")), text: null, unit: null };
}

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
  const value = readValue(res, issues);
  // no value of its own: a panel's components, else why there is none (dataAbsentReason), as text
  const components = issues.objects(field(res, "component")).flatMap((c) => {
    const v = readValue(c, issues);
    const name = conceptText(readConcept(field(c, "code"), issues));
    const shown = v.text ?? (v.numeric !== null ? `${v.numeric}${v.unit ? ` ${v.unit}` : ""}` : null);
    return shown === null ? [] : [[name, shown].filter(Boolean).join(" ")];
  });
  const absent = conceptText(readConcept(field(res, "dataAbsentReason"), issues));
  const valueNumeric = value.numeric;
  const valueText = value.text ?? (valueNumeric === null ? (components.join(" / ") || (absent ? `(${absent})` : null)) : null);

  const range = issues.objects(field(res, "referenceRange"))[0];
  const refText = range ? issues.string(field(range, "text")) : null;
  const parsed = refText ? parseRange(refText) : { low: null, high: null };
  const bound = (side: "low" | "high") => (range ? issues.number(field(field(range, side), "value")) : null) ?? parsed[side];

  const interpretation = issues.objects(field(res, "interpretation")).flatMap((c) => codesOf(readConcept(c, issues)));
  return {
    ...base,
    // effective[x] is dateTime, Period or instant (R4); else when it was issued
    occurredAt: readInstant(field(res, "effectiveDateTime"), issues) ?? readInstant(field(field(res, "effectivePeriod"), "start"), issues) ?? readInstant(field(res, "effectiveInstant"), issues) ?? readInstant(field(res, "issued"), issues),
    codeSystem: coded.system ?? "",
    code: coded.code,
    display: code.text ?? coded.display ?? coded.code,
    valueNumeric,
    valueText,
    unit: quantity ? value.unit : null,
    refLow: bound("low"),
    refHigh: bound("high"),
    refText,
    flag: interpretation.map(labFlag).find((f) => f !== undefined) ?? null,
  };
}
