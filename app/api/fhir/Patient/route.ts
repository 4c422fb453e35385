import type { NextRequest } from "next/server";
import { fhirResponse, searchPatients } from "@/lib/record/fhir-api";

/** GET Patient?identifier=system|value, with a clinician's API token (lib/record/fhir-api). */
export async function GET(req: NextRequest) {
  return fhirResponse(await searchPatients({ authorization: req.headers.get("authorization"), query: req.nextUrl.searchParams, base: `${req.nextUrl.origin}/api/fhir` }));
}
