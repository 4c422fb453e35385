/**
 * The HTTP half of the benchmark: a production build served by `next start` on the bench database, a
 * next-auth session for a demo user, and autocannon against one page.
 */
import fs from "node:fs";
import { totpCode } from "../lib/auth/totp";
import { DEMO_TOTP_SECRET } from "../prisma/seed/demo-credentials";
import net from "node:net";
import path from "node:path";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import autocannon from "autocannon";
import { percentile, ms1 } from "./stats";
import { SERVER_NODE_FLAGS } from "../scripts/server-node-flags.mjs";

const NEXT_BIN = "node_modules/next/dist/bin/next";
/** What `next build` reads: a newer file here than .next/BUILD_ID means the build is stale. */
const BUILD_INPUTS = ["app", "components", "lib", "public", "prisma/schema.prisma", "next.config.ts", "postcss.config.mjs", "tsconfig.json", "package-lock.json", "instrumentation.ts", "proxy.ts"];

function newestMtime(p: string): number {
  if (!fs.existsSync(p)) return 0;
  const st = fs.statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = 0;
  for (const e of fs.readdirSync(p)) newest = Math.max(newest, newestMtime(path.join(p, e)));
  return newest;
}

function isStale(): boolean {
  const id = ".next/BUILD_ID";
  return !fs.existsSync(id) || Math.max(...BUILD_INPUTS.map(newestMtime)) > fs.statSync(id).mtimeMs;
}

/**
 * Runs `next build` when forced or when .next is missing or older than its sources. Returns seconds
 * spent (0 if fresh). Another `next build` holding .next (npm test, a colleague) is waited for, up to
 * five minutes, and its result used if it is fresh.
 */
export async function ensureBuild(force: boolean, env: NodeJS.ProcessEnv): Promise<number> {
  const t0 = Date.now();
  let waited = false;
  for (;;) {
    if (!force && !isStale()) return waited ? (Date.now() - t0) / 1000 : 0;
    const r = spawnSync(process.execPath, [NEXT_BIN, "build"], { env: { ...env, NODE_ENV: "production" }, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
    if (r.status === 0) return (Date.now() - t0) / 1000;
    const out = r.stdout + r.stderr;
    if (!/Another next build process is already running/.test(out) || Date.now() - t0 > 300_000) {
      throw new Error(`next build failed:\n${out.split("\n").slice(-40).join("\n")}`);
    }
    if (!waited) console.log("next build: another build holds .next; waiting for it");
    waited = true;
    force = false;
    await new Promise((resolve) => setTimeout(resolve, 10_000));
  }
}

/** `preferred` if nothing listens there, else any free port. */
export async function freePort(preferred: number): Promise<number> {
  const tryListen = (port: number) =>
    new Promise<number | null>((resolve) => {
      const s = net.createServer();
      s.once("error", () => resolve(null));
      s.listen(port, () => {
        const got = (s.address() as net.AddressInfo).port;
        s.close(() => resolve(got));
      });
    });
  return (await tryListen(preferred)) ?? (await tryListen(0))!;
}

export interface Server {
  url: string;
  /** process group of `next start` and its children */
  pgid: number;
  stop(): Promise<void>;
}

/**
 * `next start` in its own process group: killing only the `next` wrapper would leave `next-server`
 * holding the port, so stop() signals the whole group. With the heap settings `npm start` uses
 * (scripts/server-node-flags.mjs), so that the bench measures the server as shipped.
 */
export async function startServer(port: number, env: NodeJS.ProcessEnv): Promise<Server> {
  const child: ChildProcess = spawn(process.execPath, [...SERVER_NODE_FLAGS, NEXT_BIN, "start", "-p", String(port)], { env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  let alive = true;
  void exited.then(() => (alive = false));
  const stop = async () => {
    if (!alive || child.pid === undefined) return;
    try {
      process.kill(-child.pid, "SIGTERM");
    } catch {
      return;
    }
    const timer = setTimeout(() => alive && process.kill(-child.pid!, "SIGKILL"), 5000);
    await exited;
    clearTimeout(timer);
  };
  const url = `http://localhost:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (!alive) throw new Error(`next start exited:\n${output.slice(-3000)}`);
    try {
      const r = await fetch(`${url}/login`);
      if (r.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`next start did not answer /login within 60 s:\n${output.slice(-3000)}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { url, pgid: child.pid!, stop };
}

const cookiePairs = (res: Response) => res.headers.getSetCookie().map((c) => c.split(";")[0]!);

/** Signs in (password and the demo second factor) through next-auth's credentials callback; returns the Cookie header of the session. */
export async function login(url: string, loginId: string, password: string): Promise<string> {
  const code = totpCode(DEMO_TOTP_SECRET, new Date());
  const csrfRes = await fetch(`${url}/api/auth/csrf`);
  const { csrfToken } = (await csrfRes.json()) as { csrfToken: string };
  const res = await fetch(`${url}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookiePairs(csrfRes).join("; ") },
    body: new URLSearchParams({ csrfToken, loginId, password, code, json: "true" }),
  });
  const session = cookiePairs(res).find((c) => c.startsWith("next-auth.session-token="));
  if (!session) throw new Error(`login as ${loginId} failed: HTTP ${res.status}, no session cookie`);
  return session;
}

export interface LoadResult {
  p50: number;
  p95: number;
  rps: number;
  requests: number;
  non2xx: number;
  /** 2xx answers whose body lacked the expected text (e.g. a login page streamed with status 200) */
  mismatches: number;
  errors: number;
  connections: number;
  /** answers by HTTP status */
  statuses: Record<number, number>;
}

/**
 * autocannon for `seconds` against one or more servers at once (one process each, as behind a load
 * balancer): the connections are dealt out evenly, requests/s and counts are summed, and the latency
 * percentiles come from every response's own time (autocannon's table has no p95). With `pathOf`,
 * every request asks for the path it returns (a mix of patients) instead of the target's own.
 */
export async function load(targets: string[], cookie: string, connections: number, seconds: number, mustContain: string, pathOf?: () => string): Promise<LoadResult> {
  if (connections % targets.length !== 0) throw new Error(`${connections} connections do not split evenly over ${targets.length} servers`);
  const latencies: number[] = [];
  const statuses: Record<number, number> = {};
  const one = (url: string) =>
    new Promise<autocannon.Result>((resolve, reject) => {
      const instance = autocannon(
        {
          url,
          connections: connections / targets.length,
          duration: seconds,
          headers: { cookie },
          verifyBody: (body) => String(body ?? "").includes(mustContain),
          ...(pathOf ? { requests: [{ setupRequest: (req: autocannon.Request) => ({ ...req, path: pathOf() }) }] } : {}),
        },
        (err, result) => (err ? reject(err) : resolve(result)),
      );
      instance.on("response", (_client, status, _bytes, responseTime) => {
        latencies.push(responseTime);
        statuses[status] = (statuses[status] ?? 0) + 1;
      });
    });
  const rs = await Promise.all(targets.map(one));
  const sum = (f: (r: autocannon.Result) => number) => rs.reduce((s, r) => s + f(r), 0);
  return {
    p50: ms1(percentile(latencies, 50)),
    p95: ms1(percentile(latencies, 95)),
    rps: ms1(sum((r) => r.requests.average)),
    requests: sum((r) => r.requests.total),
    non2xx: sum((r) => r.non2xx),
    mismatches: sum((r) => r.mismatches),
    errors: sum((r) => r.errors + r.timeouts),
    connections,
    statuses,
  };
}
