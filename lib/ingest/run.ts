import type { Db } from "../db/client";
import { decideIngest } from "../access/duties";
import { recordAuditNow } from "../audit";
import { systemActor } from "./system-actor";
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

export interface PendingFile {
  file: string;
  run: () => Promise<FileOutcome>;
  /** files of one lane (one patient) run one after another, in the order given; lanes may overlap */
  lane?: string;
}

/**
 * One import run for a facility that may send (ingestSource), whatever the format and whichever door
 * (CLI files, one API push): each file in the order given, each in its own transaction, kept in the
 * import log. A file that fails is reported with its reason and the run goes on.
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
    if ((opts.parallel ?? 1) <= 1) for await (const f of files(source)) await one(f);
    else await inLanes(files(source), opts.parallel!, one);
  } finally {
    await closeImportLog(db, log, summary);
  }
  return summary;
}

/**
 * Up to `width` lanes at once, each lane's files in order. A lane is a run of consecutive files with
 * the same `lane` (the SS-MIX2 tree gives one patient's files together), so only a few lanes' file
 * names are ever held. For PostgreSQL: PGlite has one connection, and gains nothing.
 */
async function inLanes(files: AsyncIterable<PendingFile>, width: number, one: (f: PendingFile) => Promise<void>): Promise<void> {
  const running = new Set<Promise<void>>();
  let failure: { error: unknown } | null = null; // onFile threw: stop dispatching, rethrow once all lanes stop
  const start = async (batch: PendingFile[]) => {
    const p: Promise<void> = (async () => {
      for (const f of batch) await one(f);
    })()
      .catch((error: unknown) => void (failure ??= { error }))
      .finally(() => running.delete(p));
    running.add(p);
    if (running.size >= width) await Promise.race(running);
  };
  let batch: PendingFile[] = [];
  for await (const f of files) {
    if (failure) break;
    // a file without a lane (a stray file above the patient folders) is a lane of its own
    if (batch.length && (f.lane === undefined || f.lane !== batch[0]!.lane)) {
      await start(batch);
      batch = [];
    }
    batch.push(f);
  }
  if (batch.length && !failure) await start(batch);
  await Promise.all(running);
  if (failure) throw (failure as { error: unknown }).error;
}
