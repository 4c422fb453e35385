import fs from "node:fs/promises";
import path from "node:path";
import type { Db } from "../db/client";
import { decideIngest } from "../access/duties";
import { importSsmix2File, type FileOutcome, type FileStatus } from "./ssmix2-file";

export interface ImportSummary {
  filesRead: number;
  counts: Record<FileStatus, number>;
  records: number;
  rejected: { file: string; reason: string }[];
  held: { file: string; reason: string }[];
  notImported: Record<string, number>;
  warnings: { file: string; warning: string }[];
}

export class IngestRefusedError extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

/**
 * The patient folders of a standardized storage, one at a time (id1-3/id4-6/id), so that a tree of
 * 100,000 files is never listed whole: memory holds one patient's file names.
 */
async function* patientFolders(root: string): AsyncGenerator<{ folder: string } | { stray: string }> {
  async function* level(rel: string, depth: number): AsyncGenerator<{ folder: string } | { stray: string }> {
    const entries = (await fs.readdir(path.join(root, rel), { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
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
async function filesUnder(root: string, rel: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await fs.readdir(path.join(root, rel), { withFileTypes: true })) {
    const r = path.join(rel, e.name);
    if (e.isDirectory()) out.push(...(await filesUnder(root, r)));
    else if (e.isFile()) out.push(r);
  }
  return out;
}

/** A file's own timestamp (5th part of its name), for applying one patient's files in their order. */
const stampOf = (rel: string) => path.basename(rel).split("_")[4] ?? "";

/**
 * Imports an SS-MIX2 standardized storage tree for one facility: refused whole unless the facility
 * may send (lib/access decideIngest); each patient's files in the order they were made; each file in
 * its own transaction (importSsmix2File). A broken file is reported with its reason and the import
 * goes on.
 */
export async function importSsmix2Tree(db: Db, facilityCode: string, root: string, opts: { by: string; onFile?: (o: FileOutcome) => void }): Promise<ImportSummary> {
  const facility = await db.facility.findUnique({ where: { code: facilityCode } });
  if (!facility) throw new IngestRefusedError(`UNKNOWN_FACILITY: no facility has the code ${facilityCode}`);
  const d = decideIngest({ facilityActive: facility.status === "ACTIVE", discloses: facility.discloses });
  if (!d.allow) throw new IngestRefusedError(d.reason);
  const summary: ImportSummary = {
    filesRead: 0,
    counts: { created: 0, replaced: 0, deleted: 0, unchanged: 0, superseded: 0, held: 0, rejected: 0, not_imported: 0 },
    records: 0,
    rejected: [],
    held: [],
    notImported: {},
    warnings: [],
  };
  const source = { facilityId: facility.id, facilityCode: facility.code, careCategory: facility.careCategory, by: opts.by };
  for await (const at of patientFolders(root)) {
    const files = "stray" in at ? [at.stray] : (await filesUnder(root, at.folder)).sort((a, b) => stampOf(a).localeCompare(stampOf(b)) || a.localeCompare(b));
    for (const rel of files) {
      const relative = rel.split(path.sep).join("/");
      let o: FileOutcome;
      try {
        o = await importSsmix2File(db, source, relative, await fs.readFile(path.join(root, rel)));
      } catch (e) {
        // a database failure mid-file rolled that file back; say so and go on with the next one
        o = { file: relative, status: "rejected", reason: `ERROR: ${e instanceof Error ? e.message.split("\n")[0] : String(e)}`, records: 0, warnings: [] };
      }
      summary.filesRead++;
      summary.counts[o.status]++;
      summary.records += o.records;
      if (o.status === "rejected") summary.rejected.push({ file: o.file, reason: o.reason ?? "" });
      if (o.status === "held") summary.held.push({ file: o.file, reason: o.reason ?? "" });
      if (o.status === "not_imported") summary.notImported[o.reason ?? ""] = (summary.notImported[o.reason ?? ""] ?? 0) + 1;
      for (const w of o.warnings) summary.warnings.push({ file: o.file, warning: w });
      opts.onFile?.(o);
    }
  }
  return summary;
}
