/**
 * The pages over HTTP: a production build on `next start` (one process or several behind the bench's
 * own dealing-out of connections), signed in as doctor1. First, at 8 connections, the ceilings the
 * ratios are taken against: /account (signed in, no patient data) and /login (no session: a bare
 * server-rendered page of the app); then the 統合ビュー for the heavy patient and for the many-patient
 * mix at 1, 8 and 32 connections. CPU per request for the heavy page at 8, and each server's peak RSS
 * over the whole run. Every page is warmed up first, and the ratios to /account come from rounds of
 * the three side by side (RATIO_ROUNDS).
 */
import os from "node:os";
import { HEAVY_ID, HEAVY_NAME } from "./heavy";
import { cpuMeter, peakRssMb, type CpuPerRequest } from "./cpu";
import { pathWalker } from "./walk";
import { ensureBuild, freePort, load, login, startServer, type LoadResult, type Server } from "./http";

export const CONCURRENCIES = [1, 8, 32] as const;
/** the ceilings and the CPU figure are taken at this concurrency, as before */
const CEILING_CONNECTIONS = 8;
/**
 * The ratios to /account are taken in rounds of /account, the heavy page and the mix, each a third of
 * --duration, one after the other, and the median round reported. One 6-second /account run against
 * 12-second page runs a minute later moved the same code's mix ratio between 0.56 and 0.84 in two runs
 * on this machine: its speed drifts by a fifth within minutes, and a ratio within a round feels it on
 * both sides.
 */
const RATIO_ROUNDS = 3;
const DEMO_LOGIN = "doctor1";
const DEMO_PASSWORD = "Tsunagu-demo-2026";
const SECRETS = { NEXTAUTH_SECRET: "bench-secret-not-for-production-use", TSUNAGU_AUDIT_KEY: "bench-audit-key-not-for-production-use" };

type Figures = Pick<LoadResult, "p50" | "p95" | "rps" | "non2xx" | "mismatches" | "errors" | "requests" | "connections" | "statuses">;

export interface PageFigures {
  /** the heavy patient at 8 connections (the figure earlier runs reported) */
  http: Figures & { duration: number };
  pageBytes: number;
  cpuPerRequest: CpuPerRequest | null;
  /** the same for the many-patient mix and for /account, at the ceiling's connections */
  cpuPerRequestMix: CpuPerRequest | null;
  cpuPerRequestAccount: CpuPerRequest | null;
  /** the many-patient mix at 8 connections; its ratio to /account the median of the paired rounds */
  mix: Figures & { patients: number; ratioToAccount: number };
  heavyRatioToAccount: number;
  /** each round's requests/s of /account, the heavy page and the mix, at 8 connections (RATIO_ROUNDS) */
  ratioRounds: { account: number; heavy: number; mix: number }[];
  /** /account: signed in, no patient data */
  stackFloor: Figures;
  /** /login without a session: the bare server-rendered page */
  bareFloor: Figures;
  byConcurrency: Record<string, { heavy: Figures; mix: Figures }>;
  /** per server process, MiB */
  peakRssMb: (number | null)[];
  /** answers that were not 2xx with the expected text, over every run */
  failures: number;
  load1: number;
}

const ratioOf = (a: number, b: number) => Math.round((a / b) * 100) / 100;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const figures = (r: LoadResult): Figures => ({
  p50: r.p50, p95: r.p95, rps: r.rps, non2xx: r.non2xx, mismatches: r.mismatches, errors: r.errors, requests: r.requests, connections: r.connections, statuses: r.statuses,
});

