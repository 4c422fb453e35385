import { readComposition } from "./composition";
import { identifierKey, readIdentifiers } from "./elements";
import { field, type Issues, type Node, resourceType } from "./json";
import { identifierNames, readPatient } from "./patient";
import { CLINICAL, fileResource, subjectField } from "./records";
import { type Entry, Resources } from "./references";
import type { FhirDocument, FhirPatient } from "./types";

/** JP-CLINS names the one resource type of a 5-information collection Bundle in its meta.tag. */
const RESOURCE_TYPE_TAG = "http://jpfhir.jp/fhir/clins/CodeSystem/BundleResourceType_CS";
const WRITE_METHODS = new Set(["POST", "PUT"]);

/** The entries of the Bundle, each with its resource; an entry without one is an error (except DELETE). */
function readEntries(b: Node, issues: Issues, transaction: boolean): { entries: Entry[]; deletes: string[]; skipped: { at: string; reason: string }[] } {
  const entries: Entry[] = [];
  const deletes: string[] = [];
  const skipped: { at: string; reason: string }[] = [];
  for (const e of issues.objects(field(b, "entry"), "error")) {
    if (transaction) {
      const request = issues.object(field(e, "request"), "error");
      const method = request ? issues.string(field(request, "method"), "error") : null;
      if (method === "DELETE") {
        const url = issues.string(field(request!, "url"), "error");
        if (url) deletes.push(url);
        else issues.error("required", `${e.at}.request.url`, `${e.at}.request.url: 削除する対象（url）がありません。`, `${e.at}.request.url: the DELETE names nothing to delete.`);
        continue;
      }
      if (method === null || !WRITE_METHODS.has(method)) {
        if (method !== null) issues.warn("not-supported", `${e.at}.request.method`, `${e.at}.request.method「${method}」は取り込めません（POST/PUT/DELETE のみ）。`, `${e.at}.request.method "${method}" is not supported (only POST, PUT, DELETE).`);
        else issues.error("required", `${e.at}.request`, `${e.at}.request.method がありません。`, `${e.at}.request.method is missing.`);
        skipped.push({ at: e.at, reason: `request.method ${method ?? "missing"} is not read` });
        continue;
      }
    }
    const res = issues.object(field(e, "resource"), "error");
    if (!res) {
      issues.error("required", `${e.at}.resource`, `${e.at}.resource がありません。`, `${e.at}.resource is missing.`);
      continue;
    }
    const type = resourceType(res);
    if (!type) issues.error("required", `${res.at}.resourceType`, `${res.at}.resourceType がありません。`, `${res.at}.resourceType is missing.`);
    entries.push({ node: res, type, id: issues.string(field(res, "id")), fullUrl: issues.string(field(e, "fullUrl")) });
  }
  return { entries, deletes, skipped };
}

/** A clinical resource's subject (or patient) must be the Bundle's Patient, by reference or identifier. */
function checkSubject(entry: Entry, type: string, patientNode: Node, patient: FhirPatient, issues: Issues, resources: Resources): void {
  const ref = field(entry.node, subjectField(type));
  if (ref.v === undefined) {
    if (CLINICAL.has(type)) issues.error("required", ref.at, `${ref.at}: どの患者の情報かが書かれていません。`, `${ref.at}: the resource does not say which patient it is about.`);
    return;
  }
  if (!issues.object(ref, "error")) return;
  const reference = issues.string(field(ref, "reference"), "error");
  if (reference !== null) {
    const target = resources.resolve(reference, entry.node, issues);
    if (target === patientNode) return;
    issues.error("conflict", `${ref.at}.reference`,
      target ? `${ref.at}.reference「${reference}」は、このBundleの患者（${patientNode.at}）ではなく ${target.at} を指しています。` : `${ref.at}.reference「${reference}」の指す患者がこのBundleにありません。`,
      target ? `${ref.at}.reference "${reference}" points at ${target.at}, not the Bundle's patient (${patientNode.at}).` : `${ref.at}.reference "${reference}" names a patient that is not in this Bundle.`);
  } else if (field(ref, "identifier").v !== undefined) {
    if (!identifierNames(ref, patient, issues)) issues.error("conflict", `${ref.at}.identifier`, `${ref.at}.identifier は、このBundleの患者（${patientNode.at}）の識別子と一致しません。`, `${ref.at}.identifier does not match the Bundle's patient (${patientNode.at}).`);
  } else {
    issues.error("required", ref.at, `${ref.at}: reference も identifier もありません。`, `${ref.at} has neither a reference nor an identifier.`);
  }
}

