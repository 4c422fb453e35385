import { fullUrlOf, jstDateTime, type Resource } from "./write-common";

/** The identifier system of Tsunagu's exports: one patient's export is one document, a later one replaces it. */
export const EXPORT_IDENTIFIER_SYSTEM = "urn:tsunagu:fhir-export";

export interface BundleHead {
  /** the Bundle's own id (a fresh one per export) */
  id: string;
  patientId: string;
  timestamp: Date;
}

/**
 * An export is a transaction Bundle: every entry a PUT of its resource by type and id. Another FHIR
 * server (or Tsunagu's own importer, which files it under the sending facility) loads it as it is,
 * and loading it twice changes nothing. Its identifier names the patient, so a later export replaces
 * the earlier one whole rather than doubling it.
 */
function shell(head: BundleHead) {
  return {
    resourceType: "Bundle",
    id: head.id,
    meta: { lastUpdated: jstDateTime(head.timestamp) },
    identifier: { system: EXPORT_IDENTIFIER_SYSTEM, value: head.patientId },
    type: "transaction",
    timestamp: jstDateTime(head.timestamp),
    entry: [] as unknown[],
  };
}

export function bundleEntry(r: Resource) {
  return { fullUrl: fullUrlOf(r.resourceType, r.id), resource: r, request: { method: "PUT", url: `${r.resourceType}/${r.id}` } };
}

/** The whole Bundle at once, for a small record or a test. */
export function writeBundle(head: BundleHead, resources: readonly Resource[]) {
  return { ...shell(head), entry: resources.map(bundleEntry) };
}

/**
 * The same Bundle as text in pieces, for a response that streams page by page: the opening (up to
 * `"entry":[`), each entry, and the closing. opening + entries joined by "," + closing parses to
 * exactly writeBundle's result.
 */
export const bundleOpening = (head: BundleHead): string => JSON.stringify(shell(head)).slice(0, -2);
export const bundleEntryText = (r: Resource): string => JSON.stringify(bundleEntry(r));
export const BUNDLE_CLOSING = "]}";

/** A searchset's resource and why it is there: a match of the search, or included for a match's reference (`_include`). */
export interface SearchEntry {
  resource: Resource;
  mode: "match" | "include";
}

/**
 * A page of a FHIR search or operation ($everything): the resources as matches (and includes), the
 * links of this page and the next (the next's url carries the same parameters and the cursor). Each
 * fullUrl is the resource's absolute url on the API's `base`, so the entries' relative references
 * (`Patient/{id}`) resolve against it: to the Patient entry where the page holds one, else to the
 * API's read of it.
 */
export function writeSearchset(base: string, timestamp: Date, entries: readonly SearchEntry[], links: { self: string; next: string | null }) {
  return {
    resourceType: "Bundle",
    type: "searchset",
    timestamp: jstDateTime(timestamp),
    link: [{ relation: "self", url: links.self }, ...(links.next ? [{ relation: "next", url: links.next }] : [])],
    entry: entries.map(({ resource: r, mode }) => ({ fullUrl: `${base}/${r.resourceType}/${r.id}`, resource: r, search: { mode } })),
  };
}
