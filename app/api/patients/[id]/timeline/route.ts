import { NextResponse, type NextRequest } from "next/server";
import { currentActor } from "@/lib/auth/actor";
import { getTimelinePage, AccessDeniedError, PatientNotFoundError, InvalidInputError } from "@/lib/record";

/** Further timeline pages for the infinite list. Errors are codes, never server messages. */
export async function GET(req: NextRequest, { params }: { params: Promise<{ id: string }> }) {
  const actor = await currentActor();
  if (!actor) return NextResponse.json({ error: "UNAUTHENTICATED" }, { status: 401 });
  const { id } = await params;
  try {
    // Only the keys the record layer's schema knows are used; it validates every value.
    const page = await getTimelinePage(actor, id, Object.fromEntries(req.nextUrl.searchParams));
    return NextResponse.json(page);
  } catch (e) {
    if (e instanceof AccessDeniedError) return NextResponse.json({ error: "ACCESS_DENIED", reason: e.reason }, { status: 403 });
    if (e instanceof PatientNotFoundError) return NextResponse.json({ error: "NOT_FOUND" }, { status: 404 });
    if (e instanceof InvalidInputError) return NextResponse.json({ error: "INVALID_INPUT", field: e.field }, { status: 400 });
    throw e;
  }
}
