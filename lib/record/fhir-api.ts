import { readApiToken, type ApiTokenRefusal } from "../auth/api-token";
import type { Actor } from "../auth/actor";
import { now } from "../clock";
import { outcomeOf as operationOutcome } from "../ingest/operation-outcome";
import { writeSearchset } from "../interop/fhir/write-bundle";
import type { Resource } from "../interop/fhir/write-common";
import { closeExpiredGrants } from "./break-glass";
import { outcomeOf, type RefusalReason } from "./errors";
import { getExportPage, MAX_PAGE_ROWS, type ExportPage } from "./export";
import { EVERYTHING_PARAMETERS } from "./fhir-capability";
import { findPatientsByIdentifier, getPatientResource, getSearchPage, isSearchType, searchParameterNames } from "./fhir-search";
import { patientOfResource, readResourceById } from "./fhir-read-by-id";
import { patientOfCoverage, readCoverageById } from "./fhir-coverage";

export { capabilityStatement } from "./fhir-capability";

/** An answer of the FHIR read API: status and FHIR JSON (a Bundle, a resource, a CapabilityStatement or an OperationOutcome). */
export interface FhirAnswer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** What every GET of the API is given: the Authorization header, the query, and the API's base url. */
export interface FhirRequest {
  authorization: string | null;
  query: URLSearchParams;
  base: string;
}

/** The HTTP response of an answer: FHIR JSON, never cached (it is a patient's record, or a refusal of it). */
export const fhirResponse = (a: FhirAnswer) => Response.json(a.body, { status: a.status, headers: { "Content-Type": "application/fhir+json; charset=utf-8", "Cache-Control": "no-store", ...a.headers } });

const fail = (status: number, code: string, ja: string, en: string, expression?: string, headers?: Record<string, string>): FhirAnswer => ({ status, body: operationOutcome([{ severity: "error", code, ja, en, expression }]), headers });

/** What a refused system is told to check, by reason, in both languages; the reason's code is always given too. */
const NEXT_STEP: Partial<Record<RefusalReason, [string, string]>> = {
  NO_ACTIVE_GRANT: ["緊急時アクセスの期限が切れたか、終了しています。必要なら救急画面で改めて開始してください。", "the break-glass grant has expired or was ended: start a new one on the emergency page if still needed."],
  SCOPE_EMERGENCY_ONLY: ["救急時医療情報の範囲外です（同意の範囲または緊急時アクセス）。", "outside the emergency dataset (the consent's scope or the break-glass grant)."],
  FACILITY_SUSPENDED: ["所属施設のネットワーク参加が停止されています。ネットワーク管理者に連絡してください。", "the user's facility is suspended from the network: contact the network administrator."],
  USER_INACTIVE: ["利用者のアカウントが無効です。施設の管理者に連絡してください。", "the user's account is deactivated: contact the facility's administrator."],
};
const GENERIC_STEP: [string, string] = ["同意・職種・施設の状態を確認してください。", "check the patient's consent, the profession and the facility."];

/**
 * A path under /api/fhir that names no interaction Tsunagu offers (a read by id of a record, an
 * unknown type, a deeper path): a 404 OperationOutcome like every other FHIR answer, never the app's
 * HTML page, naming the CapabilityStatement that lists what there is.
 */
export const unknownFhirPath = (path: string): FhirAnswer =>
  fail(404, "not-supported", `${path} には対応していません。対応する操作は /api/fhir/metadata を参照してください。`, `${path} is not supported: see /api/fhir/metadata for the interactions there are.`);

/**
 * Why a token is refused, in both languages, with what can be done: only a user who can log in is
 * sent to the account page; a suspended facility's or a deactivated user's token was revoked with it,
 * and no new one can be issued until that is lifted.
 */
const TOKEN_REFUSAL: Record<ApiTokenRefusal, [string, string]> = {
  NO_TOKEN: ["API トークンがないか、無効です。アカウント画面で発行してください。", "No usable API token (missing or unknown): issue one on the account page."],
  EXPIRED: ["API トークンの有効期限が切れています。アカウント画面で発行し直してください。", "The API token has expired: issue a new one on the account page."],
  REVOKED: ["API トークンは失効しています。アカウント画面で発行し直してください。", "The API token was revoked: issue a new one on the account page."],
  FACILITY_SUSPENDED: ["利用者の所属施設がネットワーク参加を停止されたため、API トークンは失効しました。停止が解除されるまで発行できません。ネットワーク管理者に連絡してください。", "The API token was revoked because the user's facility is suspended from the network: no token can be issued until the suspension is lifted; contact the network administrator."],
  USER_INACTIVE: ["利用者のアカウントが無効にされたため、API トークンは失効しました。施設の管理者に連絡してください。", "The API token was revoked because the user's account was deactivated: contact the facility's administrator."],
};

