import { methodNotAllowed, receiveFhirPush, type PushAnswer } from "@/lib/ingest/fhir-push";

/** Facility systems push FHIR Bundles here with their API key (lib/ingest/fhir-push). */
export async function POST(req: Request) {
  const answer = await receiveFhirPush({
    authorization: req.headers.get("authorization"),
    contentType: req.headers.get("content-type"),
    contentLength: req.headers.get("content-length"),
    body: req.body,
  });
  return fhirJson(answer, answer.status === 429 ? { "Retry-After": "60" } : {});
}

const fhirJson = (a: PushAnswer, extra: Record<string, string> = {}) =>
  Response.json(a.body, { status: a.status, headers: { "Content-Type": "application/fhir+json; charset=utf-8", "Cache-Control": "no-store", ...extra } });

const refuseMethod = () => fhirJson(methodNotAllowed(), { Allow: "POST" });
export { refuseMethod as GET, refuseMethod as PUT, refuseMethod as DELETE, refuseMethod as PATCH };
