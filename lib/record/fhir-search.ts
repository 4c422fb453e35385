import { z } from "zod";
import { getDb } from "../db/client";
import { now } from "../clock";
import { Prisma } from "../db/generated/client";
import { auditActorOf, recordAudit } from "../audit";
import type { Actor } from "../auth/actor";
import { actorFacts } from "../auth/to-actor";
import { decideSearch } from "../access/duties";
import { INSURED_SYSTEM, parseInsured } from "../interop/fhir/patient";
import { dateRange, tokens, type Token } from "../interop/fhir/search-params";
import { COMPOSED_KINDS, writeComposition } from "../interop/fhir/write-composition";
import type { DocumentRow } from "../interop/fhir/write-document";
import type { Resource } from "../interop/fhir/write-common";
import { AccessDeniedError, InvalidInputError } from "./errors";
import { allowedBy, PAGE_FIELDS, pageRequest, readGuardedPage, readPatientResource, rowWriter, selectionOf, type ExportPage, type RecordSelection } from "./export";
import { withPatientAccess } from "./guard";
import { refuse } from "./refuse";
import { cardNumber } from "./input";

/**
 * The FHIR searches by patient (Condition?patient=…, Observation?patient=…&code=…&date=…, …) and the
 * Patient's own read and search by identifier. Each type's search is a selection over $everything's
 * paging (lib/record/export.ts): the same stable cursor, the same decision and one audit event per
 * page, as the clinician whose token it is. No purpose is stated (UNSTATED): the consent in force, or
 * the clinician's own break-glass grant (lib/access decideUnstatedPurpose).
 */

/** A search parameter beyond patient, _count and cursor: its FHIR type and what it means (ja / en), as the CapabilityStatement states it. */
export interface SearchParameter {
  name: string;
  type: "reference" | "token" | "date" | "number" | "string";
  documentation: string;
}

const CODE: SearchParameter = {
  name: "code",
  type: "token",
  documentation: "項目コード: system|code または code（カンマ区切りはいずれか）/ the item's code: system|code or code (comma-separated: any of them)",
};
const DATE: SearchParameter = {
  name: "date",
  type: "date",
  documentation:
    "記録日時: 接頭辞 eq ge gt le lt、年・年月・日（日本時間）またはタイムゾーン付きの日時。繰り返すと両方を満たすもの / the record's date with eq, ge, gt, le or lt: a year, month or day (Japan) or a dateTime with its zone; repeated, both hold",
};

/** The paging every search and $everything take, as the CapabilityStatement states it. */
export const PAGING_PARAMETERS: readonly SearchParameter[] = [
  { name: "_count", type: "number", documentation: "1ページの資源数（search.mode match のもの。処方の薬剤ひとつ、健診の項目ひとつが 1。既定 200、最大 1000）/ resources per page (the search.mode match entries: each drug of a prescription, each checkup item is one; default 200, at most 1000)" },
  { name: "cursor", type: "string", documentation: "次のページの位置（link[next] の URL がそのまま持つ）/ where the next page starts (as link[next]'s url carries it)" },
];

/** The parameters every search by patient takes, as the CapabilityStatement states them. */
export const COMMON_SEARCH_PARAMETERS: readonly SearchParameter[] = [
  { name: "patient", type: "reference", documentation: "患者（必須、1人）: Patient/{id} または {id} / the patient (required, one): Patient/{id} or {id}" },
  ...PAGING_PARAMETERS,
];

interface SearchDef {
  /** JP Core's profiles of what it returns (none for a Composition: see write-composition.ts) */
  profiles: readonly string[];
  params: readonly SearchParameter[];
  select: (codes: Token[] | null) => RecordSelection;
}

/**
 * A search by code: a lab result by its own code; a checkup's items (each an Observation, and each a
 * place on the page: the export pages a checkup by item, `i`) by theirs, so only the matching items
 * are read and `_count` counts them.
 */
function byCode(codes: Token[]): Pick<RecordSelection, "narrow"> {
  const one = (col: string, t: Token) => (t.system === null ? Prisma.sql`${Prisma.raw(col)}.code = ${t.code}` : Prisma.sql`(${Prisma.raw(col)}."codeSystem" = ${t.system} AND ${Prisma.raw(col)}.code = ${t.code})`);
  const any = (col: string) => Prisma.join(codes.map((t) => one(col, t)), " OR ");
  return { narrow: { lab: any("t"), checkup: any("i") } };
}