/** What a parameter must be, where saying "invalid" alone would leave the system guessing (ja / en). */
const PARAMETER_RULE: Record<string, [string, string]> = {
  _count: [`1 から ${MAX_PAGE_ROWS} までの整数で指定してください（最大 ${MAX_PAGE_ROWS}）。`, `it must be a whole number from 1 to ${MAX_PAGE_ROWS} (the maximum is ${MAX_PAGE_ROWS}).`],
};

/** The refusal reasons a system acting for a clinician is told, in both languages (the code is the reason). */
function refusal(reason: RefusalReason): FhirAnswer {
  const [ja, en] = NEXT_STEP[reason] ?? GENERIC_STEP;
  return fail(403, "forbidden", `閲覧できません（${reason}）。${ja}`, `Access denied (${reason}): ${en}`);
}

/** A parameter the request may not carry: named, with what it may carry instead. */
function unsupported(query: URLSearchParams, allowed: readonly string[]): FhirAnswer | null {
  const name = [...query.keys()].find((k) => !allowed.includes(k));
  if (name === undefined) return null;
  return fail(400, "not-supported", `パラメータ ${name} には対応していません（使えるもの: ${allowed.join(", ")}）。`, `The parameter ${name} is not supported (supported: ${allowed.join(", ")}).`, name);
}

/**
 * Every GET as the clinician whose token it is: 401 without a usable token; lib/record's typed errors
 * as OperationOutcomes — 401 a login that was never complete, 403 with the reason, 404 no such
 * patient, 400 naming the bad parameter, 429 over the rate limit. Anything else is a bug, rethrown.
 */
async function asClinician(authorization: string | null, run: (actor: Actor) => Promise<FhirAnswer>): Promise<FhirAnswer> {
  const bearer = /^Bearer\s+(\S+)$/i.exec(authorization ?? "")?.[1] ?? null;
  const token = await readApiToken(bearer);
  if ("refused" in token) {
    const [ja, en] = TOKEN_REFUSAL[token.refused];
    return fail(401, "login", ja, en, undefined, { "WWW-Authenticate": 'Bearer realm="tsunagu"' });
  }
  const { actor } = token;
  try {
    return await run(actor);
  } catch (e) {
    const o = outcomeOf(e);
    if (!o) throw e;
    if (o.kind === "unauthenticated") return fail(401, "login", "ログインが完了していない利用者のトークンです。", "The token's user has not completed a login.");
    if (o.kind === "notFound") return fail(404, "not-found", "指定された患者は見つかりません。", "No such patient.", "Patient.id");
    if (o.kind === "invalid") {
      const field = Object.keys(o.fields)[0] ?? "input";
      const [ja, en] = PARAMETER_RULE[field] ?? ["", ""];
      return fail(400, "invalid", `パラメータ ${field} が正しくありません。${ja}`, `The parameter ${field} is invalid${en ? `: ${en}` : "."}`, field);
    }
    if (o.status === 429) return fail(429, "throttled", "要求が多すぎます。しばらく待ってから再試行してください。", "Too many requests: try again later.", undefined, { "Retry-After": "60" });
    return refusal(o.reason);
  }
}

/** A page as a searchset Bundle: `self` is this request, `next` the same parameters with the next page's cursor. */
function searchset(base: string, url: string, query: URLSearchParams, page: Pick<ExportPage, "resources" | "included" | "next">): FhirAnswer {
  const withCursor = (cursor: string | null) => {
    const q = new URLSearchParams(query);
    q.delete("cursor");
    if (cursor) q.set("cursor", cursor);
    const s = q.toString();
    return s ? `${url}?${s}` : url;
  };
  const entries = [...page.resources.map((resource) => ({ resource, mode: "match" as const })), ...(page.included ?? []).map((resource) => ({ resource, mode: "include" as const }))];
  return { status: 200, body: writeSearchset(base, now(), entries, { self: withCursor(query.get("cursor")), next: page.next ? withCursor(page.next) : null }) };
}

/**
 * Reads of one patient's record: a lapsed break-glass grant of this clinician is closed first (its
 * stop event, as the emergency page does), so the read after its expiry is refused NO_ACTIVE_GRANT.
 */
async function patientRead(actor: Actor, patientId: string, read: () => Promise<FhirAnswer>): Promise<FhirAnswer> {
  if (patientId) await closeExpiredGrants(actor, patientId);
  return read();
}

const EVERYTHING_NAMES = EVERYTHING_PARAMETERS.map((p) => p.name);

/** GET /api/fhir/Patient/{id}/$everything: one page of the patient's record (lib/record/export.ts), the Patient first. */
export function everything(req: FhirRequest & { patientId: string }): Promise<FhirAnswer> {
  return asClinician(req.authorization, async (actor) => {
    const bad = unsupported(req.query, EVERYTHING_NAMES);
    if (bad) return bad;
    return patientRead(actor, req.patientId, async () => {
      const page = await getExportPage(actor, req.patientId, Object.fromEntries(req.query), "UNSTATED");
      return searchset(req.base, `${req.base}/Patient/${encodeURIComponent(req.patientId)}/$everything`, req.query, page);
    });
  });
}

