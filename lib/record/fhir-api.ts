import { actorOfApiToken } from "../auth/api-token";
import { now } from "../clock";
import { outcomeOf as operationOutcome } from "../ingest/operation-outcome";
import { writeSearchset } from "../interop/fhir/write-bundle";
import { outcomeOf } from "./errors";
import { EXPORT_TYPES, getExportPage } from "./export";

/** An answer of the FHIR read API: status and FHIR JSON (a Bundle, a CapabilityStatement or an OperationOutcome). */
export interface FhirAnswer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** $everything's parameters, as the CapabilityStatement states them and lib/record/export.ts checks them. */
const EVERYTHING_PARAMETERS = [
  ["start", "date", "記録日（日本時間）がこの日以降 / records on or after this day (Japan)"],
  ["end", "date", "記録日がこの日以前 / records on or before this day"],
  ["_since", "instant", "この時刻以降に Tsunagu が保存した記録 / records Tsunagu stored at or after this instant"],
  ["_type", "string", `資源の種類（カンマ区切り）/ resource types, comma-separated: ${EXPORT_TYPES.join(", ")}`],
  ["_count", "number", "1ページの記録数（既定 200、最大 1000）/ records per page (default 200, at most 1000)"],
] as const;

/** What this server supports, exactly: $everything on Patient with a clinician's token, nothing else to read. */
export function capabilityStatement(base: string) {
  return {
    resourceType: "CapabilityStatement",
    status: "active",
    date: "2026-12-06",
    kind: "instance",
    software: { name: "Tsunagu" },
    implementation: { description: "Tsunagu 地域医療情報連携ネットワーク FHIR API", url: base },
    fhirVersion: "4.0.1",
    format: ["application/fhir+json"],
    rest: [
      {
        mode: "server",
        documentation:
          "GET は臨床職員が発行した API トークン（Authorization: Bearer）で、その職員として判断・監査されます。POST /api/fhir は施設システムの API キーで JP-CLINS の Bundle を受け付けます。 / Reads take a clinician's API token (Authorization: Bearer) and are decided and audited as that clinician. POST /api/fhir takes a facility system's API key and JP-CLINS Bundles.",
        security: { service: [{ coding: [{ system: "http://terminology.hl7.org/CodeSystem/restful-security-service", code: "OAuth", display: "Bearer token" }] }], description: "Authorization: Bearer <token>" },
        resource: [
          {
            type: "Patient",
            profile: "http://jpfhir.jp/fhir/core/StructureDefinition/JP_Patient",
            operation: [{ name: "everything", definition: "http://hl7.org/fhir/OperationDefinition/Patient-everything" }],
          },
        ],
        operation: [{ name: "everything", definition: "http://hl7.org/fhir/OperationDefinition/Patient-everything", documentation: EVERYTHING_PARAMETERS.map(([n, t, d]) => `${n} (${t}): ${d}`).join("; ") }],
        interaction: [{ code: "transaction", documentation: "POST /api/fhir: JP-CLINS document, collection and transaction Bundles (facility API key)" }],
      },
    ],
  };
}

const fail = (status: number, code: string, ja: string, en: string, expression?: string, headers?: Record<string, string>): FhirAnswer => ({ status, body: operationOutcome([{ severity: "error", code, ja, en, expression }]), headers });

/** The refusal reasons a system acting for a clinician is told, in both languages (the code is the reason). */
function refusal(reason: string): FhirAnswer {
  return fail(403, "forbidden", `閲覧できません（${reason}）。同意・職種・施設の状態を確認してください。`, `Access denied (${reason}): check the patient's consent, the profession and the facility.`);
}

/**
 * GET /api/fhir/Patient/{id}/$everything: one page of the patient's record as a searchset Bundle,
 * read as the clinician whose token it is, with the screen's decision and an audit event (lib/record
 * /export.ts); `link[next]` carries the same parameters and the cursor. Every refusal is an
 * OperationOutcome: 401 no usable token (or a login that was never complete), 403 with the reason,
 * 404 no such patient, 400 naming the bad parameter, 429 over the rate limit.
 */
export async function everything(req: { authorization: string | null; patientId: string; query: URLSearchParams; base: string }): Promise<FhirAnswer> {
  const bearer = /^Bearer\s+(\S+)$/i.exec(req.authorization ?? "")?.[1] ?? null;
  const actor = await actorOfApiToken(bearer);
  if (!actor) return fail(401, "login", "API トークンがないか、無効・失効・期限切れです。アカウント画面で発行してください。", "No usable API token (missing, unknown, revoked or expired): issue one on the account page.", undefined, { "WWW-Authenticate": 'Bearer realm="tsunagu"' });
  const input = Object.fromEntries(req.query);
  try {
    const page = await getExportPage(actor, req.patientId, input);
    const here = `${req.base}/Patient/${encodeURIComponent(req.patientId)}/$everything`;
    const withCursor = (cursor: string | null) => {
      const q = new URLSearchParams(req.query);
      q.delete("cursor");
      if (cursor) q.set("cursor", cursor);
      const s = q.toString();
      return s ? `${here}?${s}` : here;
    };
    return { status: 200, body: writeSearchset(now(), page.resources, { self: withCursor(req.query.get("cursor")), next: page.next ? withCursor(page.next) : null }) };
  } catch (e) {
    const o = outcomeOf(e);
    if (!o) throw e;
    if (o.kind === "unauthenticated") return fail(401, "login", "ログインが完了していない利用者のトークンです。", "The token's user has not completed a login.");
    if (o.kind === "notFound") return fail(404, "not-found", "指定された患者は見つかりません。", "No such patient.", "Patient.id");
    if (o.kind === "invalid") {
      const field = Object.keys(o.fields)[0] ?? "input";
      return fail(400, "invalid", `パラメータ ${field} が正しくありません。`, `The parameter ${field} is invalid.`, field);
    }
    if (o.status === 429) return fail(429, "throttled", "要求が多すぎます。しばらく待ってから再試行してください。", "Too many requests: try again later.", undefined, { "Retry-After": "60" });
    return refusal(o.reason);
  }
}