const SEARCHES = {
  Condition: { profiles: ["JP_Condition"], params: [], select: () => selectionOf(["Condition"]) },
  AllergyIntolerance: { profiles: ["JP_AllergyIntolerance"], params: [], select: () => selectionOf(["AllergyIntolerance"]) },
  MedicationRequest: { profiles: ["JP_MedicationRequest"], params: [], select: () => selectionOf(["MedicationRequest"]) },
  MedicationDispense: { profiles: ["JP_MedicationDispense"], params: [], select: () => selectionOf(["MedicationDispense"]) },
  Observation: { profiles: ["JP_Observation_LabResult", "JP_Observation_Common"], params: [CODE, DATE], select: (codes) => ({ ...selectionOf(["Observation"]), ...(codes ? byCode(codes) : {}) }) },
  Encounter: { profiles: ["JP_Encounter"], params: [DATE], select: () => selectionOf(["Encounter"]) },
  Procedure: { profiles: ["JP_Procedure"], params: [], select: () => selectionOf(["Procedure"]) },
  DocumentReference: { profiles: ["JP_DocumentReference"], params: [DATE], select: () => selectionOf(["DocumentReference"]) },
  // the referral letters and discharge summaries, as Compositions of their sections
  Composition: {
    profiles: [],
    params: [DATE],
    select: () => ({
      kinds: ["document"],
      narrow: { document: Prisma.sql`t.kind::text IN (${Prisma.join([...COMPOSED_KINDS])})` },
      write: { document: rowWriter((r: DocumentRow & { facilityId: string }) => [writeComposition(r)]) },
    }),
  },
} satisfies Record<string, SearchDef>;

export type SearchType = keyof typeof SEARCHES;
export const SEARCH_TYPES = Object.keys(SEARCHES) as SearchType[];
export const isSearchType = (t: string): t is SearchType => Object.hasOwn(SEARCHES, t);

/** What a type's search reads with no code asked: the record kinds and their narrowing (a read by id narrows it further). */
export const searchSelection = (type: SearchType): RecordSelection => SEARCHES[type].select(null);

/** What each type's search takes and returns, for the CapabilityStatement. */
export const searchCapabilities = () => SEARCH_TYPES.map((type) => ({ type, profiles: SEARCHES[type].profiles, params: [...COMMON_SEARCH_PARAMETERS, ...SEARCHES[type].params], include: patientInclude(type) }));

/**
 * The one `_include` a search takes: its matches' Patient (`Condition:patient`, …), beside every page
 * as an entry of search.mode "include", so a system that does not read Patient/{id} apart still
 * resolves every reference within the Bundle. The CapabilityStatement lists it as searchInclude.
 */
export const patientInclude = (type: SearchType) => `${type}:patient`;

/** Every parameter a type's search accepts, paging and `_include` included: anything else is refused by name (lib/record/fhir-api.ts). */
export const searchParameterNames = (type: SearchType): string[] => [...[...COMMON_SEARCH_PARAMETERS, ...SEARCHES[type].params].map((p) => p.name), "_include"];

const single = (q: URLSearchParams, name: string): string | undefined => {
  const all = q.getAll(name);
  if (all.length > 1) throw new InvalidInputError(name, "repeated");
  return all[0];
};

