import { getDb, type Db } from "../db/client";
import { authenticateFacilityKey } from "../auth/facility-key";
import { COUNTING_TX, countInWindow } from "../auth/failure-counters";
import type { WindowLimit } from "../auth/lockout";
import { RATE_LIMITS } from "../access/rate-limits";
import { recordAuditNow } from "../audit";
import { systemActor } from "./system-actor";
import { IngestRefusedError } from "./summary";
import { ingestSource, runImport } from "./run";
import { FHIR_DOCUMENT_MAX_BYTES, importFhirDocument, type FhirOutcome } from "./fhir-document";
import { parseJsonBytes } from "../interop/fhir/json";
import { outcomeOf, outcomeOfIssues, type OperationOutcome } from "./operation-outcome";

export interface PushRequest {
  authorization: string | null;
  contentType: string | null;
  contentLength: string | null;
  body: ReadableStream<Uint8Array> | null;
}

export interface PushAnswer {
  status: number;
  body: OperationOutcome | Record<string, unknown>;
}

const refuse = (status: number, code: string, ja: string, en: string, expression?: string): PushAnswer => ({ status, body: outcomeOf([{ severity: "error", code, ja, en, expression }]) });

/** The body, read no further than the limit: a client that lies in Content-Length is cut off there. */
async function readBounded(body: ReadableStream<Uint8Array>, limit: number): Promise<Uint8Array | "too-large"> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      return "too-large";
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

/**
 * POST /api/fhir: a facility system pushes a JP-CLINS document Bundle, a 5-information collection
 * Bundle or a transaction Bundle. In order: the key (401), the facility's right to send (403, lib/access
 * decideIngest), the size (413), the JSON and its shape (400), then the one importer every format
 * goes through (lib/ingest). Each push is one import-log run and lands whole or not at all.
 */
export async function handleFhirPush(db: Db, req: PushRequest, limit: WindowLimit = RATE_LIMITS.FHIR_PUSH): Promise<PushAnswer> {
  const bearer = /^Bearer\s+(\S+)$/i.exec(req.authorization ?? "")?.[1] ?? null;
  const holder = await authenticateFacilityKey(db, bearer);
  if (!holder) return refuse(401, "login", "APIキーがないか、無効か、失効しています。Authorization: Bearer <施設のAPIキー> を付けて送ってください。", "The API key is missing, unknown or revoked. Send Authorization: Bearer <the facility's API key>.");
  // counted before anything is read, in its own short transaction, so twenty parallel pushes count twenty
  const counted = await db.$transaction((tx) => countInWindow(tx, `FHIR_PUSH:${holder.keyId}`, new Date(), limit), COUNTING_TX);
  if (!counted) {
    await recordAuditNow(db, { actor: systemActor("ingest", `key:${holder.keyId}`, holder.facility.id), action: "RATE_LIMITED", outcome: "DENY", patientId: null, detail: { limit: "FHIR_PUSH", keyId: holder.keyId } });
    return refuse(429, "throttled", `送信が多すぎます（1分あたり ${limit.max} 件まで）。しばらく待ってから送り直してください。`, `Too many pushes (at most ${limit.max} per ${limit.windowMinutes} min per key). Wait and resend.`);
  }
  let source;
  try {
    source = await ingestSource(db, holder.facility.code, `key:${holder.keyId}`);
  } catch (e) {
    if (!(e instanceof IngestRefusedError)) throw e;
    const ja = e.reason === "FACILITY_SUSPENDED" ? "この施設は参加を停止されているため、記録を送れません。" : "この施設は開示施設ではないため、記録を送れません。";
    return refuse(403, "forbidden", ja, `This facility may not send records (${e.reason}).`);
  }
  const length = Number(req.contentLength ?? "0");
  if (length > FHIR_DOCUMENT_MAX_BYTES) return refuse(413, "too-costly", `文書が大きすぎます（${length} バイト、上限 ${FHIR_DOCUMENT_MAX_BYTES} バイト）。`, `The document is too large (${length} bytes; the limit is ${FHIR_DOCUMENT_MAX_BYTES}).`);
  if (req.contentType && !/^application\/(fhir\+)?json\b/i.test(req.contentType)) return refuse(415, "not-supported", `Content-Type「${req.contentType}」は受け付けません。application/fhir+json で送ってください。`, `Content-Type "${req.contentType}" is not accepted; send application/fhir+json.`);
  const bytes = req.body ? await readBounded(req.body, FHIR_DOCUMENT_MAX_BYTES) : new Uint8Array();
  if (bytes === "too-large") return refuse(413, "too-costly", `文書が上限 ${FHIR_DOCUMENT_MAX_BYTES} バイトを超えています。`, `The document is over the ${FHIR_DOCUMENT_MAX_BYTES}-byte limit.`);
  const parsed = parseJsonBytes(bytes);
  if (!parsed.ok) return refuse(400, "structure", `JSON として読めません（UTF-8 の FHIR JSON を送ってください）: ${parsed.detail}`, `The body is not UTF-8 JSON: ${parsed.detail}`);
  const json = parsed.json;
  if (typeof json !== "object" || json === null || Array.isArray(json)) return refuse(400, "structure", "JSON のオブジェクト（resourceType が Bundle のもの）を送ってください。配列・文字列・数値・null は受け付けません。", "Send a JSON object (a Bundle); an array, string, number or null is not accepted.");
  const type = (json as { resourceType?: unknown }).resourceType;
  if (type !== "Bundle") return refuse(400, "structure", `Bundle を送ってください（resourceType が「${String(type)}」です）。`, `Send a Bundle (resourceType is "${String(type)}").`, "resourceType");

  const id = (json as { identifier?: { system?: unknown; value?: unknown } }).identifier;
  const label = typeof id?.value === "string" ? `api:${typeof id.system === "string" ? `${id.system}|` : ""}${id.value}` : "api:(no identifier)";
  // one run of the import log, as a CLI import is; a document whose transaction failed leaves no
  // outcome of its own (the run logs the error), and the sender gets an answer it can act on
  let o: FhirOutcome | null = null;
  const summary = await runImport(db, source, { by: source.by, via: "API", label }, async function* (src) {
    yield { file: label, run: async (t) => (o = await importFhirDocument(t, src, label, json)) };
  });
  if (!o) {
    const reason = summary.rejected[0]?.reason ?? "ERROR";
    return { status: 500, body: outcomeOf([{ severity: "error", code: "exception", ja: "文書を取り込めませんでした（何も登録していません）。時間をおいて送り直してください。続く場合は運用担当に連絡してください。", en: `The document could not be filed (nothing was written): ${reason}` }]) };
  }
  return answerOf(o, json);
}

