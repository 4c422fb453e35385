import type { NextRequest } from "next/server";
import { currentActor } from "@/lib/auth/actor";
import { auditExportResponse } from "./respond";

/** The filtered audit trail as CSV (?format=csv) or FHIR AuditEvent ndjson (?format=fhir), streamed. */
export async function GET(req: NextRequest) {
  // the page's export link, followed by the browser itself (not a program or a script's fetch)
  const navigation = req.headers.get("sec-fetch-mode") === "navigate";
  return auditExportResponse(await currentActor(), req.nextUrl.searchParams, { navigation });
}
