import type { NextRequest } from "next/server";
import { fhirResponse, readPatient, refusedMethods } from "@/lib/record/fhir-api";

/** GET Patient/{id}, with a clinician's API token (lib/record/fhir-api). */
export async function GET(req: NextRequest, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return fhirResponse(await readPatient({ authorization: req.headers.get("authorization"), patientId: id, base: `${req.nextUrl.origin}/api/fhir` }));
}

/** Read-only: any other method is a 405 OperationOutcome with Allow: GET. */
export const { POST, PUT, PATCH, DELETE } = refusedMethods();
