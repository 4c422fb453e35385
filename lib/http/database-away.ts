import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { databaseRefusal } from "../db/pressure";
import { PATH_HEADER } from "./unavailable";

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
