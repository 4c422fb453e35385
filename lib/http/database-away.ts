import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { databaseRefusal } from "../db/pressure";
import { PATH_HEADER, refusalFor, unavailableResponse } from "./unavailable";

/**
 * A page whose database read failed because the database is away (or its pool stayed full past the
 * transaction wait) goes to /unavailable — 503 with Retry-After and a page that reloads itself back
 * here — instead of the error boundary's 500. The admission check in proxy.ts refuses requests that
 * arrive while the database is known to be away; this catches the ones already past it when it went.
 * Any other error is rethrown untouched.
 */
export async function sendAwayIfDatabaseDown(e: unknown): Promise<void> {
  const reason = databaseRefusal(e);
  if (!reason) return;
  const back = (await headers()).get(PATH_HEADER) ?? "/";
  redirect(`/unavailable?${new URLSearchParams({ reason, next: back })}`);
}

/**
 * The same for a JSON route: 503 with Retry-After and the reason in both languages, or null when the
 * failure was something else (then the caller's own mapping, or the 500 a bug deserves).
 */
export function apiAnswerIfDatabaseDown(e: unknown): Response | null {
  const reason = databaseRefusal(e);
  return reason ? unavailableResponse(refusalFor(reason), { path: "/api/", search: "", locale: "ja", nonce: "", headers: {} }) : null;
}
