/**
 * Invariants answered without FHIRPath where the answer is plain from the JSON. The base FHIR rule
 * ele-1 ("every element must have a value or children") is on every element of every profile: on the
 * bench's JP-CLINS Bundles it was about 95 % of all constraint evaluations, and each one costs a
 * FHIRPath run, and for most element paths also a FHIRPath navigation that is there for ele-1 alone.
 * The same holds, less extremely, for ext-1 on every extension and for the rules base FHIR puts on
 * every resource and Bundle entry (PLAIN below), and for dom-3 (resourceHoldsWithoutFhirpath).
 * Only a clear pass is answered here; anything else (an empty string, an object of only an id or of
 * `_x` extension keys, a path through a primitive…) is left to FHIRPath, so the verdicts and their
 * wording never change.
 */

import r4 from "fhirpath/fhir-context/r4";
import { clinsRuleHolds } from "./clins-shortcuts";

/** ele-1 exactly as base FHIR writes it (and the JP Core / JP-CLINS snapshots copy it). */
const ELE_1 = "hasValue() or (children().count() > id.count())";
/** ext-1 likewise: an extension has a value or extensions, not both; on every extension element. */
const EXT_1 = "extension.exists() != value.exists()";
/** The types FHIRPath's R4 model lets Extension.value[x] be (valueString, valueQuantity…): other value keys it does not see. */
const EXTENSION_VALUE_TYPES = new Set((r4 as unknown as { choiceTypePaths: Record<string, string[] | undefined> }).choiceTypePaths["Extension.value"] ?? []);

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** A JSON value FHIRPath sees as at least one child with content. */
function hasContent(v: unknown): boolean {
  if (typeof v === "string") return v.length > 0;
  if (typeof v === "number" || typeof v === "boolean") return true;
  if (Array.isArray(v)) return v.some(hasContent);
  return isObject(v) && Object.keys(v).length > 0;
}

/** ele-1 plainly holds: a primitive with a value has hasValue(); an object with a child other than its id has more children than ids. */
function elementHasContent(data: unknown): boolean {
  if (typeof data === "number" || typeof data === "boolean") return true;
  if (typeof data === "string") return data.length > 0;
  if (!isObject(data)) return false;
  for (const [k, v] of Object.entries(data)) if (k !== "id" && k !== "resourceType" && !k.startsWith("_") && hasContent(v)) return true;
  return false;
}

type Json = Record<string, unknown>;

/** A primitive plainly a non-empty string, without a `_` extension beside it. */
const plainText = (x: Json, key: string) => typeof x[key] === "string" && x[key] !== "" && !(`_${key}` in x);

/** Whether a Bundle's type is plainly `type` (true), plainly another (false), or not plain (null). */
const bundleIs = (b: unknown, type: string) => (isObject(b) && typeof b.type === "string" && !("_type" in b) ? b.type === type : null);

/** The resourceType of a Bundle's first entry's resource, when plainly there. */
function firstEntryType(b: Json): string | null {
  const first: unknown = Array.isArray(b.entry) ? b.entry[0] : undefined;
  return isObject(first) && isObject(first.resource) && typeof first.resource.resourceType === "string" ? first.resource.resourceType : null;
}

/** A ContactPoint or Address whose use is plainly not home, or not given. */
function notHomeUse(x: unknown): boolean {
  return isObject(x) && !("_use" in x) && (x.use === undefined || (typeof x.use === "string" && x.use !== "home"));
}

/**
 * dom-2, dom-4 and dom-5 ask something of each contained resource (and hold when there is none):
 * `ok` must hold for every one, each plainly an object. A JP-CLINS lab Observation contains its
 * Encounter and Specimen, so "nothing contained" alone left these three to FHIRPath on every lab.
 */
const eachContained = (ok: (c: Record<string, unknown>) => boolean) => (data: unknown) =>
  isObject(data) && !("_contained" in data) && (data.contained === undefined || (Array.isArray(data.contained) && data.contained.every((c) => isObject(c) && ok(c))));
/** A contained resource's meta has none of these keys (nor their `_` twins), or there is no meta. */
const metaLacks = (keys: readonly string[]) => (c: Record<string, unknown>) =>
  c.meta === undefined || (isObject(c.meta) && keys.every((k) => !(k in (c.meta as object)) && !(`_${k}` in (c.meta as object))));

