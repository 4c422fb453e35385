import type { NextRequest } from "next/server";
import { everything, fhirResponse, refusedMethods } from "@/lib/record/fhir-api";

/** Patient/$everything for facility systems, with a clinician's API token (lib/record/fhir-api). */
export async function GET(req: NextRequest, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return fhirResponse(await everything({ authorization: req.headers.get("authorization"), patientId: id, query: req.nextUrl.searchParams, base: `${req.nextUrl.origin}/api/fhir` }));
}

/** Read-only: any other method is a 405 OperationOutcome with Allow: GET. */
export const { POST, PUT, PATCH, DELETE } = refusedMethods();