export async function measurePages(o: {
  url: string;
  servers: number;
  build: boolean;
  duration: number;
  mix: readonly string[];
  /** set to stop the servers (the caller's signal handler uses it) */
  stop: { now: () => Promise<void> };
  log: (line: string) => void;
}): Promise<PageFigures> {
  const env = { ...process.env, DATABASE_URL: o.url, NODE_ENV: "production" as const };
  const built = await ensureBuild(o.build, env);
  o.log(built ? `next build: ${built.toFixed(1)} s` : "next build: .next is up to date");
  const servers: Server[] = [];
  o.stop.now = async () => {
    await Promise.all(servers.splice(0).map((s) => s.stop()));
  };
  try {
    for (let i = 0; i < o.servers; i++) {
      const port = await freePort(Number(process.env.BENCH_PORT ?? 3200) + i);
      servers.push(await startServer(port, { ...env, ...SECRETS, PORT: String(port), NEXTAUTH_URL: `http://localhost:${port}` }));
    }
    // One sign-in serves every server: the session is a token sealed with the shared secret, as it must
    // be for stateless servers behind a load balancer.
    const cookie = await login(servers[0]!.url, DEMO_LOGIN, DEMO_PASSWORD);
    const heavyTargets = servers.map((s) => `${s.url}/patients/${HEAVY_ID}`);
    const sizes = await Promise.all(
      heavyTargets.map(async (target) => {
        const first = await fetch(target, { headers: { cookie }, redirect: "manual" });
        const html = await first.text();
        if (first.status !== 200 || !html.includes(HEAVY_NAME.familyName)) {
          throw new Error(`GET ${target} answered ${first.status} without the patient's name: not the integrated view (login redirect?)`);
        }
        return Buffer.byteLength(html);
      }),
    );
    const pageBytes = sizes[0]!;
    // fewer connections than servers: the first server alone (one connection cannot be dealt out)
    const over = (c: number, targets: string[]) => (c % targets.length === 0 ? targets : targets.slice(0, 1));
    const mixPaths = o.mix.map((id) => `/patients/${id}`);
    const base = servers.map((s) => s.url);
    // Warm-up: JIT, connection pools, caches, for each page measured, as long as a run. /account warmed
    // by nothing but its own first seconds served 76 requests/s, and 166 after 24 seconds: the ratios
    // of earlier runs, taken against a cold /account, flattered the patient pages by nearly half.
    await load(heavyTargets, cookie, CEILING_CONNECTIONS, o.duration, HEAVY_NAME.familyName);
    await load(base, cookie, CEILING_CONNECTIONS, o.duration, 'data-testid="safety-banner"', pathWalker(mixPaths));
    await load(servers.map((s) => `${s.url}/account`), cookie, CEILING_CONNECTIONS, o.duration, 'data-testid="sessions"');
    await load(servers.map((s) => `${s.url}/login`), "", CEILING_CONNECTIONS, Math.max(3, Math.round(o.duration / 4)), 'name="loginId"');
    const load1 = Math.round(os.loadavg()[0]! * 100) / 100;

    // The same stack with no patient data: what this machine serves before any record is read. Measured
    // before the patient pages, not after: on a loaded machine a server was still working through the
    // views queued at 32 connections when these began, and served /account at 0–3 requests/s.
    const short = Math.max(3, Math.round(o.duration / 2));
    const accountMeter = cpuMeter(servers.map((s) => s.pgid));
    const stack = await load(servers.map((s) => `${s.url}/account`), cookie, CEILING_CONNECTIONS, short, 'data-testid="sessions"');
    const accountCpu = accountMeter(stack.requests);
    const bare = await load(servers.map((s) => `${s.url}/login`), "", CEILING_CONNECTIONS, short, 'name="loginId"');

    // the ratios: /account, the heavy page and the mix in adjacent runs, round after round (RATIO_ROUNDS)
    const third = Math.max(3, Math.round(o.duration / 3));
    const roundWalk = pathWalker(mixPaths);
    const rounds: { account: LoadResult; heavy: LoadResult; mix: LoadResult }[] = [];
    for (let r = 0; r < RATIO_ROUNDS; r++) {
      const account = await load(servers.map((s) => `${s.url}/account`), cookie, CEILING_CONNECTIONS, third, 'data-testid="sessions"');
      const heavy = await load(heavyTargets, cookie, CEILING_CONNECTIONS, third, HEAVY_NAME.familyName);
      const mix = await load(base, cookie, CEILING_CONNECTIONS, third, 'data-testid="safety-banner"', roundWalk);
      rounds.push({ account, heavy, mix });
    }

    const byConcurrency: Record<string, { heavy: LoadResult; mix: LoadResult }> = {};
    let cpu: CpuPerRequest | null = null;
    let mixCpu: CpuPerRequest | null = null;
    for (const c of CONCURRENCIES) {
      const meter = cpuMeter(servers.map((s) => s.pgid));
      const heavy = await load(over(c, heavyTargets), cookie, c, o.duration, HEAVY_NAME.familyName);
      if (c === CEILING_CONNECTIONS) cpu = meter(heavy.requests);
      // The many-patient mix: every patient consented to doctor1's facility, in a fixed pseudo-random
      // order, so the database and the server cannot serve one hot record from their caches.
      const mixMeter = cpuMeter(servers.map((s) => s.pgid));
      const mix = await load(over(c, base), cookie, c, o.duration, 'data-testid="safety-banner"', pathWalker(mixPaths));
      if (c === CEILING_CONNECTIONS) mixCpu = mixMeter(mix.requests);
      byConcurrency[String(c)] = { heavy, mix };
    }
    const peakRss = peakRssMb(servers.map((s) => s.pgid));
    await o.stop.now();

    const at8 = byConcurrency[String(CEILING_CONNECTIONS)]!;
    const all = [...Object.values(byConcurrency).flatMap((x) => [x.heavy, x.mix]), ...rounds.flatMap((r) => [r.account, r.heavy, r.mix]), stack, bare];
    const out: PageFigures = {
      http: { ...figures(at8.heavy), duration: o.duration },
      pageBytes,
      cpuPerRequest: cpu,
      cpuPerRequestMix: mixCpu,
      cpuPerRequestAccount: accountCpu,
      mix: { ...figures(at8.mix), patients: o.mix.length, ratioToAccount: median(rounds.map((r) => ratioOf(r.mix.rps, r.account.rps))) },
      heavyRatioToAccount: median(rounds.map((r) => ratioOf(r.heavy.rps, r.account.rps))),
      ratioRounds: rounds.map((r) => ({ account: r.account.rps, heavy: r.heavy.rps, mix: r.mix.rps })),
      stackFloor: figures(stack),
      bareFloor: figures(bare),
      byConcurrency: Object.fromEntries(Object.entries(byConcurrency).map(([c, x]) => [c, { heavy: figures(x.heavy), mix: figures(x.mix) }])),
      peakRssMb: peakRss,
      failures: all.reduce((s, r) => s + r.non2xx + r.mismatches + r.errors, 0),
      load1,
    };
    report(out, o);
    return out;
  } finally {
    await o.stop.now();
  }
}