/**
 * A status element (CodeableConcept) without the coding `entered-in-error`: what con-5 and ait-2 ask
 * of verificationStatus, the where() finding nothing. An absent element finds nothing too.
 */
const notEnteredInError = (status: unknown) =>
  status === undefined || (isObject(status) && (status.coding === undefined || (Array.isArray(status.coding) && status.coding.every((c) => isObject(c) && typeof c.code === "string" && c.code !== "entered-in-error"))));

/**
 * The constraints answered here, each under its key with its exact expression (as base FHIR writes it
 * and the JP Core / JP-CLINS snapshots copy it): another expression under the same key is FHIRPath's.
 * After ele-1 and ext-1, the rules base FHIR puts on every resource (dom-2/4/5/6) and on every Bundle
 * entry (bdl-5/8) were most of the FHIRPath runs left, each plain from the JSON when it passes.
 */
const PLAIN = new Map<string, { expression: string; holds: (data: unknown) => boolean }>(Object.entries({
  "ele-1": { expression: ELE_1, holds: elementHasContent },
  "ext-1": { expression: EXT_1, holds: (data: unknown) => extensionHoldsExt1(data) },
  "dom-2": { expression: "contained.contained.empty()", holds: eachContained((c) => !("contained" in c) && !("_contained" in c)) },
  "dom-4": { expression: "contained.meta.versionId.empty() and contained.meta.lastUpdated.empty()", holds: eachContained(metaLacks(["versionId", "lastUpdated"])) },
  "dom-5": { expression: "contained.meta.security.empty()", holds: eachContained(metaLacks(["security"])) },
  // a narrative's xhtml, as a string with content
  "dom-6": { expression: "text.`div`.exists()", holds: (r: unknown) => isObject(r) && isObject(r.text) && typeof r.text.div === "string" && r.text.div !== "" },
  // an entry (Bundle.entry) with its resource
  "bdl-5": { expression: "resource.exists() or request.exists() or response.exists()", holds: (e: unknown) => isObject(e) && isObject(e.resource) },
  // a Bundle without a total (only a search or history carries one)
  "bdl-1": { expression: "total.empty() or (type = 'searchset') or (type = 'history')", holds: (b: unknown) => isObject(b) && !("total" in b) && !("_total" in b) },
  // a Composition section with entries
  "cmp-1": { expression: "text.exists() or entry.exists() or section.exists()", holds: (x: unknown) => isObject(x) && Array.isArray(x.entry) && x.entry.some(elementHasContent) },
  // a Condition: its clinical status given (con-3), no abatement (con-4), not entered in error (con-5)
  "con-3": {
    expression: "clinicalStatus.exists() or verificationStatus.coding.where(system='http://terminology.hl7.org/CodeSystem/condition-ver-status' and code = 'entered-in-error').exists() or category.select($this='problem-list-item').empty()",
    holds: (r: unknown) => isObject(r) && elementHasContent(r.clinicalStatus),
  },
  "con-4": {
    expression: "abatement.empty() or clinicalStatus.coding.where(system='http://terminology.hl7.org/CodeSystem/condition-clinical' and (code='resolved' or code='remission' or code='inactive')).exists()",
    holds: (r: unknown) => isObject(r) && !Object.keys(r).some((k) => k.startsWith("abatement") || k.startsWith("_abatement")),
  },
  "con-5": {
    expression: "verificationStatus.coding.where(system='http://terminology.hl7.org/CodeSystem/condition-ver-status' and code='entered-in-error').empty() or clinicalStatus.empty()",
    holds: (r: unknown) => isObject(r) && notEnteredInError(r.verificationStatus),
  },
  // an AllergyIntolerance not entered in error
  "ait-2": {
    expression: "verificationStatus.coding.where(system = 'http://terminology.hl7.org/CodeSystem/allergyintolerance-verification' and code = 'entered-in-error').empty() or clinicalStatus.empty()",
    holds: (r: unknown) => isObject(r) && notEnteredInError(r.verificationStatus),
  },
  // an entry whose fullUrl is plainly not a version's
  "bdl-8": { expression: "fullUrl.contains('/_history/').not()", holds: (e: unknown) => isObject(e) && !("_fullUrl" in e) && typeof e.fullUrl === "string" && !e.fullUrl.includes("/_history/") },
  // a Bundle a facility sends: no entry with search (bdl-2); the document rules hold, or it is plainly no document (bdl-9/10/11) nor message (bdl-12)
  "bdl-2": { expression: "entry.search.empty() or (type = 'searchset')", holds: (b: unknown) => isObject(b) && (b.entry === undefined || (Array.isArray(b.entry) && b.entry.every((e) => isObject(e) && !("search" in e) && !("_search" in e)))) },
  "bdl-9": {
    expression: "type = 'document' implies (identifier.system.exists() and identifier.value.exists())",
    holds: (b: unknown) => bundleIs(b, "document") === false || (bundleIs(b, "document") === true && isObject((b as Json).identifier) && plainText((b as Json).identifier as Json, "system") && plainText((b as Json).identifier as Json, "value")),
  },
  "bdl-10": { expression: "type = 'document' implies (timestamp.hasValue())", holds: (b: unknown) => bundleIs(b, "document") === false || (bundleIs(b, "document") === true && plainText(b as Json, "timestamp")) },
  "bdl-11": { expression: "type = 'document' implies entry.first().resource.is(Composition)", holds: (b: unknown) => bundleIs(b, "document") === false || (bundleIs(b, "document") === true && firstEntryType(b as Json) === "Composition") },
  "bdl-12": { expression: "type = 'message' implies entry.first().resource.is(MessageHeader)", holds: (b: unknown) => bundleIs(b, "message") === false },
  // an Organization with a name or an identifier (org-1), a telecom or address plainly not a home one (org-2/3)
  "org-1": { expression: "(identifier.count() + name.count()) > 0", holds: (o: unknown) => isObject(o) && (plainText(o, "name") || (Array.isArray(o.identifier) && o.identifier.some((i) => isObject(i) && elementHasContent(i)))) },
  "org-2": { expression: "where(use = 'home').empty()", holds: notHomeUse },
  "org-3": { expression: "where(use = 'home').empty()", holds: notHomeUse },
  // an Observation without dataAbsentReason (obs-6), without components (obs-7)
  "obs-6": { expression: "dataAbsentReason.empty() or value.empty()", holds: (o: unknown) => isObject(o) && !("dataAbsentReason" in o) && !("_dataAbsentReason" in o) },
  "obs-7": { expression: "value.empty() or component.code.where(coding.intersect(%resource.code.coding).exists()).empty()", holds: (o: unknown) => isObject(o) && !("component" in o) && !("_component" in o) },
  // a patient's contact with a name (pat-1)
  "pat-1": {
    expression: "name.exists() or telecom.exists() or address.exists() or organization.exists()",
    holds: (c: unknown) => isObject(c) && (["name", "address", "organization"].some((k) => isObject(c[k]) && elementHasContent(c[k])) || (Array.isArray(c.telecom) && c.telecom.some((t) => isObject(t) && elementHasContent(t)))),
  },
  // an allergy with its clinical status (ait-1)
  "ait-1": {
    expression: "verificationStatus.coding.where(system = 'http://terminology.hl7.org/CodeSystem/allergyintolerance-verification' and code = 'entered-in-error').exists() or clinicalStatus.exists()",
    holds: (r: unknown) => isObject(r) && isObject(r.clinicalStatus) && elementHasContent(r.clinicalStatus),
  },
  // a section without an emptyReason (cmp-2)
  "cmp-2": { expression: "emptyReason.empty() or entry.empty()", holds: (x: unknown) => isObject(x) && !("emptyReason" in x) && !("_emptyReason" in x) },
}));

