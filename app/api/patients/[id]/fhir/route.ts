import type { NextRequest } from "next/server";
import { exportBundleStream } from "@/lib/record";
import { recordJson } from "../../record-json";

/**
 * 「FHIR で保存」: the patient's record as one FHIR R4 Bundle (JP Core), as the clinician may see it.
 * start, end, _since and _type narrow it (lib/record validates them); the stream is lib/record's.
 */
export async function GET(req: NextRequest, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return recordJson(
    (actor) => exportBundleStream(actor, id, Object.fromEntries(req.nextUrl.searchParams)),
    (body) =>
      new Response(body, {
        headers: {
          "Content-Type": "application/fhir+json; charset=utf-8",
          // an ASCII file name from the id (ids are ASCII, but never trust one into a header)
          "Content-Disposition": `attachment; filename="tsunagu-${id.replace(/[^A-Za-z0-9._-]/g, "_")}.fhir.json"`,
        },
      }),
  );
}
