import { currentActor, type Actor } from "@/lib/auth/actor";
import { recordAnswer } from "./record-answer";

/**
 * A lib/record read as JSON for the browser's own fetches (timeline pages, the monthly map), or as the
 * answer `answer` makes of it (the FHIR download's stream), for the signed-in user (record-answer.ts).
 */
export async function recordJson<T>(read: (actor: Actor) => Promise<T>, answer?: (value: T) => Response): Promise<Response> {
  return recordAnswer(await currentActor(), read, answer);
}
