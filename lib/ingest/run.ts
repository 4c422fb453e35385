import { dbEngine, type Db } from "../db/client";
import { decideIngest } from "../access/duties";
import { recordAuditNow } from "../audit";
import { systemActor } from "./system-actor";
import { defaultLanes, runInLanes, type LanedFile } from "./lanes";
import type { IngestSource } from "./source";
import type { FileOutcome } from "./ssmix2-file";
import { addOutcome, closeImportLog, emptySummary, failedOutcome, IngestRefusedError, openImportLog, type ImportSummary } from "./summary";

/**
 * The facility a run imports for, if it may send (lib/access decideIngest): a suspended facility or
 * one that does not disclose (開示施設でない) is refused whole, and the refusal is audited.
 */
export async function ingestSource(db: Db, facilityCode: string, by: string): Promise<IngestSource> {
  const facility = await db.facility.findUnique({ where: { code: facilityCode } });
  if (!facility) throw new IngestRefusedError(`UNKNOWN_FACILITY: no facility has the code ${facilityCode}`);
  const d = decideIngest({ facilityActive: facility.status === "ACTIVE", discloses: facility.discloses });
  if (!d.allow) {
    await recordAuditNow(db, { actor: systemActor("ingest", by, facility.id), action: "IMPORT_REFUSED", outcome: "DENY", patientId: null, detail: { reason: d.reason, facility: facility.code } });
    throw new IngestRefusedError(d.reason);
  }
  return { facilityId: facility.id, facilityCode: facility.code, careCategory: facility.careCategory, by };
}

export interface PendingFile extends LanedFile {
  file: string;
  run: () => Promise<FileOutcome>;
}

/**
 * One import run for a facility that may send (ingestSource), whatever the format and whichever door
 * (CLI files, one API push): each file in its own transaction, kept in the import log. Files run in
 * lanes (lib/ingest/lanes): `parallel` patients at once (by default 8 on PostgreSQL, 1 on PGlite), each
 * patient's files in the order given. A file that fails is reported with its reason and the run goes on.
 */
export async function runImport(
  db: Db,
  source: IngestSource,
  opts: { by: string; via: "CLI" | "API"; label: string; onFile?: (o: FileOutcome) => void; parallel?: number },
  files: (source: IngestSource) => AsyncIterable<PendingFile>,
): Promise<ImportSummary> {
  const log = await openImportLog(db, { facilityId: source.facilityId, via: opts.via, by: opts.by, source: opts.label });
  const summary = emptySummary();
  const one = async (f: PendingFile) => {
    let o: FileOutcome;
    try {
      o = await f.run();
    } catch (e) {
      o = failedOutcome(f.file, e);
    }
    addOutcome(summary, o);
    opts.onFile?.(o);
  };
  try {
    const width = opts.parallel ?? defaultLanes(await dbEngine());
    if (width <= 1) for await (const f of files(source)) await one(f);
    else await runInLanes(files(source), width, one);
  } finally {
    await closeImportLog(db, log, summary);
  }
  return summary;
}
