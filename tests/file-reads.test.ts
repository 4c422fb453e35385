// How an import reads its files (lib/ingest/file-reads): synchronously on a local disk, several at
// once through the thread pool on a network share. Either way the files come in the order given, a
// file that cannot be read comes with its error in its place, and one over the bound is not read.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readInOrder, readModeFor, readModeOfType, type Read, type ReadMode } from "../lib/ingest/file-reads";

let dir: string;
const names = Array.from({ length: 20 }, (_, i) => `f${String(i).padStart(2, "0")}.txt`);
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "file-reads-"));
  for (const [i, n] of names.entries()) fs.writeFileSync(path.join(dir, n), "x".repeat(i));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function all<T>(g: AsyncGenerator<Read<T>>): Promise<Read<T>[]> {
  const out: Read<T>[] = [];
  for await (const r of g) out.push(r);
  return out;
}

describe.each(["sync", "ahead"] as ReadMode[])("readInOrder, %s", (mode) => {
  it("gives every file's bytes in the order given, a missing file's error in its place, and goes on", async () => {
    const items = [...names.slice(0, 7), "gone.txt", ...names.slice(7)];
    const reads = await all(readInOrder(items, (n) => path.join(dir, n), { mode, width: 3 }));
    expect(reads.map((r) => r.item)).toEqual(items);
    const gone = reads[7]!;
    expect("error" in gone && (gone.error as NodeJS.ErrnoException).code).toBe("ENOENT");
    for (const [i, r] of reads.entries()) if (i !== 7) expect("bytes" in r && r.bytes!.toString()).toBe("x".repeat(names.indexOf(r.item)));
  });

  it("does not read a file over the bound, and says its size; one within it is read (twin)", async () => {
    const [over, within] = await all(readInOrder(["f12.txt", "f11.txt"], (n) => path.join(dir, n), { mode, maxBytes: 11 }));
    expect(over).toEqual({ item: "f12.txt", bytes: null, size: 12 });
    expect(within).toEqual({ item: "f11.txt", bytes: Buffer.from("x".repeat(11)), size: 11 });
  });

  it("passes an item without a path on with no bytes", async () => {
    expect(await all(readInOrder(["a"], () => null, { mode }))).toEqual([{ item: "a", bytes: Buffer.alloc(0), size: 0 }]);
  });
});

it("reads ahead no more than its width: a 100,000-file tree is never listed whole", async () => {
  let pulled = 0;
  function* items() {
    for (const n of names) {
      pulled++;
      yield n;
    }
  }
  const g = readInOrder(items(), (n) => path.join(dir, n), { mode: "ahead", width: 4 });
  await g.next();
  expect(pulled).toBeLessThanOrEqual(5);
  await g.return(undefined);
});

it("reads ahead on a network file system (NFS, SMB, FUSE) and synchronously on a local one (twin)", () => {
  expect(readModeOfType(0x6969)).toBe("ahead"); // NFS
  expect(readModeOfType(0xfe534d42)).toBe("ahead"); // SMB2
  expect(readModeOfType(0x65735546)).toBe("ahead"); // FUSE
  expect(readModeOfType(0xef53)).toBe("sync"); // ext4
  expect(readModeOfType(0x01021994)).toBe("sync"); // tmpfs
  expect(readModeFor(dir)).toBe(readModeOfType(Number(fs.statfsSync(dir).type)));
  expect(readModeFor(path.join(dir, "no-such-folder"))).toBe("ahead");
});
