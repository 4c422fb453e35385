import type { NextRequest } from "next/server";
import { fhirResponse, searchPatients, refusedMethods } from "@/lib/record/fhir-api";

/** GET Patient?identifier=system|value, with a clinician's API token (lib/record/fhir-api). */
export async function GET(req: NextRequest) {
  return fhirResponse(await searchPatients({ authorization: req.headers.get("authorization"), query: req.nextUrl.searchParams, base: `${req.nextUrl.origin}/api/fhir` }));
}

/** Read-only: any other method is a 405 OperationOutcome with Allow: GET. */
export const { POST, PUT, PATCH, DELETE } = refusedMethods();
