import type { NextRequest } from "next/server";
import { fhirResponse, search, refusedMethods } from "@/lib/record/fhir-api";

/** GET {type}?patient=… (Condition, Observation, Composition …), with a clinician's API token (lib/record/fhir-api). */
export async function GET(req: NextRequest, { params }: { params: Promise<{ type: string }> }) {
  const { type } = await params;
  return fhirResponse(await search({ authorization: req.headers.get("authorization"), type, query: req.nextUrl.searchParams, base: `${req.nextUrl.origin}/api/fhir` }));
}

/** Read-only: any other method is a 405 OperationOutcome with Allow: GET. */
export const { POST, PUT, PATCH, DELETE } = refusedMethods();
