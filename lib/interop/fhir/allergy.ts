import { readOnset } from "./dates";
import { codesOf, readConcept, recordBase } from "./elements";
import { field, type Issues, type Node } from "./json";
import type { FhirAllergy } from "./types";

const CATEGORY: ReadonlyMap<string, FhirAllergy["kind"]> = new Map([["medication", "DRUG"], ["food", "FOOD"], ["environment", "ENVIRONMENT"], ["biologic", "ENVIRONMENT"]]);
/** The JFAGY allergen code systems say what kind of allergen a code is, when category does not. */
const KIND_BY_SYSTEM: readonly [RegExp, FhirAllergy["kind"]][] = [
  [/JP_JfagyFoodAllergen_CS$/, "FOOD"],
  [/JP_JfagyMedicationAllergen_CS$/, "DRUG"],
  [/JP_JfagyNonFoodNonMedicationAllergen_CS$/, "ENVIRONMENT"],
];
const SEVERITY: ReadonlyMap<string, FhirAllergy["severity"]> = new Map([["severe", "SEVERE"], ["moderate", "MODERATE"], ["mild", "MILD"]]);
const SEVERITY_RANK: FhirAllergy["severity"][] = ["UNKNOWN", "MILD", "MODERATE", "SEVERE"];

/**
 * An AllergyIntolerance (JP_AllergyIntolerance_eCS); null, with an error, when it names no allergen.
 * With neither category nor a JFAGY code the kind is DRUG, reported: a drug allergy filed as food would
 * escape the prescription checks, the other way round only gives an extra alert.
 */
export function readAllergy(res: Node, issues: Issues): FhirAllergy | null {
  // the record's common parts first, so a refused file reports their faults too
  const base = recordBase(res, issues);
  // code is 0..1 in FHIR: without it the allergen is the reaction's substance (FHIR: a specific
  // substance of the reaction), and a code sent without words is still the allergen, kept as its code
  const substance = issues.objects(field(res, "reaction")).map((r) => field(r, "substance")).find((n) => issues.object(n) !== null);
  const codeNode = issues.object(field(res, "code")) === null && substance ? substance : field(res, "code");
  const code = readConcept(codeNode, issues);
  const coded = code.codings.find((c) => c.code) ?? null;
  const display = code.text ?? coded?.display ?? code.codings.find((c) => c.display)?.display ?? coded?.code ?? null;
  if (display === null) {
    issues.error("required", codeNode.at, `${codeNode.at}: アレルゲン（code または reaction.substance のコードか名称）がありません。`, `${codeNode.at}: the allergy names no allergen (a code or name in code or reaction.substance).`);
    return null;
  }
  const categories = issues.list(field(res, "category")).flatMap((c) => issues.string(c) ?? []);
  let kind = categories.map((c) => CATEGORY.get(c)).find((k) => k !== undefined);
  kind ??= KIND_BY_SYSTEM.find(([re]) => code.codings.some((c) => c.system !== null && re.test(c.system)))?.[1];
  if (!kind) issues.warn("required", `${res.at}.category`, `${res.at}.category がなく、コードからも種類が分からないため、薬剤アレルギーとして読みました。`, `${res.at}.category is missing and the code does not say the kind: read as a drug allergy.`);

  let severity: FhirAllergy["severity"] = "UNKNOWN";
  const reactions: string[] = [];
  for (const r of issues.objects(field(res, "reaction"))) {
    const s = SEVERITY.get(issues.string(field(r, "severity")) ?? "");
    if (s && SEVERITY_RANK.indexOf(s) > SEVERITY_RANK.indexOf(severity)) severity = s;
    for (const m of issues.objects(field(r, "manifestation"))) {
      const c = readConcept(m, issues);
      const t = c.text ?? c.codings.find((x) => x.display)?.display;
      if (t) reactions.push(t);
    }
    const d = issues.string(field(r, "description"));
    if (d) reactions.push(d);
  }
  // JP-CLINS senders describe the reaction in note when manifestation is a nullFlavor (NI)
  const notes = issues.objects(field(res, "note")).flatMap((n) => issues.string(field(n, "text")) ?? []);
  const clinical = codesOf(readConcept(field(res, "clinicalStatus"), issues))[0];
  const refuted = codesOf(readConcept(field(res, "verificationStatus"), issues)).includes("refuted");
  return {
    ...base,
    ...readOnset(res, issues),
    kind: kind ?? "DRUG",
    codeSystem: coded?.system ?? null,
    code: coded?.code ?? null,
    display,
    reaction: (reactions.length ? reactions : notes).join("、") || null,
    severity,
    // no clinicalStatus is still a warning sign: shown as active unless the sender refuted it
    active: !refuted && (clinical === undefined || clinical === "active"),
  };
}
