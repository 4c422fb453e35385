import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { PreparedFhir } from "./fhir-document";
import { prepareFhirRead, type FhirRead, type PrepareAnswer, type PrepareRequest } from "./fhir-prepare";
import type { IngestSource } from "./source";

/**
 * Worker threads that prepare a folder import's FHIR documents (lib/ingest/fhir-prepare: parse, read,
 * check the profiles' invariants) while the import's own thread files the ones before them. Preparing
 * is pure CPU, about a third of a FHIR import's: on one thread it waited for the filing, and the
 * filing for it (`npm run bench -- --import`: the import's thread was busy all the time, with a core
 * left). The documents come back in the order they were sent, so each patient's are still filed in
 * order (lib/ingest/lanes).
 *
 * A worker that fails (it could not start, or died) is not an import that fails: its documents and
 * the rest are prepared on the import's own thread, as they were before.
 */

/** One worker per core beyond the one the import's thread and the database share, four at most. */
export const defaultPrepareWorkers = (): number => Math.max(1, Math.min(4, os.availableParallelism() - 1));

const BOOT = path.join(path.dirname(fileURLToPath(import.meta.url)), "prepare-worker-boot.mjs");

interface Pending {
  resolve: (p: PreparedFhir) => void;
  fallback: () => void;
}

export class PreparePool {
  private readonly workers: { worker: Worker; pending: Map<number, Pending> }[] = [];
  private next = 0;
  private broken = false;

  constructor(size: number) {
    for (let i = 0; i < size; i++) {
      const pending = new Map<number, Pending>();
      const worker = new Worker(BOOT);
      worker.on("message", (a: PrepareAnswer) => {
        const p = pending.get(a.id);
        pending.delete(a.id);
        p?.resolve(a.prepared);
      });
      const fail = () => {
        this.broken = true;
        for (const p of pending.values()) p.fallback();
        pending.clear();
      };
      worker.on("error", fail);
      worker.on("exit", fail);
      // a worker waiting for work does not keep the command running
      worker.unref();
      this.workers.push({ worker, pending });
    }
  }

  /** The document prepared, on a worker (the one with the fewest waiting), or here once a worker has failed. */
  prepare(source: IngestSource, read: FhirRead, shownAs: string): Promise<PreparedFhir> {
    const here = () => prepareFhirRead(source, read, shownAs);
    // an unreadable file is decided without parsing: nothing to send
    if (this.broken || this.workers.length === 0 || "error" in read) return Promise.resolve(here());
    const w = this.workers.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
    const id = this.next++;
    return new Promise<PreparedFhir>((resolve) => {
      w.pending.set(id, { resolve, fallback: () => resolve(here()) });
      const request: PrepareRequest = { id, source, read, shownAs };
      w.worker.postMessage(request);
    });
  }

  async close(): Promise<void> {
    this.broken = true;
    await Promise.all(this.workers.map((w) => w.worker.terminate()));
  }
}
