import fs from "node:fs";
import path from "node:path";
import type { Db } from "../db/client";
import { importSsmix2File, type FileOutcome } from "./ssmix2-file";
import type { ImportSummary } from "./summary";
import { parseStoragePath } from "../interop/ssmix2/storage";
import { ingestSource, runImport } from "./run";
import { storageSourceKey } from "./storage-document";
import { readInOrder, readModeFor, type ReadMode } from "./file-reads";

export { IngestRefusedError, type ImportSummary } from "./summary";

/**
 * The patient folders of a standardized storage, one at a time (id1-3/id4-6/id), so that a tree of
 * 100,000 files is never listed whole: memory holds one patient's file names.
 *
 * Folders are listed synchronously: the import is a command-line run (no server's requests wait on
 * its event loop), and a folder is listed once per patient. How its files are read: lib/ingest/file-reads.
 */
function* patientFolders(root: string): Generator<{ folder: string } | { stray: string }> {
  function* level(rel: string, depth: number): Generator<{ folder: string } | { stray: string }> {
    const entries = fs.readdirSync(path.join(root, rel), { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
    for (const e of entries) {
      const r = path.join(rel, e.name);
      if (!e.isDirectory()) yield { stray: r }; // a file above the patient folders: reported, never skipped
      else if (depth === 2) yield { folder: r };
      else yield* level(r, depth + 1);
    }
  }
  yield* level("", 0);
}

/** Every file under a folder, as paths relative to `root`. */
function filesUnder(root: string, rel: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(path.join(root, rel), { withFileTypes: true })) {
    const r = path.join(rel, e.name);
    if (e.isDirectory()) out.push(...filesUnder(root, r));
    else if (e.isFile()) out.push(r);
  }
  return out;
}

/**
 * A patient folder's files as the import applies them: each with where its name places it, in the
 * order they were made (its name's timestamp, or in the extended storage its content folder's); a
 * misplaced file sorts first and is rejected with its reason.
 */
function inOrder(files: readonly string[]) {
  return files
    .map((rel) => {
      const relative = rel.split(path.sep).join("/");
      return { rel, relative, placed: parseStoragePath(relative) };
    })
    .sort((a, b) => stampOf(a.placed).localeCompare(stampOf(b.placed)) || a.rel.localeCompare(b.rel));
}
const stampOf = (placed: ReturnType<typeof parseStoragePath>) => (placed.ok ? placed.key.timestamp : "");

/**
 * Imports an SS-MIX2 standardized storage tree for one facility (lib/ingest/run): each patient's
 * files in the order they were made, each in its own transaction (importSsmix2File). A broken file
 * is reported with its reason and the import goes on. `parallel` (PostgreSQL): that many patients at
 * once, each patient's files still in order.
 */
export async function importSsmix2Tree(
  db: Db,
  facilityCode: string,
  root: string,
  opts: { by: string; onFile?: (o: FileOutcome) => void; parallel?: number; reads?: ReadMode },
): Promise<ImportSummary> {
  return runImport(db, await ingestSource(db, facilityCode, opts.by), { ...opts, via: "CLI", label: root }, async function* (source) {
    for await (const read of readInOrder(storageFiles(root), (f) => path.join(root, f.rel), { mode: opts.reads ?? readModeFor(root) })) {
      const { at, relative, placed } = read.item;
      // its ledger key from its name, so that a batch reads its files' entries in one statement (lib/ingest/batches)
      const filing = "folder" in at && placed.ok ? { facilityId: source.facilityId, localPatientId: placed.key.patientId, sourceKey: storageSourceKey(placed.key) } : undefined;
      // the lane is the patient folder: with opts.parallel, patients overlap, one patient's files never do.
      // A file that could not be read fails in its own run, reported with its reason like any other.
      yield {
        file: relative,
        lane: "folder" in at ? at.folder : undefined,
        filing,
        run: async (t) => {
          if ("error" in read) throw read.error;
          return importSsmix2File(t, source, relative, read.bytes!);
        },
      };
    }
  });
}

/** Every file of the storage, patient folder by patient folder, each folder's in the order they were made. */
function* storageFiles(root: string) {
  for (const at of patientFolders(root)) for (const f of inOrder("stray" in at ? [at.stray] : filesUnder(root, at.folder))) yield { ...f, at };
}
