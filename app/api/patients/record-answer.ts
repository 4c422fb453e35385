import { NextResponse } from "next/server";
import type { Actor } from "@/lib/auth/actor";
import { outcomeOf } from "@/lib/record";
import { apiAnswerIfDatabaseDown } from "@/lib/http/database-away";
import { outcomeProblem, unauthenticatedProblem } from "@/lib/http/problem";

/**
 * A lib/record read for one actor (or none) as JSON, or as the answer `answer` makes of it. Errors are
 * codes with their HTTP status (lib/record's one mapping) and the message in Japanese and English,
 * never server messages. Separate from the route's session lookup so that a test can call it for any
 * actor. A signed-in but unfinished login is let through to lib/record on purpose: lib/access refuses
 * it there (401 LOGIN_INCOMPLETE), for this route and for any route added later.
 */
export async function recordAnswer<T>(actor: Actor | null, read: (actor: Actor) => Promise<T>, answer: (value: T) => Response = (v) => NextResponse.json(v)): Promise<Response> {
  if (!actor) return unauthenticatedProblem();
  try {
    return answer(await read(actor));
  } catch (e) {
    const away = apiAnswerIfDatabaseDown(e);
    if (away) return away;
    const o = outcomeOf(e);
    if (!o) throw e;
    // a timeline filter says what is wrong with it as the filter form does; a cursor or limit is "invalid"
    return outcomeProblem(o, (t, field) => t.filters.invalidField[field]);
  }
}
