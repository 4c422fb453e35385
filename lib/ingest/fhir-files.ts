import fs from "node:fs";
import path from "node:path";
import type { Db } from "../db/client";
import { fileFhirDocument, FHIR_DOCUMENT_MAX_BYTES, laneOf, type PreparedFhir } from "./fhir-document";
import { prepareFhirRead } from "./fhir-prepare";
import { PreparePool, defaultPrepareWorkers } from "./prepare-pool";
import { ingestSource, runImport, type PendingFile } from "./run";
import type { ImportSummary } from "./summary";
import type { FileOutcome } from "./ssmix2-file";
import type { IngestSource } from "./source";
import { readInOrder, readModeFor, type Read, type ReadMode } from "./file-reads";

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
 * One FHIR JSON file prepared (lib/ingest/fhir-prepare: read, parsed, checked; no database), in the
 * lane of the patient it names; its run files it in one transaction.
 */
function pendingFhirFile(source: IngestSource, prepared: PreparedFhir, shownAs: string, size: number): PendingFile {
  // held in memory until its batch is filed (a refused one only its outcome)
  const filing = prepared.kind === "file" ? { facilityId: source.facilityId, localPatientId: prepared.identity.localId, sourceKey: prepared.sourceKey } : undefined;
  return { file: shownAs, lane: laneOf(prepared), bytes: prepared.kind === "decided" ? 0 : size, filing, run: (t) => fileFhirDocument(t, source, prepared) };
}

/** Files prepared ahead of their filing (at most this many, and this many bytes of them), in order. */
const PREPARED_AHEAD = 32;
const PREPARED_AHEAD_BYTES = 64 * 1024 * 1024;

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
  opts: { by: string; onFile?: (o: FileOutcome) => void; parallel?: number; reads?: ReadMode; prepareWorkers?: number },
): Promise<ImportSummary> {
  const isFolder = fs.statSync(target).isDirectory();
  const isJson = (rel: string) => rel.toLowerCase().endsWith(".json");
  // a folder's documents are prepared on worker threads (lib/ingest/prepare-pool); one file here
  const workers = isFolder ? (opts.prepareWorkers ?? defaultPrepareWorkers()) : 0;
  const pool = workers > 0 ? new PreparePool(workers) : null;
  try {
    return await runImport(db, await ingestSource(db, facilityCode, opts.by), { ...opts, via: "CLI", label: target }, async function* (source): AsyncGenerator<PendingFile> {
      const files = isFolder ? walk(target) : [""];
      const reads = readInOrder(files, (rel) => (!isFolder ? target : isJson(rel) ? path.join(target, rel) : null), {
        mode: opts.reads ?? readModeFor(target),
        maxBytes: FHIR_DOCUMENT_MAX_BYTES,
      });
      // each file's preparation starts as it is read; they are yielded in the order read
      const ahead: { pending: Promise<PendingFile>; bytes: number }[] = [];
      let aheadBytes = 0;
      const start = (read: Read<string>): { pending: Promise<PendingFile>; bytes: number } => {
        const rel = read.item;
        const shown = isFolder ? rel.split(path.sep).join("/") : path.basename(target);
        if (isFolder && !isJson(rel)) return { bytes: 0, pending: Promise.resolve({ file: shown, lane: `decided|${shown}`, run: async () => ({ file: shown, status: "not_imported", reason: "not a .json file", records: 0, warnings: [] }) }) };
        const size = "error" in read ? 0 : read.size;
        const prepared = pool ? pool.prepare(source, read, shown) : Promise.resolve(prepareFhirRead(source, read, shown));
        return { bytes: size, pending: prepared.then((p) => pendingFhirFile(source, p, shown, size)) };
      };
      for await (const read of reads) {
        const s = start(read);
        ahead.push(s);
        aheadBytes += s.bytes;
        while (ahead.length > PREPARED_AHEAD || (ahead.length > 1 && aheadBytes > PREPARED_AHEAD_BYTES)) {
          const first = ahead.shift()!;
          aheadBytes -= first.bytes;
          yield await first.pending;
        }
      }
      for (const s of ahead) yield await s.pending;
    });
  } finally {
    await pool?.close();
  }
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

