import { attrOf, childOf, childrenOf, pathOf, readXmlBytes, textOf, type XmlElement } from "../xml/parse";
import { narrativeLines } from "./narrative";
import { cdaDocumentKind } from "./codes";
import type { PidIdentity } from "../ssmix2/patient";

/**
 * An HL7 CDA R2 document as the record files it: the SS-MIX2 extended storage's CDA main document
 * (main_document.xml: 経過記録, 退院時サマリー, 診療情報提供書; NHO 医師記録等, JAHIS 診療文書構造化記述規約
 * 共通編 for the header). Pure: bytes in, the document or the reason it cannot be read out. Never throws.
 *
 * Header: ClinicalDocument/code (the document type, kept whatever it is), title, effectiveTime (its
 * time zone and precision), author (person, organization, department), informationRecipient, and
 * recordTarget/patientRole (ids, birthTime, administrativeGenderCode, names). Body: the
 * structuredBody's sections, nested ones included, as 【title】 lines followed by their narrative
 * text — the form the letters are shown in (lib/format/document-sections). The coded entries are
 * not filed as records (yet); their ICD-10 codes are read for the sensitivity classifier.
 */
export interface CdaCode {
  /** the code system's OID (codeSystem), as sent */
  system: string | null;
  code: string;
  display: string | null;
}

export type CdaPrecision = "YEAR" | "MONTH" | "DAY" | "HOUR" | "MINUTE" | "SECOND";

export interface CdaTime {
  at: Date;
  precision: CdaPrecision;
  /** ISO 8601 at the precision sent, with the offset sent (Japan's when none was) */
  text: string;
}

/** Who the document is about, in the fields an HL7 PID gives (birth date YYYY-MM-DD, or null when not sent to the day). */
export type CdaPatient = Pick<PidIdentity, "familyName" | "givenName" | "familyNameKana" | "givenNameKana" | "birthDate" | "sex"> & {
  /** recordTarget/patientRole/id, each root (OID) and extension */
  ids: { root: string | null; extension: string | null }[];
  /** where the patient is in the file, for messages */
  line: number | null;
};

export interface CdaSection {
  title: string | null;
  code: CdaCode | null;
  /** 0 for a section of the body, 1 for one inside it… */
  depth: number;
  lines: string[];
}

export interface CdaDocument {
  code: CdaCode | null;
  /** the record's kind for that code; null when the record has none (the code is kept) */
  kind: "REFERRAL" | "DISCHARGE_SUMMARY" | "PROGRESS_NOTE" | null;
  title: string | null;
  effectiveTime: CdaTime | null;
  authorName: string | null;
  organization: string | null;
  department: string | null;
  recipient: string | null;
  patient: CdaPatient;
  sections: CdaSection[];
  /** the sections as text: 【title】 lines, each followed by its text */
  body: string;
  /** ICD-10 codes of the body's coded entries (sensitivity) */
  icd10: string[];
  /** what could not be read, for an administrator */
  warnings: string[];
  encoding: string;
}

export type CdaRead = { ok: true; doc: CdaDocument } | { ok: false; reason: string };

const ICD10_SYSTEMS = new Set(["2.16.840.1.113883.6.3", "2.16.840.1.113883.6.90"]);
/** Deeper than any document's sections (JAHIS: two or three levels); the XML depth bounds it anyway. */
const MAX_SECTION_DEPTH = 16;

const at = (el: XmlElement | null, path: string) => (el ? `${path} (line ${el.line})` : path);