/** `Patient/{id}` or `{id}`: the patient a search is about. */
const patientRef = z.string().regex(/^(Patient\/)?[A-Za-z0-9._-]{1,64}$/).transform((s) => s.replace(/^Patient\//, ""));
const paging = z.object(PAGE_FIELDS);

/**
 * One page of a type's matches for one patient, decided and audited as every read (one event per
 * page, "fhir-search", with the type and the code asked). A bad value names its parameter.
 */
export async function getSearchPage(actor: Actor, type: SearchType, query: URLSearchParams): Promise<ExportPage & { patientId: string }> {
  const def: SearchDef = SEARCHES[type];
  const patient = patientRef.safeParse(single(query, "patient"));
  if (!patient.success) throw new InvalidInputError("patient", "a search names one patient");
  const page = paging.safeParse({ cursor: single(query, "cursor"), _count: single(query, "_count") });
  if (!page.success) throw new InvalidInputError(String(page.error.issues[0]?.path[0] ?? "_count"), "invalid paging");
  const rawCode = def.params.includes(CODE) ? single(query, "code") : undefined;
  const codes = rawCode === undefined ? null : tokens(rawCode);
  if (rawCode !== undefined && !codes) throw new InvalidInputError("code", "invalid token");
  const range = def.params.includes(DATE) ? dateRange(query.getAll("date")) : {};
  if (!range) throw new InvalidInputError("date", "invalid date");
  const include = single(query, "_include");
  if (include !== undefined && include !== patientInclude(type)) throw new InvalidInputError("_include", `only ${patientInclude(type)}`);
  const found = await readGuardedPage(actor, patient.data, {
    what: "fhir-search",
    asked: { type, ...(rawCode !== undefined ? { code: rawCode } : {}), ...(include ? { include } : {}) },
    selection: { ...def.select(codes), includePatient: include !== undefined },
    page: pageRequest(page.data, range),
    purpose: "UNSTATED",
  });
  return { ...found, patientId: patient.data };
}

/** GET Patient/{id}: the Patient as the clinician's header shows them, decided and audited ("fhir-patient"). */
export function getPatientResource(actor: Actor, patientId: string): Promise<Resource> {
  return withPatientAccess(actor, patientId, "UNSTATED", {
    action: "RECORD_VIEW",
    what: "fhir-patient",
    read: (tx, decision) => readPatientResource(tx, actor, patientId, allowedBy(actor, decision)),
  });
}

/** JP Core's patient id system: urn:oid:1.2.392.100495.20.3.51 . 1 + the facility's 医療機関コード. */
const LOCAL_ID_SYSTEM = /^urn:oid:1\.2\.392\.100495\.20\.3\.51\.1(\d{10})$/;
/** An identifier names one person; a few rows at most (an insured family's members differ by 枝番). */
const MAX_CANDIDATES = 5;

/** The patients an identifier names, by a facility's local id or by the 被保険者個人識別子; null for a system it cannot search. */
async function patientsIdentifiedBy(system: string, value: string): Promise<string[] | null> {
  const db = await getDb();
  const local = LOCAL_ID_SYSTEM.exec(system);
  if (local) {
    const facility = await db.facility.findUnique({ where: { code: local[1]! }, select: { id: true } });
    if (!facility) return [];
    const links = await db.patientLink.findMany({ where: { facilityId: facility.id, localPatientId: value }, select: { patientId: true }, take: MAX_CANDIDATES });
    return [...new Set(links.map((l) => l.patientId))];
  }
  if (system !== INSURED_SYSTEM) return null;
  const insured = parseInsured(value);
  if (!insured) return null;
  const rows = await db.patient.findMany({
    where: { insurerNumber: cardNumber(insured.insurerNumber), insuredNumber: cardNumber(insured.number), ...(insured.branch ? { insuredBranch: insured.branch } : {}) },
    select: { id: true, insuredSymbol: true },
    take: MAX_CANDIDATES,
  });
  return rows.filter((p) => !insured.symbol || (p.insuredSymbol ?? "").normalize("NFKC") === insured.symbol).map((p) => p.id);
}

/**
 * GET Patient?identifier=system|value: the patients the identifier names whom this clinician may open
 * now (each read through withPatientAccess, so decided and audited); one they may not open is left out
 * as if absent (the refusal is audited in that patient's trail, the caller is told nothing), so the
 * search cannot confirm that a person is a patient anywhere. The search itself is audited with how
 * many it found, also when it found none.
 */
export async function findPatientsByIdentifier(actor: Actor, query: URLSearchParams): Promise<Resource[]> {
  const at = now();
  const d = decideSearch(actorFacts(actor));
  if (!d.allow) await refuse(actor, { action: "PATIENT_SEARCH", reason: d.reason, purpose: "TREATMENT", what: "fhir-patient-search", at });
  const raw = single(query, "identifier") ?? "";
  const bar = raw.indexOf("|");
  const [system, value] = bar > 0 ? [raw.slice(0, bar), raw.slice(bar + 1).trim()] : ["", ""];
  const ids = value && value.length <= 100 ? await patientsIdentifiedBy(system, value) : null;
  if (!ids) throw new InvalidInputError("identifier", "system|value of a local patient id or the insured-person id");
  const found: Resource[] = [];
  for (const id of ids) {
    try {
      found.push(await getPatientResource(actor, id));
    } catch (e) {
      if (!(e instanceof AccessDeniedError)) throw e;
    }
  }
  const db = await getDb();
  await db.$transaction((tx) => recordAudit(tx, { actor: auditActorOf(actor), action: "PATIENT_SEARCH", outcome: "SUCCESS", purpose: "TREATMENT", at, detail: { what: "fhir-patient-search", system, hits: found.length } }));
  return found;
}
