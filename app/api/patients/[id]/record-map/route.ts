import type { NextRequest } from "next/server";
import { getMonthlyRecordMap } from "@/lib/record";
import { packMap } from "@/lib/format/record-map";
import { recordJson } from "../../record-json";

/** The monthly record map, fetched when a clinician switches a long record's map to months. */
export async function GET(_req: NextRequest, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return recordJson(async (actor) => packMap(await getMonthlyRecordMap(actor, id)));
}
