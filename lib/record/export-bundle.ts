import { randomUUID } from "node:crypto";
import type { Actor } from "../auth/actor";
import { now } from "../clock";
import { BUNDLE_CLOSING, bundleEntryText, bundleOpening } from "../interop/fhir/write-bundle";
import { getExportPage } from "./export";

/**
 * The clinician's "Save as FHIR": the whole record as one Bundle, streamed page by page (each page its
 * own decision and audit event, lib/record/export.ts), so a 20-year record never sits in memory whole.
 * The first page is read before anything is sent, so a refusal, a bad filter or an unknown patient is
 * a proper error (lib/record's typed errors), not a broken file. A refusal on a later page (consent
 * withdrawn during the download) errors the stream: the download fails rather than end as a valid-
 * looking Bundle with records missing.
 */
export async function exportBundleStream(actor: Actor, patientId: string, input: Record<string, unknown> = {}): Promise<ReadableStream<Uint8Array>> {
  const { cursor: _ignored, ...filters } = input;
  void _ignored;
  const first = await getExportPage(actor, patientId, filters);
  const utf8 = new TextEncoder();
  let entries = 0;
  const text = (resources: typeof first.resources) => resources.map((r) => `${entries++ ? "," : ""}${bundleEntryText(r)}`).join("");
  let pending: string | null = bundleOpening({ id: randomUUID(), patientId, timestamp: now() }) + text(first.resources);
  let cursor = first.next;
  return new ReadableStream<Uint8Array>({
    // pulled as the client reads: the next page is read only when the previous one has been sent
    async pull(controller) {
      if (pending !== null) {
        controller.enqueue(utf8.encode(pending));
        pending = null;
        return;
      }
      if (!cursor) {
        controller.enqueue(utf8.encode(BUNDLE_CLOSING));
        controller.close();
        return;
      }
      const page = await getExportPage(actor, patientId, { ...filters, cursor });
      cursor = page.next;
      controller.enqueue(utf8.encode(text(page.resources)));
    },
    // no read-ahead: a page is read (decided, audited) only when the client has taken the previous one
  }, { highWaterMark: 0 });
}