/** GET /api/fhir/{type}?patient=…: one page of that type's matches for one patient (lib/record/fhir-search.ts). */
export function search(req: FhirRequest & { type: string }): Promise<FhirAnswer> {
  return asClinician(req.authorization, async (actor) => {
    const type = req.type;
    if (!isSearchType(type)) return fail(404, "not-supported", `${type} の検索には対応していません（/api/fhir/metadata を参照）。`, `Searching ${type} is not supported (see /api/fhir/metadata).`);
    const bad = unsupported(req.query, searchParameterNames(type));
    if (bad) return bad;
    const patientId = (req.query.get("patient") ?? "").replace(/^Patient\//, "");
    return patientRead(actor, patientId, async () => searchset(req.base, `${req.base}/${type}`, req.query, await getSearchPage(actor, type, req.query)));
  });
}

/** GET /api/fhir/Patient/{id}: the Patient as this clinician's header shows them. */
export function readPatient(req: Omit<FhirRequest, "query"> & { patientId: string }): Promise<FhirAnswer> {
  return asClinician(req.authorization, (actor) => patientRead(actor, req.patientId, async () => ({ status: 200, body: await getPatientResource(actor, req.patientId) })));
}

/**
 * GET /api/fhir/{type}/{id}: one resource of the types the searches return, read as the type's search
 * reads it (lib/record/fhir-read-by-id.ts), or a Coverage, read as $everything writes it (fhir-coverage.ts). An unknown id and a record this clinician may not see are
 * the same 404, so withholding cannot be probed; a refused patient is a 403 with the reason, as a search.
 */
export function readResource(req: Omit<FhirRequest, "query"> & { type: string; id: string }): Promise<FhirAnswer> {
  return asClinician(req.authorization, async (actor) => {
    const { type, id } = req;
    // a Coverage is no record kind: $everything writes it beside the Patient, and it is read as there
    const by =
      type === "Coverage"
        ? { patientOf: () => patientOfCoverage(id), read: (patientId: string) => readCoverageById(actor, patientId, id) }
        : isSearchType(type)
          ? { patientOf: () => patientOfResource(type, id), read: (patientId: string) => readResourceById(actor, patientId, type, id) }
          : null;
    if (!by) return unknownFhirPath(`/api/fhir/${type}/${id}`);
    const missing = fail(404, "not-found", `${type}/${id} は見つからないか、この利用者には閲覧できません。`, `${type}/${id} was not found, or this user may not read it.`);
    const patientId = await by.patientOf();
    if (!patientId) return missing;
    try {
      return await patientRead(actor, patientId, async () => {
        const resource = await by.read(patientId);
        return resource ? { status: 200, body: resource } : missing;
      });
    } catch (e) {
      // A refused patient is the same 404 as an unknown id here (the refusal is audited with its reason
      // all the same). Record ids are predictable within a patient's, and a 403 for the ids that exist
      // would let anyone with a token count an unconsented patient's diagnoses, prescriptions and
      // visits. The searches, which name the patient, still answer 403 with the reason.
      if (outcomeOf(e)?.status === 403) return missing;
      throw e;
    }
  });
}

/**
 * A method a FHIR path does not take (PUT, DELETE, PATCH, POST on a read): 405 with the methods it
 * does take, in the Allow header and in words.
 */
export const fhirMethodNotAllowed = (method: string, allow: string): FhirAnswer =>
  fail(405, "not-supported", `このパスは ${method} に対応していません（使えるもの: ${allow}）。Tsunagu の FHIR API は読み取り専用です（記録の送信は POST /api/fhir）。`, `${method} is not supported on this path (allowed: ${allow}). Tsunagu's FHIR API is read-only (records are sent with POST /api/fhir).`, undefined, { Allow: allow });

/** GET /api/fhir/Patient?identifier=system|value: a searchset of the patients this clinician may open (none otherwise, never a refusal that tells). */
export function searchPatients(req: FhirRequest): Promise<FhirAnswer> {
  return asClinician(req.authorization, async (actor) => {
    const bad = unsupported(req.query, ["identifier"]);
    if (bad) return bad;
    const found: Resource[] = await findPatientsByIdentifier(actor, req.query);
    return searchset(req.base, `${req.base}/Patient`, req.query, { resources: found, next: null });
  });
}

/**
 * The handlers a read-only FHIR route exports beside its GET, so that PUT, DELETE, PATCH or POST is
 * told 405 as an OperationOutcome with Allow, not an empty answer.
 */
export function refusedMethods(allow = "GET") {
  const refuse = (req: Request) => fhirResponse(fhirMethodNotAllowed(req.method, allow));
  return { POST: refuse, PUT: refuse, PATCH: refuse, DELETE: refuse };
}
