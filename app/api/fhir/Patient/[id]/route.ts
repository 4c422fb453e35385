import type { NextRequest } from "next/server";
import { fhirResponse, readPatient } from "@/lib/record/fhir-api";

/** GET Patient/{id}, with a clinician's API token (lib/record/fhir-api). */
export async function GET(req: NextRequest, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return fhirResponse(await readPatient({ authorization: req.headers.get("authorization"), patientId: id, base: `${req.nextUrl.origin}/api/fhir` }));
}
