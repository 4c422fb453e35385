import { readInstant } from "./dates";
import { codesOf, readConcept, readNames } from "./elements";
import { field, type Issues, MAX_NARRATIVE, type Node, resourceType } from "./json";
import { narrativeText } from "./narrative";
import type { Resources } from "./references";
import type { FhirComposition } from "./types";

/** Composition.type: LOINC codes, sent under LOINC or the JP 文書区分コード system (same codes). */
const TYPE_SYSTEMS = new Set(["http://loinc.org", "http://jpfhir.jp/fhir/Common/CodeSystem/doc-typecodes"]);
const KIND: ReadonlyMap<string, FhirComposition["kind"]> = new Map([["57133-1", "REFERRAL"], ["18842-5", "DISCHARGE_SUMMARY"]]);
const SECTION_SYSTEM = "http://jpfhir.jp/fhir/clins/CodeSystem/document-section";
/** 紹介先情報セクション */
const RECIPIENT_SECTION = "910";
/** deeper than any JP-CLINS document (two levels): a guard against a file that nests without end */
const MAX_DEPTH = 8;

interface Section {
  node: Node;
  depth: number;
}

function sections(parent: Node, issues: Issues, depth = 0): Section[] {
  if (depth >= MAX_DEPTH) {
    issues.warn("structure", `${parent.at}.section`, `${parent.at}.section の入れ子が深すぎるため、${MAX_DEPTH}段より下は読みません。`, `${parent.at}.section nests deeper than ${MAX_DEPTH} levels: the rest is not read.`);
    return [];
  }
  return issues.objects(field(parent, "section")).flatMap((s) => [{ node: s, depth }, ...sections(s, issues, depth + 1)]);
}

function sectionText(s: Node, issues: Issues): string | null {
  const div = issues.string(field(field(s, "text"), "div"), "warning", MAX_NARRATIVE);
  return div === null ? null : narrativeText(div) || null;
}

/** Organization.name is a string, Practitioner.name a HumanName[] (its kanji one). */
function nameOf(r: Node, issues: Issues): string | null {
  const name = field(r, "name");
  return typeof name.v === "string" ? issues.string(name) : (readNames(name, issues).kanji?.full ?? null);
}

/** The document Composition (first entry of a document Bundle); null, with an error, for another kind. */
export function readComposition(comp: Node, issues: Issues, resources: Resources): FhirComposition | null {
  const typeNode = field(comp, "type");
  const type = readConcept(typeNode, issues);
  const kind = type.codings.filter((c) => c.system !== null && TYPE_SYSTEMS.has(c.system)).map((c) => KIND.get(c.code ?? "")).find((k) => k !== undefined);
  if (!kind) {
    const sent = codesOf(type).join(", ") || "なし";
    issues.error("not-supported", typeNode.at, `${typeNode.at}: 文書区分「${sent}」は取り込めません（診療情報提供書 57133-1、退院時サマリー 18842-5 のみ）。`, `${typeNode.at}: document type "${sent}" is not supported (only referral 57133-1 and discharge summary 18842-5).`);
    return null;
  }
  // FHIR R4 and JP-CLINS cardinalities (1..1): a letter without them cannot be told apart or dated
  const required: [string, string][] = [["status", "状態"], ["title", "表題"], ["date", "作成日時"], ["subject", "患者"]];
  const missing = required.filter(([k]) => field(comp, k).v === undefined || field(comp, k).v === null);
  for (const [k, ja] of missing) issues.error("required", `${comp.at}.${k}`, `${comp.at}.${k}（${ja}）がありません。文書の必須項目です。`, `${comp.at}.${k} is missing: it is required (1..1) for a document.`);
  if (missing.length) return null;
  const all = sections(comp, issues);
  const body = all
    .flatMap(({ node }) => {
      const title = issues.string(field(node, "title"));
      const text = sectionText(node, issues);
      return [title ? `【${title}】` : null, text].filter((x): x is string => x !== null);
    })
    .join("\n");

  const authors = issues.objects(field(comp, "author")).map((a) => resources.follow(a, comp, issues));
  const practitioner = authors.find((r) => r !== null && resourceType(r) === "Practitioner") ?? null;
  const authorName = practitioner ? nameOf(practitioner, issues) : null;
  if (!authorName) issues.warn("required", `${comp.at}.author`, `${comp.at}.author に名前の分かる作成者（Practitioner）がありません。`, `${comp.at}.author names no Practitioner whose name can be read.`);

  const to = all.find(({ node }) => readConcept(field(node, "code"), issues).codings.some((c) => c.system === SECTION_SYSTEM && c.code === RECIPIENT_SECTION));
  let recipient: string | null = null;
  if (to) {
    for (const e of issues.objects(field(to.node, "entry"))) {
      const org = resources.follow(e, comp, issues);
      if (org && resourceType(org) === "Organization") recipient ??= nameOf(org, issues);
      else if (issues.string(field(e, "type")) === "Organization") recipient ??= issues.string(field(e, "display"));
    }
    recipient ??= sectionText(to.node, issues);
  }
  return { kind, title: issues.string(field(comp, "title")), occurredAt: readInstant(field(comp, "date"), issues), authorName, recipient, body };
}
