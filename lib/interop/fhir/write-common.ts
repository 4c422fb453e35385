import { createHash } from "node:crypto";

/**
 * What every JP Core writer shares: ids, references, codings, dates in Japan time, and the resource's
 * meta and narrative. Pure: rows in, FHIR JSON out (no database, no actor: lib/record decides what
 * rows a writer is given).
 */

/** A FHIR resource as JSON. */
export type Resource = { resourceType: string; id: string } & Record<string, unknown>;

export const JP_CORE_PROFILE = (name: string) => `http://jpfhir.jp/fhir/core/StructureDefinition/${name}`;
export const RESOURCE_INSTANCE_ID = "http://jpfhir.jp/fhir/core/IdSystem/resourceInstance-identifier";
const INDICATION_TAG = "http://jpfhir.jp/fhir/clins/CodeSystem/JP_ehrshrs_indication";

/**
 * A FHIR id ([A-Za-z0-9-.]{1,64}) for a Tsunagu row id: the id itself when it already is one (every id
 * the importers and the seed make), else a digest of it, so the same row always gets the same id.
 */
export function fhirId(raw: string): string {
  return /^[A-Za-z0-9.-]{1,64}$/.test(raw) ? raw : `h-${createHash("sha256").update(raw).digest("hex").slice(0, 40)}`;
}

/**
 * A transaction Bundle entry's fullUrl: a name-based urn:uuid of type and id, so the same resource
 * has the same fullUrl in every export. References are never to it (see referenceTo).
 */
export function fullUrlOf(type: string, id: string): string {
  const h = createHash("sha256").update(`${type}/${id}`).digest("hex");
  return `urn:uuid:${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * A reference, relative (`Patient/{id}`): it resolves in every Bundle Tsunagu writes — a searchset's
 * entries have absolute fullUrls on the API's base, so it names the entry of that url or, where the
 * page does not hold it, what a read of the API answers; a transaction's PUT writes `Patient/{id}`
 * itself — and on any server the export is loaded into.
 */
export const referenceTo = (type: string, id: string) => ({ reference: `${type}/${fhirId(id)}` });

/** A Coding exactly as stored (system, code, display); the parts the row lacks are left out. */
export function coding(system: string | null | undefined, code: string | null | undefined, display?: string | null): Record<string, string> {
  return { ...(system ? { system } : {}), ...(code ? { code } : {}), ...(display ? { display } : {}) };
}

/** A CodeableConcept of one HL7 code (status, category): system and code only. */
export const concept = (system: string, code: string) => ({ coding: [{ system, code }] });

const JST_OFFSET_MS = 9 * 3_600_000;

/** An instant as a FHIR dateTime in Japan time: 2024-06-09T09:30:00+09:00 (seconds kept, no milliseconds unless stored). */
export function jstDateTime(d: Date): string {
  const local = new Date(d.getTime() + JST_OFFSET_MS).toISOString();
  const ms = local.slice(19, 23);
  return `${local.slice(0, 19)}${ms === ".000" ? "" : ms}+09:00`;
}

/** The calendar day in Japan, YYYY-MM-DD. */
export const jstDate = (d: Date): string => new Date(d.getTime() + JST_OFFSET_MS).toISOString().slice(0, 10);

/**
 * A date at the precision the source gave (lib/interop/fhir/dates.ts reads it back the same way): a
 * year ("2018") or a month ("2022-05") stays one; NONE (the source gave no date, the row holds the
 * document's time) is no date at all; a full date is the instant with its zone.
 */
export function dateAtPrecision(d: Date, precision: string | null | undefined): string | null {
  if (precision === "NONE") return null;
  if (precision === "YEAR") return jstDate(d).slice(0, 4);
  if (precision === "MONTH") return jstDate(d).slice(0, 7);
  return jstDateTime(d);
}

const escapeXml = (s: string) => s.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!);

/** The human-readable line every resource carries (dom-6): the row's own words, escaped. */
export function narrative(text: string) {
  return { status: "generated", div: `<div xmlns="http://www.w3.org/1999/xhtml">${escapeXml(text) || "-"}</div>` };
}

/** What a stored row says about itself beyond its content: when Tsunagu stored it, 未告知, and where it was recorded. */
export interface RowMeta {
  recordedAt?: Date | null;
  uninformed?: boolean | null;
  /** the 10-digit 医療機関コード of the facility that recorded the row */
  facilityCode?: string | null;
}

const INSTITUTION_NUMBER = "http://jpfhir.jp/fhir/clins/Extension/StructureDefinition/JP_eCS_InstitutionNumber";

/** JP-CLINS's extension naming the facility that recorded a resource (R901101 requires it of a lab result). */
export const institutionExtension = (facilityCode: string | null | undefined) =>
  facilityCode ? [{ url: INSTITUTION_NUMBER, valueIdentifier: { system: "http://jpfhir.jp/fhir/core/IdSystem/insurance-medical-institution-no", value: facilityCode } }] : [];

/** resourceType, id, meta (JP Core profile where JP Core has one, lastUpdated, the 未告知 tag) and the narrative line. */
export function resourceBase(type: string, rawId: string, profile: string | null, row: RowMeta, summary: string): Resource {
  return {
    resourceType: type,
    id: fhirId(rawId),
    meta: {
      ...(row.recordedAt ? { lastUpdated: jstDateTime(row.recordedAt) } : {}),
      ...(profile ? { profile: [JP_CORE_PROFILE(profile)] } : {}),
      // JP-CLINS's own mark for "not yet told to the patient": whoever receives it must keep it so
      ...(row.uninformed ? { tag: [{ system: INDICATION_TAG, code: "UNINFORMED" }] } : {}),
    },
    text: narrative(summary),
    extension: institutionExtension(row.facilityCode),
  };
}

/** Drops the keys whose value is undefined, null or an empty array, so that no element is written empty (ele-1). */
export function compact<T extends Record<string, unknown>>(o: T): T {
  // a plain loop: it runs several times for every resource of an export page
  const out: Record<string, unknown> = {};
  for (const k in o) {
    const v = o[k];
    if (v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0)) out[k] = v;
  }
  return out as T;
}