export function readCda(bytes: Uint8Array): CdaRead {
  const xml = readXmlBytes(bytes);
  if (!xml.ok) return { ok: false, reason: `XML_${xml.reason}: ${xml.detail}${xml.element ? ` at ${xml.element}` : ""}${xml.line ? ` (line ${xml.line})` : ""}` };
  const doc = xml.root;
  if (doc.name !== "ClinicalDocument") return { ok: false, reason: `NOT_CDA: the root element is ${doc.name}, not ClinicalDocument (line ${doc.line})` };
  const warnings: string[] = [];

  const body = pathOf(doc, "component", "structuredBody");
  if (!body) {
    const other = pathOf(doc, "component", "nonXMLBody");
    if (other) return { ok: false, reason: `NON_XML_BODY: ${at(other, "/ClinicalDocument/component/nonXMLBody")} holds ${attrOf(childOf(other, "text"), "mediaType") ?? "content"} that is not structured text; only a structuredBody is read` };
    return { ok: false, reason: `NO_BODY: ${at(childOf(doc, "component"), "/ClinicalDocument/component")} has no structuredBody` };
  }
  const sections: CdaSection[] = [];
  const walk = (parent: XmlElement, depth: number) => {
    for (const comp of childrenOf(parent, "component")) {
      const s = childOf(comp, "section");
      if (!s) continue;
      if (depth >= MAX_SECTION_DEPTH) {
        warnings.push(`SECTION_DEPTH: ${at(s, "section")} nests deeper than ${MAX_SECTION_DEPTH} sections; not read`);
        continue;
      }
      const code = codeOf(childOf(s, "code"));
      const text = childOf(s, "text");
      const title = clean(textOf(childOf(s, "title")) ?? code?.display ?? null);
      sections.push({ title, code, depth, lines: text ? narrativeLines(text) : [] });
      walk(s, depth + 1);
    }
  };
  walk(body, 0);
  const shown = sections.filter((s) => s.title || s.lines.length);
  if (!shown.some((s) => s.lines.length)) return { ok: false, reason: `NO_BODY: ${at(body, "/ClinicalDocument/component/structuredBody")} has no section with text` };

  const code = codeOf(childOf(doc, "code"));
  if (!code) warnings.push(`NO_CODE: ${at(doc, "/ClinicalDocument/code")} names no document type`);
  const effective = childOf(doc, "effectiveTime");
  const effectiveTime = readTime(attrOf(effective, "value"));
  if (!effectiveTime) warnings.push(`NO_DATE: ${at(effective ?? doc, "/ClinicalDocument/effectiveTime")} is ${attrOf(effective, "value") ?? "missing"}, not a time`);

  const author = pathOf(doc, "author", "assignedAuthor");
  const org = childOf(author, "representedOrganization");
  const whole = pathOf(org, "asOrganizationPartOf", "wholeOrganization");
  // a department is an organization that is part of the hospital (JAHIS), or the encounter's service provider
  const department = (whole ? textOf(childOf(org, "name")) : null) ?? textOf(pathOf(doc, "componentOf", "encompassingEncounter", "location", "healthCareFacility", "serviceProviderOrganization", "name"));
  const intended = pathOf(doc, "informationRecipient", "intendedRecipient");
  const recipient = [textOf(pathOf(intended, "receivedOrganization", "name")), personName(childrenOf(childOf(intended, "informationRecipient"), "name")).kanji].filter(Boolean).join(" ") || null;

  return {
    ok: true,
    doc: {
      code,
      kind: code ? cdaDocumentKind(code) : null,
      title: textOf(childOf(doc, "title")),
      effectiveTime,
      authorName: personName(childrenOf(childOf(author, "assignedPerson"), "name")).kanji,
      organization: textOf(childOf(whole ?? org, "name")),
      department,
      recipient,
      patient: readPatient(doc),
      sections: shown,
      body: shown.flatMap((s) => [...(s.title ? [`【${s.title}】`] : []), ...s.lines]).join("\n"),
      icd10: icd10Of(body),
      warnings,
      encoding: xml.encoding,
    },
  };
}

/** A section title as a heading line: one line, and no 】 that would end it early. */
const clean = (t: string | null) => t?.replace(/[\r\n]+/g, " ").replace(/】/g, "]").trim() || null;

function codeOf(el: XmlElement | null): CdaCode | null {
  const code = attrOf(el, "code");
  if (!code) return null;
  return { system: attrOf(el, "codeSystem"), code, display: attrOf(el, "displayName") ?? textOf(childOf(el, "originalText")) };
}

/** HL7 v3 AdministrativeGender (M, F, UN) as the record's. */
const SEX: Record<string, CdaPatient["sex"]> = { M: "MALE", F: "FEMALE", UN: "UNKNOWN", O: "OTHER" };

function readPatient(doc: XmlElement): CdaPatient {
  const role = pathOf(doc, "recordTarget", "patientRole");
  const person = childOf(role, "patient");
  const names = personNameParts(childrenOf(person, "name"));
  const birth = readTime(attrOf(childOf(person, "birthTime"), "value"));
  return {
    ids: childrenOf(role, "id").map((i) => ({ root: attrOf(i, "root"), extension: attrOf(i, "extension") })),
    ...names,
    birthDate: birth && ["DAY", "HOUR", "MINUTE", "SECOND"].includes(birth.precision) ? birth.text.slice(0, 10) : null,
    sex: SEX[attrOf(childOf(person, "administrativeGenderCode"), "code")?.toUpperCase() ?? ""] ?? "UNKNOWN",
    line: role?.line ?? null,
  };
}

