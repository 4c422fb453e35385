import type { NextRequest } from "next/server";
import { everything } from "@/lib/record/fhir-api";

/** Patient/$everything for facility systems, with a clinician's API token (lib/record/fhir-api). */
export async function GET(req: NextRequest, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const a = await everything({ authorization: req.headers.get("authorization"), patientId: id, query: req.nextUrl.searchParams, base: `${req.nextUrl.origin}/api/fhir` });
  return Response.json(a.body, { status: a.status, headers: { "Content-Type": "application/fhir+json; charset=utf-8", "Cache-Control": "no-store", ...a.headers } });
}
