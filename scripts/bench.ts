// npm run bench [-- --iterations N] [--duration S] [--patients N] [--servers N] [--build] [--no-http]
// npm run bench -- --import [--records N] [--parallel N] [--keep]   (the importers: scripts/bench-import.ts)
// npm run bench -- --audit [--seconds N] [--concurrency N] [--patients N]   (audited views/s: scripts/bench-audit.ts)
// npm run bench -- --page-bytes [--build]   (where the 統合ビュー's bytes go: scripts/bench-page-bytes.ts)
//
// The integrated view's first screen under load, on PostgreSQL. A fresh "<db>_bench" database next to
// DATABASE_URL gets the demo network, filler patients up to --patients and one heavy patient (20 years,
// ≥ 5,000 records, every facility). Then, for doctor1 opening that patient:
//   data   getPatientView (lib/record), in process: Prisma + access decision + mapping + audit
//   floor  the same SQL statements by hand through node-postgres (bench/floor.ts): the database's cost
//   http   GET /patients/<id> on `next start` (production build) with a session, autocannon at 8 connections;
//          then the many-patient mix (every patient consented to doctor1's facility, in a fixed
//          pseudo-random order: ≥ 1,000 of them at the default 10,000 patients), then /account
//          (signed in, no patient data) the same way, the ceiling; the ratios to it are printed. --servers 2 runs two
//          `next start` processes and deals the connections out between them: one process per core,
//          the production shape (stateless app servers behind a load balancer), on this one machine
// A benchmark, run by hand — never part of npm test. The last line is `BENCH {json}` for comparing runs.
import os from "node:os";
import { HEAVY_ID, HEAVY_NAME } from "../bench/heavy";
import { consentedPatients, prepareBenchDatabase, SEEDED_PATIENTS } from "../bench/setup";
import { floorPatientView, replayReads, type StatementTimes } from "../bench/floor";
import { cpuMeter, type CpuPerRequest } from "../bench/cpu";
import { ensureBuild, freePort, load, login, pathWalker, startServer, type LoadResult, type Server } from "../bench/http";
import { ms1, summarize } from "../bench/stats";
import { captureStatements, planOf, scanNodes } from "../bench/plans";
import { CITUS_PLAN } from "../lib/db/citus";
import { intAfter } from "../bench/args";
import { measureEverything } from "../bench/everything";

const TARGET = { ratio: 2, pageP95: 150, rps: 100 };
const DEMO_LOGIN = "doctor1";
const DEMO_PASSWORD = "Tsunagu-demo-2026";
const WARMUP = 20;
const CONNECTIONS = 8;

// The import and audit benches are their own modes: they never reach the checks below.
if (process.argv.includes("--import")) {
  const { benchImport } = await import("./bench-import");
  process.exit(await benchImport(process.argv.slice(2).filter((a) => a !== "--import")));
}
if (process.argv.includes("--page-bytes")) {
  const { benchPageBytes } = await import("./bench-page-bytes");
  process.exit(await benchPageBytes(process.argv.slice(2).filter((a) => a !== "--page-bytes")));
}
if (process.argv.includes("--audit")) {
  const { benchAudit } = await import("./bench-audit");
  process.exit(await benchAudit(process.argv.slice(2).filter((a) => a !== "--audit")));
}

function usage(msg: string): never {
  console.error(`${msg}\nusage: npm run bench -- [--iterations N] [--duration SECONDS] [--patients N] [--servers N] [--build] [--no-http]`);
  process.exit(2);
}

const opts = { iterations: 200, duration: 12, patients: 10_000, servers: 1, build: false, http: true };
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  const int = (min: number) => intAfter(argv, i++, min, usage);
  if (a === "--iterations") opts.iterations = int(20);
  else if (a === "--duration") opts.duration = int(1);
  else if (a === "--patients") opts.patients = int(SEEDED_PATIENTS + 1);
  else if (a === "--servers") opts.servers = int(1);
  else if (a === "--build") opts.build = true;
  else if (a === "--no-http") opts.http = false;
  else usage(`unknown argument ${a}`);
}