/**
 * True when the constraint certainly holds on `data` (the JSON of the element, or the resource, it is
 * evaluated on); false means "ask FHIRPath", not "fails".
 */
export function holdsWithoutFhirpath(key: string, expression: string, data: unknown): boolean {
  const plain = PLAIN.get(key);
  return plain !== undefined && plain.expression === expression && plain.holds(data);
}

/** Whether a constraint is one holdsWithoutFhirpath may answer. */
export const answerableWithoutFhirpath = (key: string, expression: string) => PLAIN.get(key)?.expression === expression;

/**
 * ext-1 plainly holds: exactly one value (a value[x] key of a type the model knows, not null, not an
 * array) and no extensions, or extensions (a non-empty array of objects) and no value key at all. A
 * primitive value's `_value…` extension, two values, or anything stranger is left to FHIRPath.
 */
function extensionHoldsExt1(data: unknown): boolean {
  if (!isObject(data) || "_extension" in data) return false;
  const valueKeys = Object.keys(data).filter((k) => k.startsWith("value") || k.startsWith("_value"));
  if (valueKeys.length === 1 && !("extension" in data)) {
    const [k] = valueKeys as [string];
    const v = data[k];
    return EXTENSION_VALUE_TYPES.has(k.slice("value".length)) && (typeof v === "string" || typeof v === "number" || typeof v === "boolean" || isObject(v));
  }
  if (valueKeys.length === 0) return Array.isArray(data.extension) && data.extension.length > 0 && data.extension.every(isObject);
  return false;
}

