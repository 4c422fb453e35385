import { canonicalSystem } from "./code-aliases";
import { field, type Issues, type Node } from "./json";
import type { Tag } from "./types";

/** Readers for the FHIR datatypes every resource uses: Coding, Identifier, meta.tag, extension, HumanName. */

export interface Coding {
  at: string;
  /** canonical (code-aliases), or as sent */
  system: string | null;
  code: string | null;
  display: string | null;
}

export interface Concept {
  text: string | null;
  codings: Coding[];
}

export function readConcept(cc: Node, issues: Issues): Concept {
  if (!issues.object(cc)) return { text: null, codings: [] };
  const codings = issues.objects(field(cc, "coding")).map((c) => {
    const system = issues.string(field(c, "system"));
    return { at: c.at, system: system === null ? null : canonicalSystem(system), code: issues.string(field(c, "code")), display: issues.string(field(c, "display")) };
  });
  return { text: issues.string(field(cc, "text")), codings };
}

/** The codes of a CodeableConcept, e.g. clinicalStatus → ["active"]. */
export const codesOf = (c: Concept): string[] => c.codings.flatMap((x) => x.code ?? []);

/** The first coding with a code in one of the systems, in the order the systems are given. */
export function codingIn(c: Concept, ...systems: string[]): Coding | null {
  for (const s of systems) {
    const hit = c.codings.find((x) => x.system === s && x.code);
    if (hit) return hit;
  }
  return null;
}

export const RESOURCE_INSTANCE_ID = "http://jpfhir.jp/fhir/core/IdSystem/resourceInstance-identifier";

export interface Identifier {
  at: string;
  system: string | null;
  value: string;
}

/** identifier[] (or a lone Identifier, as Bundle.identifier is) with a value. */
export function readIdentifiers(n: Node, issues: Issues): Identifier[] {
  const list = Array.isArray(n.v) ? issues.objects(n) : issues.object(n) ? [n] : [];
  return list.flatMap((i) => {
    const value = issues.string(field(i, "value"));
    return value === null ? [] : [{ at: i.at, system: issues.string(field(i, "system")), value }];
  });
}

export const identifierKey = (i: Identifier): string => `${i.system ?? ""}|${i.value}`;

/**
 * The identifier a record is known by across sends: the JP Core resourceInstance-identifier when
 * present, because the first identifier of a MedicationRequest is its RP number ("1"), shared by every
 * prescription; else the first identifier.
 */
export function recordIdentifier(resource: Node, issues: Issues): Identifier | null {
  const ids = readIdentifiers(field(resource, "identifier"), issues);
  return ids.find((i) => i.system === RESOURCE_INSTANCE_ID) ?? ids[0] ?? null;
}

const TAG_SYSTEM = "http://jpfhir.jp/fhir/clins/CodeSystem/JP_ehrshrs_indication";
const TAGS: ReadonlySet<string> = new Set<Tag>(["UNDELIVERED", "UNINFORMED", "LTS"]);

/** meta.tag of the JP-CLINS indication system; an unknown code there is reported, never guessed. */
export function readTags(resource: Node, issues: Issues): Tag[] {
  const out: Tag[] = [];
  for (const t of issues.objects(field(field(resource, "meta"), "tag"))) {
    if (issues.string(field(t, "system")) !== TAG_SYSTEM) continue;
    const code = issues.string(field(t, "code"));
    if (code !== null && TAGS.has(code)) {
      if (!out.includes(code as Tag)) out.push(code as Tag);
    } else {
      issues.warn("value", `${t.at}.code`, `${t.at}.code「${code ?? ""}」は電子カルテ情報共有サービスの指示区分（UNDELIVERED/UNINFORMED/LTS）にありません。`, `${t.at}.code "${code ?? ""}" is not a JP-CLINS indication (UNDELIVERED, UNINFORMED, LTS).`);
    }
  }
  return out;
}

/** The extensions of n whose url passes the test. */
export function extensionsWhere(n: Node, issues: Issues, test: (url: string) => boolean): Node[] {
  return issues.objects(field(n, "extension")).filter((e) => {
    const url = issues.string(field(e, "url"));
    return url !== null && test(url);
  });
}

/** The department of a record: the JP_eCS_Department extension's text, else its display. */
export function readDepartment(resource: Node, issues: Issues): string | null {
  const ext = extensionsWhere(resource, issues, (u) => u.endsWith("/JP_eCS_Department"))[0];
  if (!ext) return null;
  const c = readConcept(field(ext, "valueCodeableConcept"), issues);
  return c.text ?? c.codings.find((x) => x.display)?.display ?? null;
}

export interface PersonName {
  family: string | null;
  given: string | null;
  /** family and given as one, as name.text or joined by a space */
  full: string | null;
}

const REPRESENTATION = "http://hl7.org/fhir/StructureDefinition/iso21090-EN-representation";

/**
 * HumanName[] as JP Core sends it: the IDE (kanji) and SYL (kana) representations. A name without
 * the extension is the kanji one, unless an IDE name is also there.
 */
export function readNames(n: Node, issues: Issues): { kanji: PersonName | null; kana: PersonName | null } {
  let kanji: PersonName | null = null;
  let plain: PersonName | null = null;
  let kana: PersonName | null = null;
  for (const name of issues.objects(n)) {
    const rep = extensionsWhere(name, issues, (u) => u === REPRESENTATION).map((e) => issues.string(field(e, "valueCode")))[0];
    const p = personName(name, issues);
    if (rep === "IDE") kanji ??= p;
    else if (rep === "SYL") kana ??= p;
    else if (rep === undefined) plain ??= p;
  }
  return { kanji: kanji ?? plain, kana };
}

function personName(name: Node, issues: Issues): PersonName {
  const text = issues.string(field(name, "text"));
  let family = issues.string(field(name, "family"));
  let given: string | null = issues.list(field(name, "given")).flatMap((g) => issues.string(g) ?? []).join(" ") || null;
  // name.text alone ("田中 宏"): JP Core joins family and given with one space
  if (family === null && given === null && text !== null) {
    const [f, ...g] = text.split(/[ \u3000]+/);
    family = f || null;
    given = g.join(" ") || null;
  }
  const full = text ?? ([family, given].filter(Boolean).join(" ") || null);
  return { family, given, full };
}

/** What every record shares: where it is, its identifier and its tags. */
export function recordBase(resource: Node, issues: Issues): { at: string; identifier: string | null; tags: Tag[] } {
  const id = recordIdentifier(resource, issues);
  return { at: resource.at, identifier: id ? identifierKey(id) : null, tags: readTags(resource, issues) };
}

/** verificationStatus entered-in-error: the sender says the record is void, so it is not filed. */
export function enteredInError(resource: Node, issues: Issues): boolean {
  return codesOf(readConcept(field(resource, "verificationStatus"), issues)).includes("entered-in-error");
}