/** Why a document is held, for the Japanese half of the 202 answer (lib/ingest/patient-identity's codes). */
const HELD_JA: Record<string, string> = {
  NO_LINK: "この施設の患者IDは、まだつなぐのどの患者にも結び付いていません",
  BRANCH_CONFLICT: "同じ患者IDに、結び付いている患者と異なる枝番（被保険者の別の家族）が届きました",
  REJECTED_IDENTITY: "この患者IDは、同定確認で却下されています",
};

/** The importer's data-quality warnings, in Japanese, by their code. */
const WARNING_JA: Record<string, string> = {
  NO_DATE: "日付がないため、文書の日時で登録しました（発症日不明として表示します）",
  UNDELIVERED: "他施設に提供しない記録（UNDELIVERED）のため保存していません",
  BIRTH_DATE: "生年月日が、結び付いている患者の登録と異なります",
  SEX: "性別が、結び付いている患者の登録と異なります",
  DELETE_UNKNOWN: "削除の対象が見つかりません（未登録か削除済み）",
};

/** A transaction-response: one entry per entry sent, with the document's outcome and its warnings. */
function answerOf(o: FhirOutcome, json: unknown): PushAnswer {
  if (o.status === "rejected") {
    const errors = o.issues.filter((i) => i.severity === "error");
    return { status: 400, body: errors.length ? outcomeOfIssues(errors) : outcomeOf([{ severity: "error", code: "processing", ja: `取り込めません: ${o.reason}`, en: `Not imported: ${o.reason}` }]) };
  }
  if (o.status === "held") {
    // accepted and kept, not yet filed: the identity review decides whose record it is
    const why = HELD_JA[(o.reason ?? "").split(":")[0]!] ?? "患者を特定できません";
    return { status: 202, body: outcomeOf([{ severity: "information", code: "informational", ja: `受け付けました。${why}。管理者が患者の同定を確認するまで保留し、確認後に登録します。`, en: `Accepted and held until an administrator confirms the patient's identity: ${o.reason}` }]) };
  }
  const status = o.status === "created" ? "201 Created" : o.status === "deleted" ? "204 No Content" : "200 OK";
  const entries = Array.isArray((json as { entry?: unknown }).entry) ? ((json as { entry: unknown[] }).entry.length || 1) : 1;
  // the reader's and the profiles' warnings carry their own Japanese and element; the importer's own
  // (CODE: text) get a Japanese line by their code
  const read = o.issues.filter((i) => i.severity === "warning" && i.invariant !== "dom-6");
  const own = o.warnings.filter((w) => /^[A-Z_]+: /.test(w) && !w.startsWith("NOT_IMPORTED"));
  const warnings = [
    ...read.map((i) => ({ severity: "warning" as const, code: i.invariant ? "invariant" : i.code, ja: i.ja, en: i.en, expression: i.expression || undefined })),
    ...own.map((w) => ({ severity: "warning" as const, code: "informational", ja: `${WARNING_JA[w.split(":")[0]!] ?? "データ品質の注意"}（${w}）`, en: w })),
  ];
  const skipped = new Map((o.notFiled ?? []).map((n) => [n.entry, n.reason]));
  return {
    status: 200,
    body: {
      resourceType: "Bundle",
      type: "transaction-response",
      // an entry that was read but has no place in the record (a Practitioner, an Encounter) says so
      // on its own line, rather than claiming it was created
      entry: Array.from({ length: entries }, (_, i) => {
        const why = skipped.get(i);
        if (why) return { response: { status: "200 OK", outcome: outcomeOf([{ severity: "information", code: "informational", ja: `取り込んでいません（記録の種類がありません）: ${why}`, en: `Not filed (no record kind): ${why}` }]) } };
        return { response: { status, ...(i === 0 && warnings.length ? { outcome: outcomeOf(warnings) } : {}) } };
      }),
    },
  };
}

/** The route's way in: the one database, then handleFhirPush. app/ never holds the database itself. */
export async function receiveFhirPush(req: PushRequest): Promise<PushAnswer> {
  return handleFhirPush(await getDb(), req);
}

/** Any method but POST: the answer says what the endpoint takes, as FHIR would. */
export const methodNotAllowed = (): PushAnswer => refuse(405, "not-supported", "このエンドポイントは POST（FHIR Bundle の送信）のみ受け付けます。", "This endpoint takes POST only (a FHIR Bundle).");
