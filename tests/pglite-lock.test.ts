// One process at a time on an embedded database (lib/db/pglite-lock): an import run beside the app
// opened the same PGlite directory and both wrote to it (review 10). Now the second process is
// refused with a message that says why and what to do; a lock left by a process that is gone is
// taken over; and one process may open its own database more than once.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DatabaseInUseError, lockEmbeddedDatabase, lockPathOf } from "../lib/db/pglite-lock";
import { JP_CLINS_FIXTURES } from "./helpers/ingest-network";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "pglite-lock-"));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
const dirOf = (name: string) => path.join(root, name);

describe("the embedded database's lock", () => {
  it("refuses a directory whose lock names a running process, and names it (twin: free once released)", () => {
    const dir = dirOf("held");
    fs.writeFileSync(lockPathOf(dir), `${process.ppid}\n`); // the process that started this one: alive
    expect(() => lockEmbeddedDatabase(dir)).toThrow(DatabaseInUseError);
    expect(() => lockEmbeddedDatabase(dir)).toThrow(`in use by another process (pid ${process.ppid})`);
    fs.rmSync(lockPathOf(dir));
    const release = lockEmbeddedDatabase(dir);
    expect(fs.readFileSync(lockPathOf(dir), "utf8").trim()).toBe(String(process.pid));
    release();
    expect(fs.existsSync(lockPathOf(dir))).toBe(false);
  });

  it("takes over a lock whose process is gone", () => {
    const dir = dirOf("stale");
    const gone = spawnSync(process.execPath, ["-e", "0"]).pid!;
    fs.writeFileSync(lockPathOf(dir), `${gone}\n`);
    const release = lockEmbeddedDatabase(dir);
    expect(fs.readFileSync(lockPathOf(dir), "utf8").trim()).toBe(String(process.pid));
    release();
  });

  it("lets one process open its database twice, and keeps the lock until the last close", () => {
    const dir = dirOf("twice");
    const first = lockEmbeddedDatabase(dir);
    const second = lockEmbeddedDatabase(dir);
    first();
    expect(fs.existsSync(lockPathOf(dir))).toBe(true);
    second();
    expect(fs.existsSync(lockPathOf(dir))).toBe(false);
  });

  it("an import refuses, exit 2, while another process has the database open; twin: it runs once that process has let go", () => {
    const dir = dirOf("app");
    const release = lockEmbeddedDatabase(dir); // this process plays the running app
    const env: NodeJS.ProcessEnv = { ...process.env, PGLITE_DIR: dir };
    delete env.DATABASE_URL;
    delete env.TSUNAGU_MIGRATION_DATABASE_URL;
    const run = () => spawnSync(process.execPath, ["--import", "tsx", "scripts/import.ts", path.join(JP_CLINS_FIXTURES, "Patient-Example-JP-Patient-minimun.json"), "--facility", "1318814790"], { env, encoding: "utf8", timeout: 120_000 });
    const refused = run();
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain(`The embedded database at ${dir} is in use by another process (pid ${process.pid})`);
    release();
    const after = run();
    // a fresh database has no facility 1318814790: refused as such, after it opened the database
    expect(after.stderr).not.toContain("in use by another process");
    expect(after.stderr).toContain("refused:");
  });
});
