import { readBundle } from "./bundle";
import { identifierKey, recordIdentifier } from "./elements";
import { field, isObject, Issues, node, type Node, resourceType } from "./json";
import { identifierNames, patientFromIdentifier, readPatient } from "./patient";
import { fileResource, subjectField } from "./records";
import { Resources } from "./references";
import type { FhirDocument, FhirReadResult } from "./types";

export type * from "./types";

/** The lone resources a sender may deliver outside a Bundle. */
const LONE = new Set(["Patient", "Condition", "AllergyIntolerance", "Observation", "MedicationRequest", "MedicationDispense", "Encounter", "Organization"]);

/** A lone resource: its resend key is its own identifier, its patient only what subject.identifier says. */
function readLone(res: Node, type: string, issues: Issues): FhirDocument {
  const id = recordIdentifier(res, issues);
  const doc: FhirDocument = {
    shape: "resource",
    key: id?.system ? `${type}|${identifierKey(id)}` : null,
    timestamp: issues.string(field(field(res, "meta"), "lastUpdated")),
    patient: null, conditions: [], allergies: [], labs: [], medications: [], encounters: [], letters: [], document: null, deletes: [], notImported: [],
  };
  if (type === "Patient") {
    doc.patient = readPatient(res, issues);
    return doc;
  }
  const subject = field(res, subjectField(type));
  if (issues.object(subject)) {
    const reference = issues.string(field(subject, "reference"));
    // JP-CLINS before 0.9.14 (and JP Core senders) contain the Patient in the resource: "#id" names it
    // whole — the facility's id, birth date and sex — which a subject.identifier alone never does
    const contained = reference?.startsWith("#") ? new Resources([]).resolve(reference, res, issues) : null;
    if (contained && resourceType(contained) === "Patient") {
      doc.patient = readPatient(contained, issues);
      if (issues.object(field(subject, "identifier")) && !identifierNames(subject, doc.patient, issues)) {
        issues.error("conflict", `${subject.at}.identifier`, `${subject.at}.identifier と埋め込みの患者（${reference}）が別人を指しています。`, `${subject.at}.identifier and the contained Patient (${reference}) name different people.`);
      }
    } else doc.patient = patientFromIdentifier(subject, issues);
    if (!doc.patient && reference !== null) {
      issues.warn("required", `${subject.at}.reference`, `${subject.at}.reference「${reference}」の患者はこのファイルにありません。患者は送信元の経路で特定してください。`, `${subject.at}.reference "${reference}" names a patient outside this file: the patient must come from the delivery.`);
    }
  }
  const idValue = field(res, "id").v;
  fileResource(res, type, issues, new Resources([{ node: res, type, id: typeof idValue === "string" ? idValue : null, fullUrl: null }]), doc);
  return doc;
}

function read(json: unknown, issues: Issues): FhirDocument | null {
  if (!isObject(json)) {
    issues.error("structure", "", "FHIRリソース（JSONオブジェクト）ではありません。", "The input is not a FHIR resource (a JSON object).");
    return null;
  }
  const type = resourceType(node(json, ""));
  if (!type) {
    issues.error("required", "resourceType", "resourceType がありません。", "resourceType is missing.");
    return null;
  }
  const root = node(json, type);
  if (type === "Bundle") return readBundle(root, issues);
  if (!LONE.has(type)) {
    issues.error("not-supported", type, `${type} は単独では取り込めません。`, `A lone ${type} is not read.`);
    return null;
  }
  return readLone(root, type, issues);
}

/**
 * FHIR JP Core / JP-CLINS JSON (already parsed) as the records it holds, with every problem found.
 * Pure, and never throws: a fault of this reader is itself returned as an issue.
 */
export function readFhir(json: unknown): FhirReadResult {
  const issues = new Issues();
  let doc: FhirDocument | null = null;
  try {
    doc = read(json, issues);
  } catch (e) {
    issues.error("invalid", "", "ファイルを読む途中で内部エラーが起きました。", `Internal error while reading the file: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (!doc || issues.failed) return { ok: false, issues: issues.all.length ? issues.all : [{ severity: "error", code: "invalid", expression: "", ja: "読み取れませんでした。", en: "The file could not be read." }] };
  return { ok: true, doc, warnings: issues.all };
}
