import type { NextRequest } from "next/server";
import { fhirMethodNotAllowed, fhirResponse, readResource, unknownFhirPath } from "@/lib/record/fhir-api";

type Params = { params: Promise<{ type: string; rest: string[] }> };

/**
 * {type}/{id}: the read of one resource (lib/record/fhir-api readResource). Any deeper path
 * (Observation/{id}/_history…) is an OperationOutcome 404, not the app's HTML page.
 */
export async function GET(req: NextRequest, { params }: Params) {
  const { type, rest } = await params;
  if (rest.length !== 1) return fhirResponse(unknownFhirPath(req.nextUrl.pathname));
  return fhirResponse(await readResource({ authorization: req.headers.get("authorization"), type, id: rest[0]!, base: `${req.nextUrl.origin}/api/fhir` }));
}

/** A read is the only method on {type}/{id} (405 with Allow: GET); a deeper path is unknown whatever the method. */
async function refuse(req: NextRequest, { params }: Params) {
  const { rest } = await params;
  return fhirResponse(rest.length === 1 ? fhirMethodNotAllowed(req.method, "GET") : unknownFhirPath(req.nextUrl.pathname));
}
export { refuse as POST, refuse as PUT, refuse as PATCH, refuse as DELETE };
