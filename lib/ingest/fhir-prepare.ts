import { FHIR_DOCUMENT_MAX_BYTES, prepareFhirDocument, type PreparedFhir } from "./fhir-document";
import { parseJsonBytes } from "../interop/fhir/json";
import type { FileOutcome } from "./ssmix2-file";
import { failedOutcome } from "./summary";
import type { IngestSource } from "./source";

/** A FHIR file as read (lib/ingest/file-reads): its bytes (null when over the bound, with its size), or why it could not be read. */
export type FhirRead = { bytes: Uint8Array | null; size: number } | { error: unknown };

/** What a prepare worker is sent (lib/ingest/prepare-pool) and what it answers. */
export interface PrepareRequest {
  id: number;
  source: IngestSource;
  read: FhirRead;
  shownAs: string;
}
export interface PrepareAnswer {
  id: number;
  prepared: PreparedFhir;
}

/**
 * One FHIR file read, parsed and prepared (fhir-document's prepareFhirDocument: no database), or the
 * outcome already decided: too large, not JSON, unreadable. Pure CPU, so a folder import may do it on
 * a worker thread. Never throws: whatever fails is the file's rejection, with its reason.
 */
export function prepareFhirRead(source: IngestSource, read: FhirRead, shownAs: string): PreparedFhir {
  const decided = (o: FileOutcome): PreparedFhir => ({ kind: "decided", outcome: { ...o, key: null, issues: [] } });
  try {
    // a file that vanished or cannot be read is reported with its reason, and the run goes on
    if ("error" in read) throw read.error;
    if (read.bytes === null) return decided({ file: shownAs, status: "rejected", reason: `TOO_LARGE: ${read.size} bytes, over the ${FHIR_DOCUMENT_MAX_BYTES}-byte limit of one document`, records: 0, warnings: [] });
    const parsed = parseJsonBytes(read.bytes);
    if (!parsed.ok) return decided({ file: shownAs, status: "rejected", reason: `${parsed.reason}: ${parsed.detail}`, records: 0, warnings: [] });
    return prepareFhirDocument(source, shownAs, parsed.json);
  } catch (e) {
    return decided(failedOutcome(shownAs, e));
  }
}
