import type { Actor } from "@/lib/auth/actor";
import { messages } from "@/lib/i18n/messages";
import { outcomeProblem, problem, unauthenticatedProblem } from "@/lib/http/problem";
import { ExportTooLargeError, exportAudit, outcomeOf } from "@/lib/record";

/** What `format` must be, said once the caller is known to be an administrator (lib/record checks that first). */
const FORMAT_RULE = { ja: "format は csv または fhir を指定してください。", en: "format must be csv or fhir." };

/** The search the export came from, told why nothing was exported (the page shows the maximum). */
function searchAgain(params: URLSearchParams): string {
  const q = new URLSearchParams([...params].filter(([k]) => k !== "format" && k !== "exportRefused"));
  q.set("exportRefused", "EXPORT_TOO_LARGE");
  return q.toString();
}

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
  if (!actor) return unauthenticatedProblem();
  const input = Object.fromEntries([...params].filter(([k]) => k !== "format"));
  try {
    const x = await exportAudit(actor, input, params.get("format"));
    return new Response(x.body, {
      headers: { "Content-Type": x.contentType, "Content-Disposition": `attachment; filename="${x.filename}"`, "X-Audit-Rows": String(x.rows) },
    });
  } catch (e) {
    if (e instanceof ExportTooLargeError) {
      if (navigation) return new Response(null, { status: 303, headers: { Location: `/admin/audit?${searchAgain(params)}` } });
      const n = (l: "ja-JP" | "en-US") => e.limit.toLocaleString(l);
      return problem(422, "EXPORT_TOO_LARGE", { ja: messages.ja.auditLog.tooLarge(n("ja-JP")), en: messages.en.auditLog.tooLarge(n("en-US")) }, { limit: e.limit });
    }
    const o = outcomeOf(e);
    if (!o) throw e;
    return outcomeProblem(o, (t, field, code, locale) => (field === "format" ? FORMAT_RULE[locale] : `${field}: ${t.auditLog.errors[code] ?? t.auditLog.errors.invalid}`));
  }
}
