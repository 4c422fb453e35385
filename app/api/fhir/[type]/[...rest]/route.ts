import type { NextRequest } from "next/server";
import { fhirResponse, unknownFhirPath } from "@/lib/record/fhir-api";

/**
 * Any path deeper than a type's search (Condition/{id}, Observation/{id}/_history…): Tsunagu reads
 * records by patient only, so these are an OperationOutcome 404, not the app's HTML page.
 */
const answer = (req: NextRequest) => fhirResponse(unknownFhirPath(req.nextUrl.pathname));
export { answer as GET, answer as POST, answer as PUT, answer as PATCH, answer as DELETE };
