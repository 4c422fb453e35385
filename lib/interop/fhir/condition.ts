import { CODE_SYSTEM } from "../../terminology/code-systems";
import { readInstant, readOnset } from "./dates";
import { codesOf, codingIn, extensionsWhere, readConcept, recordBase } from "./elements";
import { field, type Issues, type Node } from "./json";
import type { FhirCondition } from "./types";

/** verificationStatus codes that mean 疑い: provisional and differential are kinds of unconfirmed. */
const SUSPECTED = new Set(["unconfirmed", "provisional", "differential"]);
const ACTIVE = new Set(["active", "recurrence", "relapse"]);
/** clinicalStatus → the record's 転帰: resolved 治癒, inactive 中止; remission 軽快 is kept as SS-MIX2 senders write it */
const OUTCOME: ReadonlyMap<string, string> = new Map([["resolved", "CURED"], ["inactive", "STOPPED"], ["remission", "軽快"]]);

/** JP Core writes 「…の疑い」 as a postfix modifier on code (JP_Condition_DiseasePostfixModifier[_eCS]). */
function suspectedByModifier(code: Node, issues: Issues): boolean {
  return extensionsWhere(code, issues, (u) => /\/JP_Condition_DiseasePostfixModifier(_eCS)?$/.test(u)).some((e) => {
    const c = readConcept(field(e, "valueCodeableConcept"), issues);
    return [c.text, ...c.codings.map((x) => x.display)].some((s) => s?.includes("疑い"));
  });
}

/** A Condition (JP_Condition_eCS); null, with an error, when it has no name to file. */
export function readCondition(res: Node, issues: Issues): FhirCondition | null {
  const codeNode = field(res, "code");
  const code = readConcept(codeNode, issues);
  const coded = codingIn(code, CODE_SYSTEM.MEDIS_DISEASE_KEY, CODE_SYSTEM.MEDIS_DISEASE) ?? code.codings.find((c) => c.code && c.system !== CODE_SYSTEM.ICD10) ?? codingIn(code, CODE_SYSTEM.ICD10);
  const display = code.text ?? coded?.display ?? null;
  // everything is read before deciding, so a refused file reports all its faults at once
  const base = recordBase(res, issues);
  const onset = readOnset(res, issues);
  const endedAt = readInstant(field(res, "abatementDateTime"), issues) ?? readInstant(field(field(res, "abatementPeriod"), "end"), issues);
  const clinical = codesOf(readConcept(field(res, "clinicalStatus"), issues))[0];
  if (clinical === undefined) issues.warn("required", `${res.at}.clinicalStatus`, `${res.at}.clinicalStatus がないため、継続中として読みました。`, `${res.at}.clinicalStatus is missing: read as active.`);
  const verification = codesOf(readConcept(field(res, "verificationStatus"), issues));
  if (display === null && !coded) {
    issues.error("required", codeNode.at, `${codeNode.at}: 傷病名（コードまたはテキスト）がありません。`, `${codeNode.at}: the condition has no code and no text.`);
    return null;
  }
  if (!coded) issues.warn("value", codeNode.at, `${codeNode.at}: 傷病名がコード化されていません（テキストのみ）。`, `${codeNode.at}: the condition is text only, without a coding.`);
  return {
    ...base,
    ...onset,
    endedAt,
    codeSystem: coded?.system ?? "",
    code: coded?.code ?? "",
    display: display ?? coded?.code ?? "",
    icd10: codingIn(code, CODE_SYSTEM.ICD10)?.code ?? null,
    suspected: verification.some((v) => SUSPECTED.has(v)) || suspectedByModifier(codeNode, issues),
    active: clinical === undefined || ACTIVE.has(clinical),
    outcome: (clinical && OUTCOME.get(clinical)) ?? null,
    major: false,
  };
}
