import { dbEngine, type Db } from "../db/client";
import { decideIngest } from "../access/duties";
import { recordAuditNow } from "../audit";
import { systemActor } from "./system-actor";
import { defaultLanes, runInLanes } from "./lanes";
import { batchesOf, fileBatch, type Batch, type BatchedFile } from "./batches";
import type { IngestSource } from "./source";
import type { FileOutcome } from "./ssmix2-file";
import { addOutcome, closeImportLog, emptySummary, IngestRefusedError, openImportLog, type ImportSummary } from "./summary";

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

/** A file of an import: its lane (its patient) and how it is filed, in the transaction `t` gives it (lib/ingest/batches). */
export type PendingFile = BatchedFile;

/**
 * One import run for a facility that may send (ingestSource), whatever the format and whichever door
 * (CLI files, one API push), kept in the import log. Each file lands whole or not at all: a patient's
 * consecutive files share a transaction, a batch that commits all of them or none, and a batch that
 * fails is filed again a file per transaction (lib/ingest/batches). Batches run in lanes
 * (lib/ingest/lanes): `parallel` patients at once (by default 8 on PostgreSQL, 1 on PGlite), each
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
  const report = (o: FileOutcome) => {
    addOutcome(summary, o);
    opts.onFile?.(o);
  };
  const one = (b: Batch<PendingFile>) => fileBatch(db, b.files, report);
  try {
    const width = opts.parallel ?? defaultLanes(await dbEngine());
    const batches = batchesOf(files(source));
    if (width <= 1) for await (const b of batches) await one(b);
    else await runInLanes(batches, width, one);
  } finally {
    await closeImportLog(db, log, summary);
  }
  return summary;
}
