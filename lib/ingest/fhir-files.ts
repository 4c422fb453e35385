import fs from "node:fs";
import path from "node:path";
import type { Db } from "../db/client";
import { fileFhirDocument, laneOf, prepareFhirDocument, type PreparedFhir } from "./fhir-document";
import { parseJsonBytes } from "../interop/fhir/json";
import type { FileOutcome } from "./ssmix2-file";
import { ingestSource, runImport, type PendingFile } from "./run";
import { failedOutcome, type ImportSummary } from "./summary";
import type { IngestSource } from "./source";
import { readInOrder, readModeFor, type Read, type ReadMode } from "./file-reads";

/** The same bound as a push (app/api/fhir): one document is never larger than this. */
export const FHIR_DOCUMENT_MAX_BYTES = 20 * 1024 * 1024;

/**
 * Every file under a folder, depth first in name order, one folder listed at a time, synchronously
 * (a command-line run). How the files are read: lib/ingest/file-reads.
 */
function* walk(root: string, rel = ""): Generator<string> {
  const entries = fs.readdirSync(path.join(root, rel), { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
  for (const e of entries) {
    const r = path.join(rel, e.name);
    if (e.isDirectory()) yield* walk(root, r);
    else if (e.isFile()) yield r;
  }
}

/**
 * One FHIR JSON file, read (bounded: readInOrder), parsed and prepared (fhir-document's
 * prepareFhirDocument: no database), in the lane of the patient it names; its run files it in one
 * transaction.
 */
function pendingFhirFile(source: IngestSource, read: Read<unknown>, shownAs: string): PendingFile {
  const decided = (o: FileOutcome): PreparedFhir => ({ kind: "decided", outcome: { ...o, key: null, issues: [] } });
  let prepared: PreparedFhir;
  let size = 0;
  try {
    // a file that vanished or cannot be read is reported with its reason, and the run goes on
    if ("error" in read) throw read.error;
    size = read.size;
    const parsed = read.bytes === null ? null : parseJsonBytes(read.bytes);
    if (parsed === null) prepared = decided({ file: shownAs, status: "rejected", reason: `TOO_LARGE: ${size} bytes, over the ${FHIR_DOCUMENT_MAX_BYTES}-byte limit of one document`, records: 0, warnings: [] });
    else if (!parsed.ok) prepared = decided({ file: shownAs, status: "rejected", reason: `${parsed.reason}: ${parsed.detail}`, records: 0, warnings: [] });
    else prepared = prepareFhirDocument(source, shownAs, parsed.json);
  } catch (e) {
    prepared = decided(failedOutcome(shownAs, e));
  }
  // held in memory until its batch is filed (a refused one only its outcome)
  const filing = prepared.kind === "file" ? { facilityId: source.facilityId, localPatientId: prepared.identity.localId, sourceKey: prepared.sourceKey } : undefined;
  return { file: shownAs, lane: laneOf(prepared), bytes: prepared.kind === "decided" ? 0 : size, filing, run: (t) => fileFhirDocument(t, source, prepared) };
}

/**
 * Imports a FHIR Bundle file, a single resource file, or a folder of them (every .json file under it,
 * in name order) for one facility (lib/ingest/run). Each patient's documents are filed in that order;
 * different patients' go in parallel lanes (lib/ingest/lanes). A file that is not .json is counted as
 * not imported, never skipped silently.
 */
export async function importFhirPath(
  db: Db,
  facilityCode: string,
  target: string,
  opts: { by: string; onFile?: (o: FileOutcome) => void; parallel?: number; reads?: ReadMode },
): Promise<ImportSummary> {
  const isFolder = fs.statSync(target).isDirectory();
  const isJson = (rel: string) => rel.toLowerCase().endsWith(".json");
  return runImport(db, await ingestSource(db, facilityCode, opts.by), { ...opts, via: "CLI", label: target }, async function* (source): AsyncGenerator<PendingFile> {
    const files = isFolder ? walk(target) : [""];
    const reads = readInOrder(files, (rel) => (!isFolder ? target : isJson(rel) ? path.join(target, rel) : null), {
      mode: opts.reads ?? readModeFor(target),
      maxBytes: FHIR_DOCUMENT_MAX_BYTES,
    });
    for await (const read of reads) {
      const rel = read.item;
      const shown = isFolder ? rel.split(path.sep).join("/") : path.basename(target);
      if (isFolder && !isJson(rel)) yield { file: shown, lane: `decided|${shown}`, run: async () => ({ file: shown, status: "not_imported", reason: "not a .json file", records: 0, warnings: [] }) };
      else yield pendingFhirFile(source, read, shown);
    }
  });
}

/** A folder is SS-MIX2 standardized storage when its top level is the 3-digit id folders. */
export async function looksLikeSsmix2(root: string): Promise<boolean> {
  const entries = await fs.promises.readdir(root, { withFileTypes: true });
  return entries.some((e) => e.isDirectory() && /^[0-9A-Za-z]{3}$/.test(e.name)) && !entries.some((e) => e.isFile() && e.name.toLowerCase().endsWith(".json"));
}

/**
 * Where an import pointed at a folder that is neither an SS-MIX2 storage root nor a folder with any
 * .json file should have pointed: the SS-MIX2 storage roots below it (up to `depth` levels), so that
 * the refusal can name them. A storage copied with its parent folder (a README, a licence and the
 * storage in a subfolder) is the usual case.
 */
export async function ssmix2RootsBelow(dir: string, depth = 3): Promise<string[]> {
  const found: string[] = [];
  const visit = async (at: string, left: number) => {
    if (await looksLikeSsmix2(at)) return void found.push(at);
    if (left === 0) return;
    for (const e of fs.readdirSync(at, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) if (e.isDirectory()) await visit(path.join(at, e.name), left - 1);
  };
  await visit(dir, depth);
  return found;
}

/** Whether a folder holds any .json file at any depth (a FHIR import would find something to read). */
export function hasJsonFile(dir: string): boolean {
  for (const rel of walk(dir)) if (rel.toLowerCase().endsWith(".json")) return true;
  return false;
}

