import { normaliseKana } from "../../format/kana";
import { readCalendarDate } from "./dates";
import { type Identifier, readIdentifiers, readNames } from "./elements";
import { field, type Issues, type Node } from "./json";
import type { FhirInsured, FhirLocalId, FhirPatient } from "./types";

/** Who a file is about, as its Patient (or a lone resource's subject.identifier) says: matching decides, not this. */

export const INSURED_SYSTEM = "http://jpfhir.jp/fhir/clins/Idsystem/JP_Insurance_memberID";
/**
 * The same id under the URIs of the IG's drafts before 0.9.11 (2024-01: "eCS → clins, Idsysmem → Idsystem
 * 誤記修正") and of its own examples that kept a half-corrected one: senders built on them still send these.
 */
const INSURED_SYSTEMS: ReadonlySet<string> = new Set([INSURED_SYSTEM, "http://jpfhir.jp/fhir/eCS/Idsysmem/JP_Insurance_memberID", "http://jpfhir.jp/fhir/clins/Idsysmem/JP_Insurance_memberID"]);
/**
 * 患者を特定する ID: a root, then 1 + the facility's 10-digit 医療機関コード. JP Core's root is
 * 1.2.392.100495.20.3.51; MEDIS's root for a facility's patient ids, 1.2.392.200119.6.102, is the one
 * the eCheckup IG requires and JP Core's own Patient examples use, so both name the facility.
 */
const JP_PATIENT_ID = /^urn:oid:(?:1\.2\.392\.100495\.20\.3\.51|1\.2\.392\.200119\.6\.102)\.1(\d{10})$/;

/** 保険者番号:記号:番号:枝番 → its parts, NFKC first: senders type the parts full-width (１８７). */
export function parseInsured(value: string): FhirInsured | null {
  const parts = value.normalize("NFKC").split(":").map((p) => p.trim());
  if (parts.length < 3 || parts.length > 4) return null;
  const [insurerNumber = "", symbol = "", number = "", branch = ""] = parts;
  if (!insurerNumber || !number) return null;
  return { insurerNumber, symbol: symbol || null, number, branch: branch || null };
}

const sameInsured = (a: FhirInsured, b: FhirInsured) => a.insurerNumber === b.insurerNumber && a.symbol === b.symbol && a.number === b.number && a.branch === b.branch;

function readIds(ids: Identifier[], issues: Issues): { localIds: FhirLocalId[]; insured: FhirInsured | null } {
  const localIds: FhirLocalId[] = [];
  let insured: FhirInsured | null = null;
  for (const i of ids) {
    if (i.system !== null && INSURED_SYSTEMS.has(i.system)) {
      const parsed = parseInsured(i.value);
      if (!parsed) {
        issues.warn("value", `${i.at}.value`, `${i.at}.value「${i.value.slice(0, 40)}」は被保険者個人識別子（保険者番号:記号:番号:枝番）の形ではありません。`, `${i.at}.value "${i.value.slice(0, 40)}" is not an insured-person id (insurer:symbol:number:branch).`);
      } else if (insured && !sameInsured(insured, parsed)) {
        issues.error("conflict", i.at, `${i.at}: 被保険者個人識別子が2つあり、内容が異なります。`, `${i.at}: two different insured-person ids for one patient.`);
      } else insured = parsed;
    } else if (i.system === null) {
      issues.warn("required", `${i.at}.system`, `${i.at}.system がないため、患者IDとして使えません。`, `${i.at}.system is missing, so the id cannot identify the patient.`);
    } else {
      localIds.push({ system: i.system, value: i.value, facilityCode: JP_PATIENT_ID.exec(i.system)?.[1] ?? null });
    }
  }
  return { localIds, insured };
}

const SEX: ReadonlyMap<string, FhirPatient["sex"]> = new Map([["male", "MALE"], ["female", "FEMALE"], ["other", "OTHER"], ["unknown", "UNKNOWN"]]);

export function readPatient(p: Node, issues: Issues): FhirPatient {
  const { localIds, insured } = readIds(readIdentifiers(field(p, "identifier"), issues), issues);
  if (!localIds.length && !insured) issues.warn("required", `${p.at}.identifier`, `${p.at}.identifier に患者IDも被保険者個人識別子もありません。`, `${p.at}.identifier has neither a patient id nor an insured-person id.`);
  const { kanji, kana } = readNames(field(p, "name"), issues);
  const gender = issues.string(field(p, "gender"));
  const sex = gender === null ? "UNKNOWN" : SEX.get(gender);
  if (sex === undefined) issues.warn("value", `${p.at}.gender`, `${p.at}.gender「${gender}」は male/female/other/unknown のいずれでもありません。`, `${p.at}.gender "${gender}" is not male, female, other or unknown.`);
  const kanaOf = (s: string | null | undefined) => (s ? normaliseKana(s) || null : null);
  return {
    at: p.at,
    localIds,
    insured,
    familyName: kanji?.family ?? null,
    givenName: kanji?.given ?? null,
    familyNameKana: kanaOf(kana?.family),
    givenNameKana: kanaOf(kana?.given),
    birthDate: readCalendarDate(field(p, "birthDate"), issues),
    sex: sex ?? "UNKNOWN",
  };
}

/** A lone resource names its patient only by subject.identifier: who that is, as far as it says. */
export function patientFromIdentifier(ref: Node, issues: Issues): FhirPatient | null {
  const idNode = field(ref, "identifier");
  const { localIds, insured } = readIds(readIdentifiers(idNode, issues), issues);
  if (!localIds.length && !insured) return null;
  return { at: idNode.at, localIds, insured, familyName: null, givenName: null, familyNameKana: null, givenNameKana: null, birthDate: null, sex: "UNKNOWN" };
}

/** Whether a subject.identifier names this patient: the same insured person (all four parts) or local id. */
export function identifierNames(ref: Node, patient: FhirPatient, issues: Issues): boolean {
  const other = patientFromIdentifier(ref, issues);
  if (!other) return false;
  if (other.insured && patient.insured) return sameInsured(other.insured, patient.insured);
  // one facility's id under either root is the same id
  return other.localIds.some((a) => patient.localIds.some((b) => (a.system === b.system || (a.facilityCode !== null && a.facilityCode === b.facilityCode)) && a.value === b.value));
}
