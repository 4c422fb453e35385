import { NextResponse } from "next/server";
import { currentActor, type Actor } from "@/lib/auth/actor";
import { AccessDeniedError, PatientNotFoundError, InvalidInputError } from "@/lib/record";

/**
 * A lib/record read as JSON for the browser's own fetches (timeline pages, the monthly map). Errors are
 * codes with their HTTP status, never server messages.
 */
export async function recordJson(read: (actor: Actor) => Promise<unknown>): Promise<NextResponse> {
  const actor = await currentActor();
  if (!actor) return NextResponse.json({ error: "UNAUTHENTICATED" }, { status: 401 });
  try {
    return NextResponse.json(await read(actor));
  } catch (e) {
    if (e instanceof AccessDeniedError) return NextResponse.json({ error: "ACCESS_DENIED", reason: e.reason }, { status: 403 });
    if (e instanceof PatientNotFoundError) return NextResponse.json({ error: "NOT_FOUND" }, { status: 404 });
    if (e instanceof InvalidInputError) return NextResponse.json({ error: "INVALID_INPUT", field: e.field }, { status: 400 });
    throw e;
  }
}
