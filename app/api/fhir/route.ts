import { receiveFhirPush } from "@/lib/ingest/fhir-push";

/** Facility systems push FHIR Bundles here with their API key (lib/ingest/fhir-push). */
export async function POST(req: Request) {
  const answer = await receiveFhirPush({
    authorization: req.headers.get("authorization"),
    contentType: req.headers.get("content-type"),
    contentLength: req.headers.get("content-length"),
    body: req.body,
  });
  return Response.json(answer.body, { status: answer.status, headers: { "Content-Type": "application/fhir+json; charset=utf-8", "Cache-Control": "no-store" } });
}
