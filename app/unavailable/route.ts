import type { NextRequest } from "next/server";
import { refusalFor, unavailableResponse } from "@/lib/http/unavailable";
import { LOCALE_COOKIE } from "@/lib/i18n/locale-cookie";
import { nonceOf } from "@/lib/security/headers";

/**
 * Where a page goes when its database call failed because the database went away or stayed busy
 * (lib/http/database-away.ts): 503 with Retry-After and a short page, in the reader's language, that
 * reloads the page it came from. Never reads the database, so it answers while the database is away.
 */
export function GET(request: NextRequest): Response {
  // the nonce proxy.ts put in this request's Content-Security-Policy, for the page's one style element
  const nonce = nonceOf(request.headers.get("content-security-policy"));
  return unavailableResponse(refusalFor(request.nextUrl.searchParams.get("reason")), {
    path: "/unavailable",
    search: request.nextUrl.search,
    locale: request.cookies.get(LOCALE_COOKIE)?.value === "en" ? "en" : "ja",
    nonce,
    headers: {},
  });
}
