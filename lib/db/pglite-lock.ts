import fs from "node:fs";

/**
 * One process at a time on an embedded database. PGlite keeps no lock of its own that a second
 * process would meet: an import run beside the dev server opened the same data directory, and both
 * wrote to it (review 10). The lock is a file beside the directory (`<dir>.lock`, not inside it, so a
 * copy of the directory carries no lock) holding the owner's process id, created atomically: written
 * under a temporary name, then hard-linked to its own name, which fails when one exists. A lock whose
 * process is gone (a crash, a kill -9) is taken over. Within one process the directory may be opened
 * more than once (the migration step beside the app's client): counted, and the file goes with the
 * last close or with the process.
 */
export class DatabaseInUseError extends Error {
  constructor(dir: string, pid?: number) {
    super(
      `The embedded database at ${dir} is in use by another process${pid ? ` (pid ${pid})` : ""} (is the app already running?). ` +
        `Stop it first, or set DATABASE_URL to use PostgreSQL. If no such process runs, delete ${lockPathOf(dir)}.`,
    );
  }
}

export const lockPathOf = (dir: string) => `${dir.replace(/[\\/]+$/, "")}.lock`;

const held = new Map<string, number>(); // lock path → opens in this process

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM"; // it exists, under another user
  }
}

function ownerOf(lock: string): number | null {
  try {
    const pid = Number(fs.readFileSync(lock, "utf8").trim());
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

/** Takes the directory's lock for this process (or counts one more open of it); returns its release. */
export function lockEmbeddedDatabase(dir: string): () => void {
  const lock = lockPathOf(dir);
  const opens = held.get(lock) ?? 0;
  if (opens === 0) {
    for (let attempt = 0; ; attempt++) {
      const tmp = `${lock}.${process.pid}.${Date.now()}`;
      fs.writeFileSync(tmp, `${process.pid}\n`);
      try {
        fs.linkSync(tmp, lock);
        break;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
        const pid = ownerOf(lock);
        // our own pid: a process before this one with the same id (a container's pid 1) left it
        if (attempt > 0 || (pid !== null && pid !== process.pid && alive(pid))) throw new DatabaseInUseError(dir, pid ?? undefined);
        fs.rmSync(lock, { force: true }); // the process that held it is gone
      } finally {
        fs.rmSync(tmp, { force: true });
      }
    }
    releaseAllOnExit();
  }
  held.set(lock, opens + 1);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    const left = (held.get(lock) ?? 1) - 1;
    if (left > 0) held.set(lock, left);
    else release(lock);
  };
}

let exitHook = false;
/** A process that ends without closing its database (a signal, process.exit) still leaves no lock behind. */
function releaseAllOnExit() {
  if (exitHook) return;
  exitHook = true;
  process.once("exit", () => {
    for (const lock of [...held.keys()]) release(lock);
  });
}

function release(lock: string) {
  held.delete(lock);
  if (ownerOf(lock) === process.pid) fs.rmSync(lock, { force: true });
}
