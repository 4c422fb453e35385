import { NextResponse } from "next/server";
import type { Actor } from "@/lib/auth/actor";
import { messages } from "@/lib/i18n/messages";
import { ExportTooLargeError, exportAudit, outcomeOf, type AuditExportFormat } from "@/lib/record";

const FORMATS: readonly AuditExportFormat[] = ["csv", "fhir"];

/** The search the export came from, told why nothing was exported (the page shows the maximum). */
function searchAgain(params: URLSearchParams): string {
  const q = new URLSearchParams([...params].filter(([k]) => k !== "format" && k !== "exportRefused"));
  q.set("exportRefused", "EXPORT_TOO_LARGE");
  return q.toString();
}

/** A refusal or error as JSON: a code, and the message in Japanese and English. */
const problem = (status: number, error: string, ja: string, en: string, extra: Record<string, unknown> = {}) => NextResponse.json({ error, ...extra, message: { ja, en } }, { status });

/**
 * The audit export for one actor (or none) and query: the file, streamed, or a refusal that sends
 * nothing of the file. Separate from the route's session lookup so that a test can call it for any
 * actor. A signed-in but unfinished login goes on to lib/record, which refuses it (401).
 *
 * `navigation`: the administrator's browser followed the page's export link. An export over the
 * maximum then goes back to the search with the same filters and the message there, rather than
 * leaving them on a page of JSON (or a failed download); a program still gets the JSON 422.
 */
export async function auditExportResponse(actor: Actor | null, params: URLSearchParams, { navigation = false }: { navigation?: boolean } = {}): Promise<Response> {
  if (!actor) return problem(401, "UNAUTHENTICATED", "ログインしてください。", "Please log in.");
  const format = params.get("format") as AuditExportFormat;
  if (!FORMATS.includes(format)) return problem(400, "INVALID_INPUT", "format は csv または fhir を指定してください。", "format must be csv or fhir.", { field: "format" });
  const input = Object.fromEntries([...params].filter(([k]) => k !== "format"));
  try {
    const x = await exportAudit(actor, input, format);
    return new Response(x.body, {
      headers: { "Content-Type": x.contentType, "Content-Disposition": `attachment; filename="${x.filename}"`, "X-Audit-Rows": String(x.rows) },
    });
  } catch (e) {
    if (e instanceof ExportTooLargeError) {
      if (navigation) return new Response(null, { status: 303, headers: { Location: `/admin/audit?${searchAgain(params)}` } });
      const n = (l: "ja-JP" | "en-US") => e.limit.toLocaleString(l);
      return problem(422, "EXPORT_TOO_LARGE", messages.ja.auditLog.tooLarge(n("ja-JP")), messages.en.auditLog.tooLarge(n("en-US")), { limit: e.limit });
    }
    const o = outcomeOf(e);
    if (!o) throw e;
    if (o.kind === "invalid") {
      const field = Object.keys(o.fields)[0]!;
      return problem(400, o.code, `${field}: ${messages.ja.auditLog.errors[o.fields[field]!] ?? messages.ja.auditLog.errors.invalid}`, `${field}: ${messages.en.auditLog.errors[o.fields[field]!] ?? messages.en.auditLog.errors.invalid}`, { field });
    }
    if (o.kind === "denied") return problem(o.status, o.code, messages.ja.denied.reasons[o.reason] ?? o.reason, messages.en.denied.reasons[o.reason] ?? o.reason, { reason: o.reason });
    if (o.kind === "unauthenticated") return problem(401, o.code, messages.ja.denied.reasons.LOGIN_INCOMPLETE!, messages.en.denied.reasons.LOGIN_INCOMPLETE!);
    return problem(o.status, o.code, messages.ja.error.invalidInput, messages.en.error.invalidInput);
  }
}