/**
 * The JSON values at an element path below `data` (segments such as ["section", "entry"], a choice
 * "value[x]" matching valueQuantity, valueString…), arrays flattened: every element FHIRPath's
 * navigation would find there, and perhaps more. Null when FHIRPath may find something the JSON keys
 * do not show (a primitive's `_x` extension, a step into a primitive): then only FHIRPath can say.
 */
export function plainValuesAt(data: unknown, segments: readonly string[]): unknown[] | null {
  let current: unknown[] | null = [data];
  for (const segment of segments) if ((current = plainStep(current, segment)) === null) return null;
  return current;
}

/**
 * One step of plainValuesAt: the values at `segment` below each of `values`, or null (see there). A
 * choice step is null when any key has its `_` form (which also covers the `_x` of each key matched).
 * No closures: tsx (the import's command line) names every function it creates, a defineProperty
 * each, and a closure made per call here was 6 % of a FHIR import's CPU.
 */
export function plainStep(values: readonly unknown[], segment: string): unknown[] | null {
  const next: unknown[] = [];
  const choice = segment.endsWith("[x]") ? segment.slice(0, -3) : null;
  const underscored = `_${choice ?? segment}`;
  for (const v of values) {
    if (!isObject(v)) return null;
    if (choice === null) {
      if (underscored in v) return null;
      pushValue(next, v[segment]);
      continue;
    }
    for (const key of Object.keys(v)) {
      if (key.startsWith(underscored)) return null;
      if (key.startsWith(choice)) pushValue(next, v[key]);
    }
  }
  return next;
}

/** An element's value into `into`: an array's items, a single value as itself, nothing when absent. */
function pushValue(into: unknown[], x: unknown): void {
  if (Array.isArray(x)) for (const item of x) into.push(item);
  else if (x !== undefined) into.push(x);
}

/** A Bundle's entries, each plainly an object (none is also fine), when its type is plainly one of `types` or plainly none of them. */
function entriesOf(b: Record<string, unknown>): Record<string, unknown>[] | null {
  if (b.entry === undefined) return [];
  return Array.isArray(b.entry) && b.entry.every(isObject) ? (b.entry as Record<string, unknown>[]) : null;
}
const bundleTypeIn = (b: Record<string, unknown>, types: readonly string[]) => (typeof b.type === "string" && !("_type" in b) ? types.includes(b.type) : null);

/**
 * Base FHIR's rules on every Bundle's entries, which name %resource (the Bundle being checked): each
 * walked its entries in FHIRPath once per Bundle, together about a third of a lab Bundle's FHIRPath
 * time. Answered for the Bundles a facility sends (document, collection): no entry has a request
 * (bdl-3) or a response (bdl-4), and the entries' fullUrls differ where none names a version (bdl-7).
 */
