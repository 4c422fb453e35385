import type { NextRequest } from "next/server";
import { currentActor } from "@/lib/auth/actor";
import { auditExportResponse } from "./respond";

/** The filtered audit trail as CSV (?format=csv) or FHIR AuditEvent ndjson (?format=fhir), streamed. */
export async function GET(req: NextRequest) {
  return auditExportResponse(await currentActor(), req.nextUrl.searchParams);
}
