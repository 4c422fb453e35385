import { NextResponse, type NextRequest } from "next/server";
import { env, publicUrlIsHttps } from "./lib/env";
import { newNonce, requestSecurityHeaders } from "./lib/security/headers";
import { admission } from "./lib/db/pressure";
import { PATH_HEADER, unavailableResponse } from "./lib/http/unavailable";
import { LOCALE_COOKIE } from "./lib/i18n/locale-cookie";

/**
 * Every page and API answer gets a fresh CSP nonce and, behind an https public URL, HSTS. The CSP goes
 * on the request too: that is where Next's renderer reads the nonce for its own inline scripts.
 * Only headers, and whether the database can take the request now, are decided here; who may see
 * what is decided in lib/access, never at the edge.
 */
export function proxy(request: NextRequest) {
  const nonce = newNonce();
  const headers = requestSecurityHeaders({ nonce, dev: process.env.NODE_ENV === "development", https: publicUrlIsHttps(env().NEXTAUTH_URL) });
  // A request the database cannot take now is refused before it starts (503, Retry-After), rather
  // than queueing without bound or failing half-rendered with a 500 (lib/db/pressure.ts).
  const admitted = admission();
  if (!admitted.ok) {
    const locale = request.cookies.get(LOCALE_COOKIE)?.value === "en" ? "en" : "ja";
    return unavailableResponse(admitted, { path: request.nextUrl.pathname, search: request.nextUrl.search, locale, nonce, headers });
  }
  const forwarded = new Headers(request.headers);
  forwarded.set("Content-Security-Policy", headers["Content-Security-Policy"]!);
  // where the page was asked for: a page whose database goes away mid-request sends the reader to
  // /unavailable and back here (lib/http/database-away.ts); set here, so a client cannot choose it
  forwarded.set(PATH_HEADER, request.nextUrl.pathname + request.nextUrl.search);
  const response = NextResponse.next({ request: { headers: forwarded } });
  for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
  return response;
}

export const config = {
  // The build's hashed static files run no page: their fixed headers come from next.config.ts.
  // Nor does /api/fhir, a JSON API for facility systems: a proxy makes Next buffer a copy of every
  // request body and silently cut it at 10 MB, and a pushed document may be 20 MiB (the route reads
  // its body as a stream, bounded, and refuses more with 413).
  matcher: ["/((?!_next/static|_next/image|api/fhir$).*)"],
};