/** The collection's one resource type after its Patient, as its meta.tag names it; mixed is refused. */
function checkCollection(b: Node, entries: Entry[], issues: Issues): void {
  const tags = issues.objects(field(field(b, "meta"), "tag")).filter((t) => field(t, "system").v === RESOURCE_TYPE_TAG);
  const named = tags.map((t) => issues.string(field(t, "code"))).find((c) => c !== null) ?? null;
  if (entries[0] && entries[0].type !== "Patient") issues.error("structure", entries[0].node.at, `${entries[0].node.at}: 集合Bundleの最初のエントリは Patient でなければなりません（${entries[0].type ?? "不明"} でした）。`, `${entries[0].node.at}: a collection Bundle starts with its Patient (this is ${entries[0].type ?? "unknown"}).`);
  const types = [...new Set(entries.slice(1).flatMap((e) => (e.type ? [e.type] : [])))];
  if (types.length > 1) issues.error("structure", `${b.at}.entry`, `${b.at}.entry: 集合Bundleは1種類のリソースだけを含みます（${types.join("、")} が混在しています）。`, `${b.at}.entry: a collection Bundle holds one resource type, this one mixes ${types.join(", ")}.`);
  if (named === null) issues.error("required", `${b.at}.meta.tag`, `${b.at}.meta.tag に収載リソース種別（${RESOURCE_TYPE_TAG}）がありません。`, `${b.at}.meta.tag does not name the resource type (${RESOURCE_TYPE_TAG}).`);
  else if (types.some((t) => t !== named)) issues.error("conflict", `${b.at}.meta.tag`, `${b.at}.meta.tag は ${named} を示していますが、エントリは ${types.join("、")} です。`, `${b.at}.meta.tag names ${named}, but the entries are ${types.join(", ")}.`);
}

/** Records that share an identifier would overwrite each other when filed: said, not decided here. */
function checkDuplicateIdentifiers(doc: FhirDocument, issues: Issues): void {
  const seen = new Map<string, string>();
  for (const r of [...doc.conditions, ...doc.allergies, ...doc.labs, ...doc.medications]) {
    if (!r.identifier) continue;
    const first = seen.get(r.identifier);
    if (first) issues.warn("conflict", `${r.at}.identifier`, `${r.at}.identifier「${r.identifier}」は ${first} と同じです。`, `${r.at}.identifier "${r.identifier}" is the same as ${first}'s.`);
    else seen.set(r.identifier, r.at);
  }
}

const SHAPES: ReadonlyMap<string, FhirDocument["shape"]> = new Map([["document", "document"], ["collection", "collection"], ["transaction", "transaction"]]);

export function readBundle(b: Node, issues: Issues): FhirDocument | null {
  const typeNode = field(b, "type");
  const bundleType = issues.string(typeNode, "error");
  const shape = SHAPES.get(bundleType ?? "");
  if (!shape) {
    issues.error("not-supported", typeNode.at, `${typeNode.at}「${bundleType ?? ""}」のBundleは取り込めません（document/collection/transaction のみ）。`, `${typeNode.at} "${bundleType ?? ""}": only document, collection and transaction Bundles are read.`);
    return null;
  }
  const id = readIdentifiers(field(b, "identifier"), issues)[0];
  if (!id?.system && shape !== "transaction") issues.error("required", `${b.at}.identifier`, `${b.at}.identifier（system と value）がないため、再送を同じ文書として扱えません。`, `${b.at}.identifier (system and value) is missing, so a resend cannot be recognised.`);
  const { entries, deletes, skipped } = readEntries(b, issues, shape === "transaction");
  const resources = new Resources(entries);
  const doc: FhirDocument = {
    shape,
    key: id?.system ? identifierKey(id) : null,
    timestamp: issues.string(field(b, "timestamp")) ?? issues.string(field(field(b, "meta"), "lastUpdated")),
    patient: null, conditions: [], allergies: [], labs: [], medications: [], encounters: [], letters: [], document: null, deletes, notImported: skipped,
  };

  if (shape === "collection") checkCollection(b, entries, issues);
  const composition = shape === "document" ? entries[0] : undefined;
  if (shape === "document" && composition?.type !== "Composition") {
    const at = composition?.node.at ?? `${b.at}.entry`;
    const found = composition ? (composition.type ?? "resourceType なし") : "エントリなし";
    issues.error("structure", at, `${at}: document Bundle の最初のエントリは Composition でなければなりません（${found}）。`, `${at}: the first entry of a document Bundle must be a Composition (found ${composition ? (composition.type ?? "no resourceType") : "no entry"}).`);
  }

  const patients = entries.filter((e) => e.type === "Patient");
  const others = entries.filter((e) => e.type !== "Patient" && e.type !== null);
  if (patients.length !== 1 && (others.length || shape !== "transaction")) {
    issues.error(patients.length ? "conflict" : "required", `${b.at}.entry`,
      patients.length ? `${b.at}.entry に Patient が${patients.length}件あります。1つの文書は1人の患者のものです。` : `${b.at}.entry に Patient がありません。`,
      patients.length ? `${b.at}.entry holds ${patients.length} Patients; a Bundle is about one patient.` : `${b.at}.entry holds no Patient.`);
  }
  const patientEntry = patients.length === 1 ? patients[0]! : null;
  if (patientEntry) doc.patient = readPatient(patientEntry.node, issues);

  for (const e of others) {
    if (patientEntry && doc.patient) checkSubject(e, e.type!, patientEntry.node, doc.patient, issues, resources);
    if (e === composition && e.type === "Composition") doc.document = readComposition(e.node, issues, resources);
    else fileResource(e.node, e.type!, issues, resources, doc);
  }
  checkDuplicateIdentifiers(doc, issues);
  return doc;
}