if (!process.env.DATABASE_URL) {
  console.error(
    "npm run bench needs PostgreSQL: set DATABASE_URL=postgresql://user:pass@host:5432/db. It creates (and drops on the next run) " +
      "a database named <db>_bench on that server, so the role needs CREATEDB. The embedded PGlite is not benchmarked.",
  );
  process.exit(2);
}

const t0 = performance.now();
const secs = (from: number) => ((performance.now() - from) / 1000).toFixed(1);
const fmt = (n: number) => n.toLocaleString("en-US");
const ratioOf = (a: number, b: number) => Math.round((a / b) * 100) / 100;
const hidePassword = (u: string) => u.replace(/\/\/([^:/@]+):[^@]*@/, "//$1:***@");

// ---------------------------------------------------------------------------------------------
// 1. Database. DATABASE_URL must point at the bench database before lib/ reads its configuration
// (lib/env caches it on first use), hence the dynamic imports below.
let t = performance.now();
const { url: benchUrl, client, counts } = await prepareBenchDatabase({ suffix: "bench", patients: opts.patients, heavy: true });
const { getDb, closeDb } = await import("../lib/db/client");
const { getPatientView } = await import("../lib/record/patient");
const { toActor } = await import("../lib/auth/to-actor");
const { FIRST_SCREEN_ROWS } = await import("../lib/record/patient");
type Actor = import("../lib/auth/to-actor").Actor;

console.log(`bench database: ${hidePassword(benchUrl)} (PostgreSQL), ${os.cpus().length} CPUs, Node ${process.version}`);
let servers: Server[] = [];
const stopServers = async () => {
  await Promise.all(servers.map((s) => s.stop()));
  servers = [];
};
const onSignal = async () => {
  await stopServers();
  process.exit(130);
};
process.once("SIGINT", onSignal);
process.once("SIGTERM", onSignal);