const BUNDLE_RULES = new Map<string, { expression: string; holds: (b: Record<string, unknown>) => boolean }>(Object.entries({
  "bdl-3": {
    expression: "entry.all(request.exists() = (%resource.type = 'batch' or %resource.type = 'transaction' or %resource.type = 'history'))",
    holds: (b: Record<string, unknown>) => bundleTypeIn(b, ["batch", "transaction", "history"]) === false && (entriesOf(b)?.every((e) => !("request" in e) && !("_request" in e)) ?? false),
  },
  "bdl-4": {
    expression: "entry.all(response.exists() = (%resource.type = 'batch-response' or %resource.type = 'transaction-response' or %resource.type = 'history'))",
    holds: (b: Record<string, unknown>) => bundleTypeIn(b, ["batch-response", "transaction-response", "history"]) === false && (entriesOf(b)?.every((e) => !("response" in e) && !("_response" in e)) ?? false),
  },
  "bdl-7": {
    expression: "(type = 'history') or entry.where(fullUrl.exists()).select(fullUrl&resource.meta.versionId).isDistinct()",
    holds: (b: Record<string, unknown>) => {
      const entries = entriesOf(b);
      if (!entries) return false;
      const urls: string[] = [];
      for (const e of entries) {
        if ("_fullUrl" in e || !(e.resource === undefined || (isObject(e.resource) && metaLacks(["versionId"])(e.resource)))) return false;
        if (e.fullUrl === undefined) continue;
        if (typeof e.fullUrl !== "string" || e.fullUrl === "") return false;
        urls.push(e.fullUrl);
      }
      return new Set(urls).size === urls.length;
    },
  },
}));

/** dom-3 exactly as the R4 snapshots write it (the JP Core / JP-CLINS ones copy it, duplicated canonical test and all). */
const DOM_3 =
  "contained.where((('#'+id in (%resource.descendants().reference | %resource.descendants().as(canonical) | %resource.descendants().as(uri) | %resource.descendants().as(url))) or descendants().where(reference = '#').exists() or descendants().where(as(canonical) = '#').exists() or descendants().where(as(canonical) = '#').exists()).not()).trace('unmatched', id).empty()";

/**
 * True when a constraint on a resource itself certainly holds, where `resource` is both the input and
 * %resource (the resource being checked, not an element of it); false means "ask FHIRPath". dom-3
 * (every contained resource is referenced from elsewhere in the resource, as "#id"): FHIRPath walks
 * the whole resource four times for each contained resource (%resource.descendants()), about 2.4 ms
 * for a JP-CLINS lab Observation with its contained Encounter and Specimen, the largest single cost of
 * checking the bench's lab Bundles; one walk of the JSON collects the references instead. A resource
 * with nothing contained holds it too (where() over nothing is empty).
 */
export function resourceHoldsWithoutFhirpath(key: string, expression: string, resource: unknown): boolean {
  if (clinsRuleHolds(key, expression, resource)) return true; // JP-CLINS's own rules (clins-shortcuts)
  const bundleRule = BUNDLE_RULES.get(key);
  if (bundleRule) return bundleRule.expression === expression && isObject(resource) && bundleRule.holds(resource);
  if (key !== "dom-3" || expression !== DOM_3 || !isObject(resource) || "_contained" in resource) return false;
  const contained = resource.contained;
  if (contained === undefined) return true;
  if (!Array.isArray(contained)) return false;
  const references = referencesBelow(resource);
  return contained.every((c) => isObject(c) && typeof c.id === "string" && c.id !== "" && references.has(`#${c.id}`));
}

/**
 * The string `reference` of every object below `root` (not root's own), reached through keys that do
 * not start with "_" (nor resourceType): what FHIRPath's `%resource.descendants().reference` finds,
 * or fewer (it also reaches a primitive's `_x` extensions, whose references this leaves to FHIRPath).
 * Iterative, so that a deeply nested document cannot overflow the stack.
 */
function referencesBelow(root: Record<string, unknown>): Set<string> {
  const found = new Set<string>();
  const stack: unknown[] = [];
  const pushChildren = (v: Record<string, unknown> | unknown[]) => {
    if (Array.isArray(v)) for (const x of v) stack.push(x);
    else for (const k in v) if (!k.startsWith("_") && k !== "resourceType") stack.push(v[k]);
  };
  pushChildren(root);
  while (stack.length > 0) {
    const v = stack.pop();
    if (Array.isArray(v)) pushChildren(v);
    else if (isObject(v)) {
      if (typeof v.reference === "string") found.add(v.reference);
      pushChildren(v);
    }
  }
  return found;
}
