import { cache } from "react";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { sendAwayIfDatabaseDown } from "../http/database-away";
import { getDb } from "../db/client";
import { now } from "../clock";
import { decodeSessionToken, sessionTokenOf } from "./session-claims";
import { checkSession } from "./sessions";
import { toActor, isClinical, canBreakGlass, workStart, type Actor, type WorkStart } from "./to-actor";

export { toActor, isClinical, canBreakGlass, workStart, type Actor, type WorkStart };

/**
 * The actor of this request, or null. The cookie only names a server-side session (read here straight
 * from next-auth's token: its getServerSession also built a renewed token on every call, which a
 * server component cannot set anyway — lib/auth/session-claims); whether it still
 * holds (ended, idle, past its absolute lifetime, user deactivated, facility suspended) is decided
 * here, on every request, from the database — once per request: the layout and the page both ask, and
 * React's cache() lets them share one read (outside a server render it simply calls through).
 */
export const currentActor = cache(async (): Promise<Actor | null> => {
  const session = await decodeSessionToken(sessionTokenOf(await cookies()));
  if (!session) return null;
  let s: Awaited<ReturnType<typeof checkSession>>;
  try {
    s = await checkSession(await getDb(), session.sid, now());
  } catch (e) {
    // the database went away or stayed busy: the 503 page, not the error boundary's 500
    await sendAwayIfDatabaseDown(e);
    throw e;
  }
  if (!s || s.userId !== session.userId) return null;
  return toActor(s.user, s);
});

/**
 * Guard for pages and actions: a fully signed-in actor, or a redirect — to the login page, or to the
 * step still owed (a password change on first login, enrolling a second factor). Never returns
 * without one.
 */
export async function requireActor(): Promise<Actor> {
  const actor = await requireSignedIn();
  if (actor.mustChangePassword) redirect("/account/password");
  if (!actor.mfa) redirect("/account/second-factor");
  return actor;
}

/** For the account pages that finish a login: signed in, possibly with steps still owed. */
export async function requireSignedIn(): Promise<Actor> {
  const actor = await currentActor();
  if (!actor) redirect("/login");
  return actor;
}
