import { NextResponse } from "next/server";
import { currentActor, type Actor } from "@/lib/auth/actor";
import { outcomeOf } from "@/lib/record";
import { apiAnswerIfDatabaseDown } from "@/lib/http/database-away";

/**
 * A lib/record read as JSON for the browser's own fetches (timeline pages, the monthly map), or as the
 * answer `answer` makes of it (the FHIR download's stream). Errors are
 * codes with their HTTP status (lib/record's one mapping), never server messages. A signed-in but
 * unfinished login is let through to lib/record on purpose: lib/access refuses it there (401
 * LOGIN_INCOMPLETE), for this route and for any route added later.
 */
export async function recordJson<T>(read: (actor: Actor) => Promise<T>, answer: (value: T) => Response = (v) => NextResponse.json(v)): Promise<Response> {
  const actor = await currentActor();
  if (!actor) return NextResponse.json({ error: "UNAUTHENTICATED" }, { status: 401 });
  try {
    return answer(await read(actor));
  } catch (e) {
    const away = apiAnswerIfDatabaseDown(e);
    if (away) return away;
    const o = outcomeOf(e);
    if (!o) throw e;
    if (o.kind === "denied") return NextResponse.json({ error: o.code, reason: o.reason }, { status: o.status });
    if (o.kind === "invalid") return NextResponse.json({ error: o.code, field: Object.keys(o.fields)[0] }, { status: o.status });
    return NextResponse.json({ error: o.code }, { status: o.status });
  }
}
