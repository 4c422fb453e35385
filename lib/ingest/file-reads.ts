import fs from "node:fs";

/**
 * How an import reads its files. On a local disk a file of a few kilobytes read synchronously costs
 * about 0.03 ms of CPU, against about 0.2 ms through the thread pool: a tenth of an SS-MIX2 file's
 * whole cost to the importing process, so "sync". A hospital's SS-MIX2 storage is often a network
 * share, where one read waits a network round trip or more; read synchronously, that wait would stop
 * every lane's database work with it. There the files are read "ahead": several at once through the
 * thread pool, in the background, while the lanes file the ones already read.
 */
export type ReadMode = "sync" | "ahead";

/**
 * statfs f_type of the file systems a read may wait on a network for: NFS, SMB/CIFS (the three magic
 * numbers Linux uses for them), FUSE (sshfs, rclone, gcsfuse …), Ceph, AFS, 9P (WSL's Windows drives).
 */
const NETWORK_FILE_SYSTEMS = new Set([0x6969, 0x517b, 0xff534d42, 0xfe534d42, 0x65735546, 0x00c36400, 0x5346414f, 0x01021997]);

/** The mode for a file system by its statfs type. */
export const readModeOfType = (type: number): ReadMode => (NETWORK_FILE_SYSTEMS.has(type) ? "ahead" : "sync");

/** "ahead" where `root` lies on a network file system (or the system cannot say what it is on), else "sync". */
export function readModeFor(root: string): ReadMode {
  try {
    return readModeOfType(Number(fs.statfsSync(root).type));
  } catch {
    return "ahead";
  }
}

/** Files read at once in "ahead" mode: enough to cover a round trip for eight lanes, few enough that memory holds only these. */
export const READ_AHEAD = 16;

/** A file's bytes (null when it is over the bound, with its size), or the error reading it. */
export type Read<T> = { item: T; bytes: Buffer | null; size: number } | { item: T; error: unknown };

/**
 * `items` with their files' bytes, in the order given (an item whose path is null is passed on with
 * none). A file over `maxBytes` is not read: its size says why. "ahead" keeps up to `width` reads in
 * flight and pulls the next item only as one is handed on, so a tree of 100,000 files is never
 * listed or held whole. A file that cannot be read comes with its error in its place (the caller
 * reports it and goes on); no read is left to reject unobserved.
 */
export async function* readInOrder<T>(
  items: Iterable<T>,
  pathOf: (item: T) => string | null,
  o: { mode: ReadMode; maxBytes?: number; width?: number },
): AsyncGenerator<Read<T>> {
  const max = o.maxBytes ?? Infinity;
  const none = (item: T): Read<T> => ({ item, bytes: Buffer.alloc(0), size: 0 });
  if (o.mode === "sync") {
    for (const item of items) {
      const p = pathOf(item);
      if (p === null) {
        yield none(item);
        continue;
      }
      let read: Read<T>;
      try {
        // unbounded: no stat, the size is the bytes read
        const size = max === Infinity ? null : fs.statSync(p).size;
        if (size !== null && size > max) read = { item, bytes: null, size };
        else {
          const bytes = fs.readFileSync(p);
          read = { item, bytes, size: bytes.length };
        }
      } catch (error) {
        read = { item, error };
      }
      yield read;
    }
    return;
  }
  const readLater = async (item: T): Promise<Read<T>> => {
    const p = pathOf(item);
    if (p === null) return none(item);
    try {
      const size = max === Infinity ? null : (await fs.promises.stat(p)).size;
      if (size !== null && size > max) return { item, bytes: null, size };
      const bytes = await fs.promises.readFile(p);
      return { item, bytes, size: bytes.length };
    } catch (error) {
      return { item, error };
    }
  };
  const queue: Promise<Read<T>>[] = [];
  const it = items[Symbol.iterator]();
  let done = false;
  const fill = () => {
    while (!done && queue.length < (o.width ?? READ_AHEAD)) {
      const next = it.next();
      if (next.done) done = true;
      else queue.push(readLater(next.value));
    }
  };
  fill();
  while (queue.length > 0) {
    const read = await queue.shift()!;
    fill();
    yield read;
  }
}
