import type { NextRequest } from "next/server";
import { forBrowser, getTimelinePage } from "@/lib/record";
import { recordJson } from "../../record-json";

/** Further timeline pages for the infinite list. */
export async function GET(req: NextRequest, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  // Only the keys the record layer's schema knows are used; it validates every value.
  return recordJson(async (actor) => forBrowser(await getTimelinePage(actor, id, Object.fromEntries(req.nextUrl.searchParams))));
}
