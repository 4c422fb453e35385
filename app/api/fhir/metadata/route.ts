import { capabilityStatement, refusedMethods } from "@/lib/record/fhir-api";

/** The CapabilityStatement: what this FHIR API supports (no token needed, as FHIR expects). */
export function GET(req: Request) {
  return Response.json(capabilityStatement(`${new URL(req.url).origin}/api/fhir`), { headers: { "Content-Type": "application/fhir+json; charset=utf-8" } });
}

/** Read-only: any other method is a 405 OperationOutcome with Allow: GET. */
export const { POST, PUT, PATCH, DELETE } = refusedMethods();
