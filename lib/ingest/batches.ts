import type { Db, Tx } from "../db/client";
import { isOrderingConflict } from "../db/conflict";
import type { LanedFile } from "./lanes";
import type { FileOutcome } from "./storage-document";
import { failedOutcome } from "./summary";
import { FilingsAhead } from "./ledger";
import { PendingWrites } from "./pending-writes";
import { transactionWithConnection } from "../db/transaction-connection";

/**
 * Several documents of one patient in one transaction, each still whole or absent.
 *
 * A document alone costs a BEGIN and a COMMIT besides its two statements (lib/ingest/ledger: the
 * lookup, then its rows, ledger entry and audit event in one), and the COMMIT waits for the WAL to
 * reach the disk: half the round trips of an SS-MIX2 file were the transaction's own. A lane's
 * consecutive files (one patient's, in their order) therefore go in one transaction, a batch.
 *
 * The rule "each file or document is one transaction, whole or absent" holds as before: a batch
 * commits all its documents or none. When any of them fails (a database error, anything thrown),
 * the batch is rolled back whole and its documents are filed again one transaction each, exactly as
 * without batches, so the bad one is rejected alone with its reason and its neighbours land. No
 * SAVEPOINT per document: that would give back the two round trips a document saves, for failures
 * that are rare (the format's refusals are outcomes decided before any write, not errors). A killed
 * import loses its open batch whole, never part of a document, and a rerun files it.
 *
 * Each document keeps its own ledger entry and audit event, written by its own statements; outcomes
 * are reported only once their transaction has committed.
 */

/**
 * Where a document's transaction runs: the client (a transaction of its own) or a batch's
 * transaction (its place in it). lib/db's client is one.
 */
export interface Transactor {
  $transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  /** a batch's filings, read at its start (lib/ingest/ledger lookupFiling takes its answers from here) */
  ahead?: FilingsAhead;
  /** a batch's writes, held and sent as one statement (lib/ingest/pending-writes) */
  writes?: PendingWrites;
}

/** A file an import files: its transaction is the one `t` gives it. */
export interface BatchedFile extends LanedFile {
  file: string;
  run: (t: Transactor) => Promise<FileOutcome>;
  /** what it holds in memory until it is filed (a FHIR document read ahead, in bytes of its file) */
  bytes?: number;
  /** whose and under which ledger key it will be filed, when that is known before it is read (FilingsAhead) */
  filing?: { facilityId: string; localPatientId: string; sourceKey: string };
}

/**
 * The bounds of a batch. 16 files: one patient's documents of a visit or a few (the bench's patients
 * have 12 SS-MIX2 files); 500 ms: how long a batch's transaction may hold its patient's audit chain
 * lock (lib/audit: 64 chains, so another lane waits on it now and then) and how much work a killed
 * import throws away, at most.
 */
export const BATCH_FILES = 16;
export const BATCH_MS = 500;
/**
 * A batch's files are held until it runs (a FHIR document is read and checked before its lane is
 * known): 4 MiB of them at most, so that batches in flight (lib/ingest/lanes: twice the lanes) hold
 * about what single files up to the 20 MiB document limit did.
 */
export const BATCH_BYTES = 4 * 1024 * 1024;

export interface Batch<F extends LanedFile> {
  lane?: string;
  files: F[];
}

/**
 * Consecutive files of one lane, up to `max` files and `maxBytes` (BatchedFile.bytes) at a time, as
 * batches (lib/ingest/lanes runs a batch as it ran a file). A file without a lane (a barrier) is a
 * batch of its own. Order is kept: the batches are the input cut into runs.
 */
export async function* batchesOf<F extends LanedFile & { bytes?: number }>(files: AsyncIterable<F>, max = BATCH_FILES, maxBytes = BATCH_BYTES): AsyncGenerator<Batch<F>> {
  let open: Batch<F> | null = null;
  let bytes = 0;
  for await (const f of files) {
    if (open && (f.lane === undefined || f.lane !== open.lane || open.files.length >= max || bytes + (f.bytes ?? 0) > maxBytes)) {
      yield open;
      open = null;
    }
    if (f.lane === undefined) {
      yield { files: [f] };
      continue;
    }
    if (!open) {
      open = { lane: f.lane, files: [] };
      bytes = 0;
    }
    open.files.push(f);
    bytes += f.bytes ?? 0;
  }
  if (open) yield open;
}

/**
 * How many times a file's own transaction is run when PostgreSQL aborts it as a deadlock. Imports
 * hold their patient's audit chain from a file's first statement, and a held 枝番 conflict then takes
 * chain 0 too; an administrator's identity decision takes chain 0 and then a patient's. The two can
 * deadlock, rarely; PostgreSQL then aborts one whole, and the file is simply filed again.
 */
export const CONFLICT_ATTEMPTS = 3;

/**
 * One statement for the filings of a batch's files (lib/ingest/ledger FilingsAhead), instead of one
 * per file: when they are one patient id's (a lane's are) and their keys are known from their names.
 */
async function readAhead(tx: Tx, files: readonly BatchedFile[]): Promise<FilingsAhead | undefined> {
  const known = files.map((f) => f.filing).filter((x) => x !== undefined);
  const first = known[0];
  if (known.length < 2 || !first || known.some((k) => k.facilityId !== first.facilityId || k.localPatientId !== first.localPatientId)) return undefined;
  return FilingsAhead.read(tx, first.facilityId, first.localPatientId, [...new Set(known.map((k) => k.sourceKey))]);
}

/** One file in a transaction of its own; a failure is its outcome (rejected, with the reason). */
async function alone(db: Db, f: BatchedFile): Promise<FileOutcome> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await f.run(db);
    } catch (e) {
      if (attempt < CONFLICT_ATTEMPTS && isOrderingConflict(e)) continue;
      return failedOutcome(f.file, e);
    }
  }
}

/**
 * Files a batch in order: as many of its files per transaction as `ms` allows (at least one), each
 * outcome reported (`report`) once its transaction has committed. A transaction that fails is rolled
 * back whole, and the files it had begun are filed again one transaction each (see above).
 */
export async function fileBatch(db: Db, files: readonly BatchedFile[], report: (o: FileOutcome) => void, ms = BATCH_MS): Promise<void> {
  let next = 0;
  while (next < files.length) {
    const first = next;
    if (files.length - first === 1) {
      report(await alone(db, files[first]!));
      return;
    }
    let begun = first;
    let outcomes: FileOutcome[];
    try {
      outcomes = await transactionWithConnection(db, async (transaction) => {
        // every statement of the batch's documents goes through `tx`, which sends the writes held before it
        const writes = new PendingWrites(transaction);
        const tx = writes.guard(transaction);
        const inBatch: Transactor = { $transaction: (fn) => fn(tx), ahead: await readAhead(tx, files.slice(first)), writes };
        const started = performance.now();
        const done: FileOutcome[] = [];
        while (begun < files.length && (begun === first || performance.now() - started < ms)) done.push(await files[begun++]!.run(inBatch));
        await writes.flush();
        return done;
      });
    } catch {
      // (begun is still `first` when the transaction could not even start: that file, alone)
      outcomes = [];
      for (let i = first; i < Math.max(begun, first + 1); i++) outcomes.push(await alone(db, files[i]!));
    }
    for (const o of outcomes) report(o);
    next = first + outcomes.length;
  }
}
