/**
 * Invariants answered without FHIRPath where the answer is plain from the JSON. The base FHIR rule
 * ele-1 ("every element must have a value or children") is on every element of every profile: on the
 * bench's JP-CLINS Bundles it was about 95 % of all constraint evaluations, and each one costs a
 * FHIRPath run, and for most element paths also a FHIRPath navigation that is there for ele-1 alone.
 * Only a clear pass is answered here; anything else (an empty string, an object of only an id or of
 * `_x` extension keys, a path through a primitive…) is left to FHIRPath, so the verdicts and their
 * wording never change.
 */

/** ele-1 exactly as base FHIR writes it (and the JP Core / JP-CLINS snapshots copy it). */
const ELE_1 = "hasValue() or (children().count() > id.count())";

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** A JSON value FHIRPath sees as at least one child with content. */
function hasContent(v: unknown): boolean {
  if (typeof v === "string") return v.length > 0;
  if (typeof v === "number" || typeof v === "boolean") return true;
  if (Array.isArray(v)) return v.some(hasContent);
  return isObject(v) && Object.keys(v).length > 0;
}

/**
 * True when the constraint certainly holds on `data` (the element's JSON); false means "ask FHIRPath",
 * not "fails". A primitive with a value has hasValue(); an object with a child other than its id has
 * more children than ids.
 */
export function holdsWithoutFhirpath(key: string, expression: string, data: unknown): boolean {
  if (!answerableWithoutFhirpath(key, expression)) return false;
  if (typeof data === "number" || typeof data === "boolean") return true;
  if (typeof data === "string") return data.length > 0;
  if (!isObject(data)) return false;
  for (const [k, v] of Object.entries(data)) if (k !== "id" && k !== "resourceType" && !k.startsWith("_") && hasContent(v)) return true;
  return false;
}

/** Whether a constraint is the one holdsWithoutFhirpath may answer. */
export const answerableWithoutFhirpath = (key: string, expression: string) => key === "ele-1" && expression === ELE_1;

/**
 * The JSON values at an element path below `data` (segments such as ["section", "entry"], a choice
 * "value[x]" matching valueQuantity, valueString…), arrays flattened: every element FHIRPath's
 * navigation would find there, and perhaps more. Null when FHIRPath may find something the JSON keys
 * do not show (a primitive's `_x` extension, a step into a primitive): then only FHIRPath can say.
 */
export function plainValuesAt(data: unknown, segments: readonly string[]): unknown[] | null {
  let current: unknown[] = [data];
  for (const segment of segments) {
    const next: unknown[] = [];
    const choice = segment.endsWith("[x]") ? segment.slice(0, -3) : null;
    for (const v of current) {
      if (!isObject(v)) return null;
      for (const k of choice === null ? [segment] : Object.keys(v).filter((key) => key.startsWith(choice))) {
        if (`_${k}` in v) return null;
        const x = v[k];
        if (Array.isArray(x)) next.push(...x);
        else if (x !== undefined) next.push(x);
      }
      if (choice !== null && Object.keys(v).some((key) => key.startsWith(`_${choice}`))) return null;
    }
    current = next;
  }
  return current;
}