/**
 * JAHIS names: use="IDE" ideographic (kanji), "SYL" syllabic (kana), "ABC" alphabetic; a name with
 * no use is taken as the kanji one. Family and given parts, or the name's text as a whole.
 */
function personNameParts(names: XmlElement[]) {
  const byUse = (use: string) => names.find((n) => (attrOf(n, "use") ?? "").split(/\s+/).includes(use));
  const kanji = byUse("IDE") ?? names.find((n) => !attrOf(n, "use")) ?? null;
  const kana = byUse("SYL") ?? null;
  const parts = (n: XmlElement | null) => ({ family: textOf(childOf(n, "family")), given: textOf(childOf(n, "given")), whole: textOf(n) });
  const k = parts(kanji);
  const s = parts(kana);
  return { familyName: k.family ?? (k.given ? null : k.whole), givenName: k.given, familyNameKana: s.family ?? (s.given ? null : s.whole), givenNameKana: s.given };
}

function personName(names: XmlElement[]): { kanji: string | null } {
  const p = personNameParts(names);
  return { kanji: [p.familyName, p.givenName].filter(Boolean).join(" ") || null };
}

/** ICD-10 codes anywhere in the body's coded entries (code, value, translation…). Iterative. */
function icd10Of(body: XmlElement): string[] {
  const out = new Set<string>();
  const todo: XmlElement[] = [body];
  while (todo.length) {
    const el = todo.pop()!;
    const system = attrOf(el, "codeSystem");
    const code = attrOf(el, "code");
    if (code && ((system && ICD10_SYSTEMS.has(system)) || /^ICD-?10/i.test(attrOf(el, "codeSystemName") ?? ""))) out.add(code);
    for (const c of el.children) if (typeof c !== "string") todo.push(c);
  }
  return [...out];
}

const PRECISION: readonly CdaPrecision[] = ["YEAR", "MONTH", "DAY", "HOUR", "MINUTE", "SECOND"];

/**
 * An HL7 v3 TS (YYYY[MM[DD[HH[MM[SS[.F]]]]]][+/-ZZZZ]) at its precision. A time sent without an offset
 * is Japan's (+0900): these documents are written in Japan. null for anything else, or a date that
 * does not exist (2月30日).
 */
export function readTime(v: string | null): CdaTime | null {
  // the optional parts are taken left to right, so a shorter value is a coarser precision, never a gap
  const m = v ? /^(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?(?:\.(\d{1,4}))?([+-])?(\d{2})?(\d{2})?$/.exec(v) : null;
  if (!m) return null;
  const [, y, mo, d, h, mi, s, frac, sign, zh, zm] = m;
  if (sign && (!zh || !zm)) return null;
  const parts = [mo, d, h, mi, s].filter((x) => x !== undefined).length;
  const precision = PRECISION[parts]!;
  const offset = sign ? `${sign}${zh}:${zm}` : "+09:00";
  const iso = `${y}-${mo ?? "01"}-${d ?? "01"}T${h ?? "00"}:${mi ?? "00"}:${s ?? "00"}${frac ? `.${frac.padEnd(3, "0").slice(0, 3)}` : ""}${offset}`;
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return null;
  // the calendar day must exist as written (Date rolls 2月30日 over into March)
  const offsetMinutes = (sign === "-" ? -1 : 1) * (Number(zh ?? 9) * 60 + Number(zm ?? 0));
  const local = new Date(date.getTime() + offsetMinutes * 60_000);
  if (local.getUTCDate() !== Number(d ?? "01") || local.getUTCMonth() + 1 !== Number(mo ?? "01")) return null;
  const date10 = [y, mo, d].filter((x) => x !== undefined).join("-");
  if (parts <= 2) return { at: date, precision, text: date10 };
  const clock = [h, mi ?? "00", s].filter((x) => x !== undefined).join(":");
  return { at: date, precision, text: `${date10}T${clock}${frac ? `.${frac}` : ""}${offset}` };
}
