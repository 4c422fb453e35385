// The README's first command, `npm run dev` (scripts/start.mjs dev): it must migrate, seed the demo
// network into a fresh embedded database and then serve the login page. It once migrated and seeded,
// then exited before listening: `next dev` passes its flags to its child in NODE_OPTIONS, where Node
// refused --heap-growing-percent. Nothing else runs the dev server, so this test does, on a fresh
// PGlite directory (the embedded default, whatever engine the rest of the suite uses).
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, expect, it } from "vitest";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "quick-start-dev-"));
let child: ChildProcess | null = null;
afterAll(async () => {
  if (child?.pid) {
    try {
      process.kill(-child.pid, "SIGTERM");
    } catch {
      // already gone
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
  fs.rmSync(dir, { recursive: true, force: true });
});

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });

it("npm run dev migrates, seeds a fresh embedded database and serves the login page", async () => {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), PGLITE_DIR: path.join(dir, "pglite"), TSUNAGU_AUDIT_CHECKPOINT_FILE: path.join(dir, "checkpoints.jsonl"), NODE_ENV: "development" };
  delete env.DATABASE_URL;
  delete env.TSUNAGU_MIGRATION_DATABASE_URL;
  let output = "";
  child = spawn(process.execPath, ["scripts/start.mjs", "dev"], { env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  let exited: number | null = null;
  child.once("exit", (code) => (exited = code ?? -1));
  const deadline = Date.now() + 280_000;
  let page = "";
  while (Date.now() < deadline && exited === null) {
    try {
      const r = await fetch(`http://localhost:${port}/login`);
      if (r.status === 200) {
        page = await r.text();
        break;
      }
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
  expect(exited, `the dev server exited:\n${output.slice(-2000)}`).toBeNull();
  expect(output).not.toMatch(/not allowed in NODE_OPTIONS/);
  expect(page).toContain("ログイン");
  // the server took the embedded database as it started, before anyone signed in: an import started
  // now is refused (lib/db/pglite-lock), not the server's first user
  const lock = path.join(dir, "pglite") + ".lock";
  expect(fs.existsSync(lock), "no lock on the embedded database after the server started").toBe(true);
  const owner = Number(fs.readFileSync(lock, "utf8").trim());
  expect(owner).not.toBe(process.pid);
  expect(() => process.kill(owner, 0)).not.toThrow();
  // next-auth's redirects (after ログアウト) name this server's port, not 3000
  const signout = await (await fetch(`http://localhost:${port}/api/auth/signout`)).text();
  expect(signout).toContain(`http://localhost:${port}/api/auth/signout`);
}, 300_000);
