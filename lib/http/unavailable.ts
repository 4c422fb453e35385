/**
 * The answer to a request refused before it started because the database is saturated or away
 * (lib/db/pressure.ts): 503 with Retry-After, never a 500. A page gets a short page in the reader's
 * language that reloads itself; an API caller gets JSON with both languages. Nothing was read or
 * written, so nothing is audited: there was no access to record.
 */
import { BUSY_RETRY_AFTER_S, UNAVAILABLE_RETRY_AFTER_S, type Admission } from "../db/pressure";
import { messages, type Locale } from "../i18n/messages";

/** The request header proxy.ts sets: the address a page was asked at, for the way back from /unavailable. */
export const PATH_HEADER = "x-tsunagu-path";

/** Where /unavailable came from (its `next`), so that its reload goes back there, not to itself. */
export function reloadTarget(path: string, search: string): { path: string; search: string } {
  if (path !== "/unavailable") return { path, search };
  const next = new URLSearchParams(search).get("next") ?? "/";
  const u = new URL(next, "http://x");
  return { path: u.pathname, search: u.search };
}

/** "//host/…" would leave the site: the reload link keeps one leading slash. */
const sameOrigin = (path: string) => "/" + path.replace(/^[/\\]+/, "");

type Refusal = Extract<Admission, { ok: false }>;

/** The refusal for a reason, with its Retry-After (for /unavailable, which has only the reason). */
export const refusalFor = (reason: string | null): Refusal =>
  reason === "BUSY" ? { ok: false, reason: "BUSY", retryAfterSeconds: BUSY_RETRY_AFTER_S } : { ok: false, reason: "DATABASE_UNAVAILABLE", retryAfterSeconds: UNAVAILABLE_RETRY_AFTER_S };

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function unavailableResponse(refusal: Refusal, opts: { path: string; search: string; locale: Locale; nonce: string; headers: Record<string, string> }): Response {
  const busy = refusal.reason === "BUSY";
  const back = reloadTarget(opts.path, opts.search);
  const s = refusal.retryAfterSeconds;
  const headers = new Headers({ ...opts.headers, "Retry-After": String(s), "Cache-Control": "no-store" });
  if (opts.path.startsWith("/api/")) {
    headers.set("Content-Type", "application/json; charset=utf-8");
    const { ja, en } = messages;
    const body = {
      error: refusal.reason,
      message: busy ? `${ja.unavailable.busyTitle}: ${ja.unavailable.busyBody(s)}` : `${ja.unavailable.downTitle}: ${ja.unavailable.downBody(s)}`,
      messageEn: busy ? `${en.unavailable.busyTitle}: ${en.unavailable.busyBody(s)}` : `${en.unavailable.downTitle}: ${en.unavailable.downBody(s)}`,
      retryAfterSeconds: s,
    };
    return new Response(JSON.stringify(body), { status: 503, headers });
  }
  const t = messages[opts.locale];
  const title = busy ? t.unavailable.busyTitle : t.unavailable.downTitle;
  const body = busy ? t.unavailable.busyBody(s) : t.unavailable.downBody(s);
  headers.set("Content-Type", "text/html; charset=utf-8");
  const html = `<!doctype html>
<html lang="${opts.locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="${s}; url=${escape(sameOrigin(back.path) + back.search)}"><title>${escape(title)} — ${escape(t.appName)}</title>
<style nonce="${escape(opts.nonce)}">body{font-family:system-ui,sans-serif;margin:0;background:#f8fafc;color:#0f172a}main{max-width:36rem;margin:4rem auto;padding:1.5rem;background:#fff;border:1px solid #cbd5e1;border-radius:.5rem}h1{font-size:1.375rem;margin:0 0 .75rem}p{line-height:1.6}a{color:#1d4ed8;font-weight:600}</style>
</head><body><main role="alert"><h1>${escape(title)}</h1><p>${escape(body)}</p><p><a href="${escape(sameOrigin(back.path) + back.search)}">${escape(t.unavailable.retry)}</a></p><p><small>${escape(t.appName)} · HTTP 503</small></p></main></body></html>`;
  return new Response(html, { status: 503, headers });
}