function report(p: PageFigures, o: { servers: number; duration: number; log: (line: string) => void }): void {
  // a non-2xx answer names its status (a 503 of the bounded queue is not a 500)
  const statuses = (r: Figures) => Object.entries(r.statuses).filter(([s]) => !s.startsWith("2")).map(([s, n]) => ` HTTP ${s}: ${n}`).join(",");
  const line = (r: Figures) =>
    `p50 ${r.p50} ms  p95 ${r.p95} ms  ${r.rps} requests/s  (${r.requests.toLocaleString("en-US")} requests, non-2xx ${r.non2xx}${statuses(r)}, wrong body ${r.mismatches}, errors ${r.errors})`;
  o.log(
    `pages over HTTP: ${o.servers} server process${o.servers > 1 ? "es" : ""}, ${o.duration} s per run after ${o.duration} s of warm-up for each page (load average before: ${p.load1}); ` +
      `the heavy patient's page is ${p.pageBytes.toLocaleString("en-US")} bytes of HTML`,
  );
  for (const [c, x] of Object.entries(p.byConcurrency)) {
    o.log(`  concurrency ${c.padStart(2)}: heavy patient  ${line(x.heavy)}`);
    o.log(`                many-patient mix (${p.mix.patients.toLocaleString("en-US")} patients)  ${line(x.mix)}`);
  }
  o.log(`  ceilings at ${CEILING_CONNECTIONS} connections: /account (signed in, no patient data) ${line(p.stackFloor)}`);
  o.log(`                               /login (no session, bare server-rendered page) ${line(p.bareFloor)}`);
  const each = (k: "heavy" | "mix") => p.ratioRounds.map((r) => ratioOf(r[k], r.account)).join(", ");
  o.log(
    `  ratios to /account at ${CEILING_CONNECTIONS} connections, the median of ${p.ratioRounds.length} rounds of /account, heavy and mix side by side: ` +
      `many-patient mix ${p.mix.ratioToAccount} (rounds ${each("mix")}), heavy patient ${p.heavyRatioToAccount} (rounds ${each("heavy")}); ` +
      `/account ${p.ratioRounds.map((r) => r.account).join(", ")} requests/s`,
  );
  const cpuLine = (what: string, cpu: CpuPerRequest | null) =>
    cpu && o.log(`  CPU per ${what} at ${CEILING_CONNECTIONS}: next server ${cpu.server} ms, local postgres ${cpu.postgres ?? "n/a"} ms, whole machine ${cpu.machine} ms (incl. autocannon; ${cpu.busyPercent}% of ${os.cpus().length} cores busy)`);
  cpuLine("heavy page", p.cpuPerRequest);
  cpuLine("mix page", p.cpuPerRequestMix);
  cpuLine("/account", p.cpuPerRequestAccount);
  // Requests/s move with whatever else the machine runs; the server's and the database's CPU per
  // request hardly do. /account's CPU ÷ a page's is the ratio its requests/s would have on an idle machine.
  const own = (c: CpuPerRequest | null) => (c ? c.server + (c.postgres ?? 0) : null);
  const account = own(p.cpuPerRequestAccount);
  if (account) o.log(`  CPU ratios (/account's server + postgres CPU ÷ the page's): many-patient mix ${ratioOf(account, own(p.cpuPerRequestMix) ?? 0)}, heavy patient ${ratioOf(account, own(p.cpuPerRequest) ?? 0)}`);
  o.log(`  peak RSS per server process (VmHWM): ${p.peakRssMb.map((m) => (m === null ? "n/a" : `${m} MiB`)).join(", ")}`);
}