try {
  const db = await getDb();
  // the issue's heavy patient: 20 years, ≥ 5,000 records, ≥ 8 facilities (guards bench/heavy.ts edits)
  if (counts.heavyRecords < 5000 || counts.heavyFacilities < 8 || counts.heavyYears < 19.5) throw new Error(`heavy patient too light: ${JSON.stringify(counts)}`);
  console.log(
    `seeded in ${secs(t)} s: ${fmt(counts.patients)} patients, ${fmt(counts.totalRows)} clinical rows; heavy patient ${HEAVY_ID}: ` +
      `${fmt(counts.heavyRecords)} records (${fmt(counts.heavyRows)} rows with items) over ${counts.heavyFacilities} facilities and ${counts.heavyYears} years`,
  );

  // -------------------------------------------------------------------------------------------
  // 2. The data function and its SQL floor, for doctor1 (fac-01) — the actor built as currentActor() does.
  const u = await db.user.findUniqueOrThrow({ where: { loginId: DEMO_LOGIN }, include: { facility: true } });
  const actor: Actor = toActor(u, { id: "bench", mfa: true });
  const view = await getPatientView(actor, HEAVY_ID);
  if (view.scope !== "FULL" || view.timeline.entries.length !== FIRST_SCREEN_ROWS) throw new Error(`unexpected view: scope ${view.scope}, ${view.timeline.entries.length} timeline entries`);

  // The statements getPatientView sends (every query of the pg driver in this process, while nothing
  // else runs): counted, to notice when lib/record changes and bench/floor.ts no longer matches it,
  // and each read EXPLAINed with ANALYZE: no record table may be read by a sequential scan.
  const { sent } = await captureStatements(() => getPatientView(actor, HEAVY_ID));
  const dataStatements = sent.length;
  const plans: { statement: string; ms: number | null; scans: string[] }[] = [];
  // the patient-keyed tables are the ones Citus distributes (lib/db/citus.ts): one list of them
  const patientTables = Object.keys(CITUS_PLAN.distributed);
  for (const st of sent.filter((x) => /^\s*(WITH|SELECT)/i.test(x.text) && patientTables.some((t) => x.text.includes(`"${t}"`)))) {
    const { plan, executionMs } = await planOf(client, st, true);
    plans.push({ statement: st.text.replace(/\s+/g, " ").slice(0, 90), ms: executionMs, scans: [...scanNodes(plan)].map((n) => `${n["Node Type"]} ${n["Relation Name"]}`) });
  }
  // a sequential scan of a table of a few pages is the right plan; one of a table of every patient's rows is not
  const seqScans: string[] = [];
  for (const x of new Set(plans.flatMap((p) => p.scans.filter((n) => n.startsWith("Seq Scan ") && patientTables.includes(n.slice("Seq Scan ".length)))))) {
    const rows = Number((await client.query(`SELECT reltuples::bigint AS n FROM pg_class WHERE relname = $1`, [x.replace("Seq Scan ", "")])).rows[0]?.n ?? 0);
    seqScans.push(`${x} (${rows.toLocaleString("en-US")} rows${rows < 1000 ? ": a small table, as the planner chose" : ""})`);
  }
  const floorStatements = await floorPatientView(client, actor, HEAVY_ID);

  for (let i = 0; i < WARMUP; i++) {
    await getPatientView(actor, HEAVY_ID);
    await floorPatientView(client, actor, HEAVY_ID);
    await replayReads(client, sent, actor, HEAVY_ID);
  }
  // Alternate the three so background load and cache state hit them alike.
  const data: number[] = [];
  const floor: number[] = [];
  const replay: number[] = [];
  const perStatement: StatementTimes = new Map();
  t = performance.now();
  for (let i = 0; i < opts.iterations; i++) {
    let s = performance.now();
    await getPatientView(actor, HEAVY_ID);
    data.push(performance.now() - s);
    s = performance.now();
    await floorPatientView(client, actor, HEAVY_ID, perStatement);
    floor.push(performance.now() - s);
    s = performance.now();
    await replayReads(client, sent, actor, HEAVY_ID);
    replay.push(performance.now() - s);
  }
  const dataSummary = summarize(data);
  const floorSummary = summarize(floor);
  const replaySummary = summarize(replay);
  const replayRatio = Math.round((dataSummary.p50 / replaySummary.p50) * 100) / 100;
  const ratio = Math.round((dataSummary.p50 / floorSummary.p50) * 100) / 100;
  const floorTop = [...perStatement].sort((a, b) => b[1] - a[1]).slice(0, 5).map(([label, total]) => [label, ms1(total / opts.iterations)] as const);
  console.log(`data function and floor: ${opts.iterations} iterations each after ${WARMUP} warm-up, in ${secs(t)} s`);
  console.log(`  getPatientView  p50 ${dataSummary.p50} ms  p95 ${dataSummary.p95} ms  (${dataStatements} statements incl. BEGIN/COMMIT)`);
  console.log(`  SQL floor       p50 ${floorSummary.p50} ms  p95 ${floorSummary.p95} ms  (${floorStatements} statements)`);
  console.log(`  replayed        p50 ${replaySummary.p50} ms  p95 ${replaySummary.p95} ms  (the ${dataStatements} statements getPatientView sent, by hand: data ÷ replayed = ${replayRatio})`);
  console.log(`  floor's slowest statements (mean ms): ${floorTop.map(([l, v]) => `${l} ${v}`).join(", ")}`);
  console.log(`  EXPLAIN (ANALYZE) of the first screen's ${plans.length} reads of patient tables, heavy patient:`);
  for (const p of plans) console.log(`    ${String(p.ms ?? "?").padStart(7)} ms  ${[...new Set(p.scans)].join(", ")}  — ${p.statement}`);
  console.log(`  sequential scans of a record table: ${seqScans.length ? seqScans.join(", ") : "none"}`);
  if (dataStatements !== floorStatements) {
    console.log(`  WARNING: getPatientView sent ${dataStatements} statements, the floor ${floorStatements}: lib/record has changed, update bench/floor.ts`);
  }

  // $everything for the same patient and actor (issue 15): the first page against its replayed
  // statements, and the whole record page by page
  const everything = await measureEverything(client, actor, HEAVY_ID, Math.max(20, Math.round(opts.iterations / 4)));
  const ev = everything;
  console.log(`$everything, heavy patient (_count=100): first page p50 ${ev.firstPage.p50} ms p95 ${ev.firstPage.p95} ms (${ev.firstPage.resources} resources, ${ev.firstPage.statements} statements); replayed p50 ${ev.firstPageReplayed.p50} ms — ratio ${ev.ratio} (target ≤ 2: ${ev.ratio <= 2 ? "met" : "MISSED"})`);
  console.log(`  whole record: ${ev.whole.resources} resources in ${ev.whole.pages} pages, p50 ${ev.whole.p50} ms p95 ${ev.whole.p95} ms, ${ev.whole.resourcesPerS} resources/s; heap grew at most ${ev.whole.heapGrowthMb} MB while paging`);

  // -------------------------------------------------------------------------------------------
  // 3. The page over HTTP.
  let http: (LoadResult & { duration: number }) | null = null;
  let load1: number | null = null;
  let cpu: CpuPerRequest | null = null;
  let pageBytes: number | null = null;
  let stack: LoadResult | null = null;
  let mix: (LoadResult & { patients: number }) | null = null;
  if (opts.http) {
    const env = { ...process.env, DATABASE_URL: benchUrl, NODE_ENV: "production" as const };
    t = performance.now();
    const built = await ensureBuild(opts.build, env);
    console.log(built ? `next build: ${built.toFixed(1)} s` : "next build: .next is up to date");
    const secret = { NEXTAUTH_SECRET: "bench-secret-not-for-production-use", TSUNAGU_AUDIT_KEY: "bench-audit-key-not-for-production-use" };
    for (let i = 0; i < opts.servers; i++) {
      const port = await freePort(Number(process.env.BENCH_PORT ?? 3200) + i);
      servers.push(await startServer(port, { ...env, ...secret, PORT: String(port), NEXTAUTH_URL: `http://localhost:${port}` }));
    }
    // One sign-in serves every server: the session is a token sealed with the shared secret, as it must
    // be for stateless servers behind a load balancer.
    const cookie = await login(servers[0]!.url, DEMO_LOGIN, DEMO_PASSWORD);
    const targets = servers.map((s) => `${s.url}/patients/${HEAVY_ID}`);
    const firstPages = await Promise.all(
      targets.map(async (target) => {
        const first = await fetch(target, { headers: { cookie }, redirect: "manual" });
        const html = await first.text();
        if (first.status !== 200 || !html.includes(HEAVY_NAME.familyName)) {
          throw new Error(`GET ${target} answered ${first.status} without the patient's name: not the integrated view (login redirect?)`);
        }
        return Buffer.byteLength(html);
      }),
    );
    pageBytes = firstPages[0]!;
    await load(targets, cookie, CONNECTIONS, 3, HEAVY_NAME.familyName); // warm-up: JIT, connection pool, caches
    load1 = Math.round(os.loadavg()[0]! * 100) / 100;
    const meter = cpuMeter(servers.map((s) => s.pgid));
    http = { ...(await load(targets, cookie, CONNECTIONS, opts.duration, HEAVY_NAME.familyName)), duration: opts.duration };
    cpu = meter(http.requests);
    // The same stack with no patient data: a signed-in page (session check, layout, one small read).
    // What this machine serves before any record is read — the ceiling the record page works under.
    // The many-patient mix: every patient consented to doctor1's facility, in a fixed pseudo-random
    // order, so the database and the server cannot serve one hot record from their caches.
    const mixPaths = (await consentedPatients(client, u.facilityId)).map((id) => `/patients/${id}`);
    mix = { patients: mixPaths.length, ...(await load(servers.map((s) => s.url), cookie, CONNECTIONS, opts.duration, 'data-testid="safety-banner"', pathWalker(mixPaths))) };
    const accountPages = servers.map((s) => `${s.url}/account`);
    stack = await load(accountPages, cookie, CONNECTIONS, Math.max(3, Math.round(opts.duration / 2)), 'data-testid="sessions"');
    await stopServers();
    console.log(`page GET /patients/${HEAVY_ID}: ${CONNECTIONS} connections over ${opts.servers} server process${opts.servers > 1 ? "es" : ""} for ${opts.duration} s after 3 s warm-up (load average before: ${load1}); the page is ${fmt(pageBytes)} bytes of HTML`);
    console.log(`  p50 ${http.p50} ms  p95 ${http.p95} ms  ${http.rps} requests/s  ${fmt(http.requests)} requests, non-2xx ${http.non2xx}, wrong body ${http.mismatches}, errors ${http.errors}`);
    if (mix) console.log(`  many-patient mix (${fmt(mix.patients)} consented patients): p50 ${mix.p50} ms  p95 ${mix.p95} ms  ${mix.rps} requests/s, non-2xx ${mix.non2xx}, wrong body ${mix.mismatches}`);
    if (stack) console.log(`  for scale, a signed-in page without patient data (/account): p50 ${stack.p50} ms  p95 ${stack.p95} ms  ${stack.rps} requests/s`);
    if (stack && mix) console.log(`  ratios to /account in this run: many-patient mix ${ratioOf(mix.rps, stack.rps)}, heavy patient ${ratioOf(http.rps, stack.rps)}`);
    if (cpu) {
      console.log(
        `  CPU per request: next server ${cpu.server} ms, local postgres ${cpu.postgres ?? "n/a"} ms, whole machine ${cpu.machine} ms ` +
          `(incl. autocannon; ${cpu.busyPercent}% of ${os.cpus().length} cores busy)`,
      );
    }
  }

  // -------------------------------------------------------------------------------------------
  // 4. Targets and the comparable line.
  const mark = (ok: boolean) => (ok ? "met" : "MISSED");
  console.log("targets (2-core machine, PostgreSQL):");
  console.log(`  data ≤ ${TARGET.ratio} × SQL floor: ratio ${ratio.toFixed(2)} — ${mark(ratio <= TARGET.ratio)}`);
  if (http) {
    console.log(`  page p95 ≤ ${TARGET.pageP95} ms: ${http.p95} ms — ${mark(http.p95 <= TARGET.pageP95)}`);
    console.log(`  ≥ ${TARGET.rps} requests/s: ${http.rps} — ${mark(http.rps >= TARGET.rps)}`);
    console.log(`  every answer 2xx with the record: ${http.non2xx + http.mismatches + http.errors === 0 ? "yes" : "NO"}`);
  } else console.log("  HTTP targets: not measured (--no-http)");
  console.log(`total ${secs(t0)} s`);
  const result = {
    engine: "postgresql",
    patients: counts.patients,
    heavyRecords: counts.heavyRecords,
    heavyRows: counts.heavyRows,
    heavyFacilities: counts.heavyFacilities,
    heavyYears: counts.heavyYears,
    totalRows: counts.totalRows,
    iterations: opts.iterations,
    everything,
    data: dataSummary,
    sqlFloor: floorSummary,
    replayed: replaySummary,
    replayRatio,
    ratio,
    statements: { data: dataStatements, floor: floorStatements },
    seqScans,
    floorTop: Object.fromEntries(floorTop),
    servers: opts.servers,
    http: http && { p50: http.p50, p95: http.p95, rps: http.rps, non2xx: http.non2xx, mismatches: http.mismatches, errors: http.errors, requests: http.requests, connections: http.connections, duration: http.duration },
    pageBytes,
    cpuPerRequest: cpu,
    mix: mix && { patients: mix.patients, p50: mix.p50, p95: mix.p95, rps: mix.rps, non2xx: mix.non2xx, mismatches: mix.mismatches, ratioToAccount: stack ? ratioOf(mix.rps, stack.rps) : null },
    heavyRatioToAccount: http && stack ? ratioOf(http.rps, stack.rps) : null,
    stackFloor: stack && { p50: stack.p50, p95: stack.p95, rps: stack.rps, non2xx: stack.non2xx, mismatches: stack.mismatches },
    met: { ratio: ratio <= TARGET.ratio, pageP95: http ? http.p95 <= TARGET.pageP95 : null, rps: http ? http.rps >= TARGET.rps : null },
    load1,
    cpus: os.cpus().length,
    at: new Date().toISOString(),
  };
  console.log(`BENCH ${JSON.stringify(result)}`);
} catch (e) {
  console.error(e instanceof Error ? (e.stack ?? e.message) : e);
  process.exitCode = 1;
} finally {
  await stopServers();
  await client.end().catch(() => {});
  await closeDb();
}
