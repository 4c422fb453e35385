/**
 * Running an import's files in lanes: the files of one lane (one patient) strictly one after another,
 * in the order given; different lanes at the same time. An import runs batches here (lib/ingest/batches:
 * a patient's consecutive files in one transaction), whose work is mostly waiting on the database, so
 * a few patients at once keep PostgreSQL and this process busy where one at a time leaves both idle
 * most of the time.
 */

export interface LanedFile {
  /** files of one lane run one after another, in the order given; lanes may overlap */
  lane?: string;
}

/**
 * PostgreSQL: eight patients at once. Measured on the 2-core bench machine (`npm run bench -- --import`):
 * four lanes gave about 2.3 times the files/s of one while Prisma's per-statement CPU was this
 * process's limit; once a file became four statements of hand-written SQL (lib/ingest/record-rows,
 * ledger), eight gave SS-MIX2 about 1.3 to 1.4 times the files/s of four (FHIR, bound by its FHIRPath
 * checks, the same). Eight stays under the connection pool's default of ten (TSUNAGU_DB_POOL_SIZE).
 * PGlite has one connection, so lanes only queue on it (and a long queue runs into the transaction
 * wait): one.
 */
export const defaultLanes = (engine: "pglite" | "postgresql") => (engine === "postgresql" ? 8 : 1);

/**
 * Runs `one` for every file, up to `width` lanes at once, each lane's files in order wherever they
 * come in the input (a lane's files need not be consecutive). A file without a lane (its patient is
 * unknown until it is filed, e.g. a FHIR transaction of deletions) is a barrier: it runs alone, after
 * everything before it and before everything after it, so it can never overtake a file it may touch.
 * At most `2 × width` files are dispatched and unfinished at once, so memory holds only those (and a
 * 100,000-file tree is never listed whole). If `one` throws, nothing more is started, the lanes
 * running stop after their current file, and the first error is thrown.
 */
export async function runInLanes<F extends LanedFile>(files: AsyncIterable<F>, width: number, one: (f: F) => Promise<void>): Promise<void> {
  const tails = new Map<string, Promise<void>>(); // lane → the promise of its last dispatched file
  const inFlight = new Set<Promise<void>>();
  let failure: { error: unknown } | null = null;
  const dispatch = (f: F, after: Promise<void> | undefined) => {
    const p: Promise<void> = (after ?? Promise.resolve())
      .then(() => (failure ? undefined : one(f)))
      .catch((error: unknown) => void (failure ??= { error }))
      .finally(() => {
        inFlight.delete(p);
        if (f.lane !== undefined && tails.get(f.lane) === p) tails.delete(f.lane);
      });
    inFlight.add(p);
    if (f.lane !== undefined) tails.set(f.lane, p);
  };
  for await (const f of files) {
    if (failure) break;
    if (f.lane === undefined) {
      await Promise.all(inFlight);
      if (failure) break;
      dispatch(f, undefined);
      await Promise.all(inFlight);
      continue;
    }
    while (inFlight.size >= 2 * width || (!tails.has(f.lane) && tails.size >= width)) await Promise.race(inFlight);
    dispatch(f, tails.get(f.lane));
  }
  await Promise.all(inFlight);
  if (failure) throw (failure as { error: unknown }).error;
}
