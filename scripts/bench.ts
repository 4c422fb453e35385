// npm run bench [-- --small | --large] [--patients N] [--lanes N] [--iterations N] [--duration S] [--servers N] [--build] [--no-http]
// npm run bench -- --import [--records N] [--parallel N] [--keep]   (the importers: scripts/bench-import.ts)
// npm run bench -- --audit [--seconds N] [--concurrency N] [--patients N]   (audited views/s: scripts/bench-audit.ts)
// npm run bench -- --page-bytes [--build]   (where the 統合ビュー's bytes go: scripts/bench-page-bytes.ts)
// npm run bench -- --everything-large [--resources N] [--count N] [--iterations N]   ($everything of a 100,000-resource
//   patient and of N/4 and N/2, page by page: time, peak RSS, page p95, linear growth: scripts/bench-everything-large.ts)
//
// Presets (--patients overrides the count of any of them, e.g. `--large --patients 3000` tries the large
// preset's generation quickly):
//   --small   PGlite in a temporary directory, 1,000 patients: for a laptop, no DATABASE_URL needed. The
//             reads in process only: no SQL floor, no replay and no HTTP (PGlite is one connection in one
//             process), each labelled "not on PGlite" in the output and null in the JSON
//   default   PostgreSQL (DATABASE_URL), 10,000 patients
//   --large   PostgreSQL, 100,000 patients and over 10 million clinical records (about 16.5 million rows
//             with items), generated inside the database in batches with a progress bar
//   --lanes N the connections that generate the filler patients at once (PostgreSQL; default: one per CPU)
// A fresh "<db>_bench" database next to DATABASE_URL gets the demo network, filler patients whose record
// sizes follow a log-normal spread (bench/record-sizes.ts: median ≈ 47 records, 1 % over 900; about
// 1,000 of them consented to doctor1's facility, the many-patient mix) and one heavy patient (20 years,
// ≥ 5,000 records, every facility). Then, for doctor1:
//   reads  in process, through the lib/record functions the pages call: patient search, the 統合ビュー's
//          first screen (getPatientView), the timeline's next page, lab trend, medication history and the
//          emergency page (under a break-glass grant the bench writes as data) — each p50/p95 for the
//          heavy patient and over the mix, and its ratio to the heavy patient's statements replayed by hand
//   floor  getPatientView against the same SQL written by hand through node-postgres (bench/floor.ts):
//          the database's cost; with EXPLAIN (ANALYZE) of each read: no sequential scan of a record table
//   $everything for the heavy patient: first page vs its replayed statements, the whole record page by page
//   http   GET /patients/<id> on `next start` (production build) with a session, autocannon at 1, 8 and
//          32 connections, for the heavy patient and for the many-patient mix (a fixed pseudo-random walk
//          over every patient consented to doctor1's facility), after the ceilings at 8 connections:
//          /account (signed in, no patient data) and /login (no session: the bare server-rendered page);
//          the ratios to /account, CPU per request and each server's peak RSS (VmHWM). --servers 2 runs
//          two `next start` processes and deals the connections out between them: one process per core,
//          the production shape (stateless app servers behind a load balancer), on this one machine
// A benchmark, run by hand — never part of npm test. The last line is `BENCH {json}` for comparing runs.
import os from "node:os";
import { HEAVY_ID, HEAVY_NAME } from "../bench/heavy";
import { consentedPatients, grantEmergencyAccess, prepareBenchDatabase, prepareEmbeddedBenchDatabase, SEEDED_PATIENTS } from "../bench/setup";
import { floorPatientView, replayReads, type StatementTimes } from "../bench/floor";
import { ms1, summarize } from "../bench/stats";
import { captureStatements, planOf, scanNodes } from "../bench/plans";
import { CITUS_PLAN } from "../lib/db/citus";
import { intAfter } from "../bench/args";
import { measureEverything } from "../bench/everything";
import { measureRead, screenReads, type ReadFigures } from "../bench/reads";
import { measurePages, type PageFigures } from "../bench/pages";
import { USERS } from "../prisma/seed/network";

// issue 17's targets, ratios within one run (the 統合ビュー issue's absolute 150 ms p95 and 100
// requests/s were for another machine, and the owner restated them as these): the data function
// ≤ 1.5 × its SQL floor, the floor ≤ 10 ms, the mix ≥ 0.6 and the heavy page ≥ 0.4 × /account's
// requests/s, the heavy page ≤ 80 KB, each server under 1 GiB
const TARGET = { ratio: 1.5, floorMs: 10, mixRatio: 0.6, heavyRatio: 0.4, pageBytes: 80_000, rssMb: 1024 };
const DEMO_LOGIN = "doctor1";
const WARMUP = 20;
const PRESETS = {
  small: { engine: "pglite", patients: 1_000 },
  default: { engine: "postgresql", patients: 10_000 },
  large: { engine: "postgresql", patients: 100_000 },
} as const;
/** the many-patient mix searches by these family names (bench/database.ts's fillers), the heavy case by the heavy patient's */
const SEARCH_TERMS = { heavy: HEAVY_NAME.familyNameKana, mix: ["サトウ", "スズキ", "タカハシ", "タナカ", "ヤマダ", "ナカ", "コバヤシ", "ヨシダ"] };

// The import, page-bytes, everything-large and audit benches are their own modes: they never reach the checks below.
if (process.argv.includes("--import")) {
  const { benchImport } = await import("./bench-import");
  process.exit(await benchImport(process.argv.slice(2).filter((a) => a !== "--import")));
}
if (process.argv.includes("--page-bytes")) {
  const { benchPageBytes } = await import("./bench-page-bytes");
  process.exit(await benchPageBytes(process.argv.slice(2).filter((a) => a !== "--page-bytes")));
}
if (process.argv.includes("--everything-large")) {
  const { benchEverythingLarge } = await import("./bench-everything-large");
  process.exit(await benchEverythingLarge(process.argv.slice(2).filter((a) => a !== "--everything-large")));
}
if (process.argv.includes("--audit")) {
  const { benchAudit } = await import("./bench-audit");
  process.exit(await benchAudit(process.argv.slice(2).filter((a) => a !== "--audit")));
}

function usage(msg: string): never {
  console.error(`${msg}\nusage: npm run bench -- [--small | --large] [--patients N] [--lanes N] [--iterations N] [--duration SECONDS] [--servers N] [--build] [--no-http]`);
  process.exit(2);
}

const opts = { preset: "default" as keyof typeof PRESETS, patients: null as number | null, lanes: os.cpus().length, iterations: 200, duration: 12, servers: 1, build: false, http: true };
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  const int = (min: number) => intAfter(argv, i++, min, usage);
  if (a === "--small") opts.preset = "small";
  else if (a === "--large") opts.preset = "large";
  else if (a === "--iterations") opts.iterations = int(20);
  else if (a === "--duration") opts.duration = int(1);
  else if (a === "--patients") opts.patients = int(SEEDED_PATIENTS + 2);
  else if (a === "--servers") opts.servers = int(1);
  else if (a === "--lanes") opts.lanes = int(1);
  else if (a === "--build") opts.build = true;
  else if (a === "--no-http") opts.http = false;
  else usage(`unknown argument ${a}`);
}
if (argv.includes("--small") && argv.includes("--large")) usage("--small and --large exclude each other");
const preset = PRESETS[opts.preset];
const patients = opts.patients ?? preset.patients;
const embedded = preset.engine === "pglite";

if (!embedded && !process.env.DATABASE_URL) {
  console.error(
    "npm run bench needs PostgreSQL: set DATABASE_URL=postgresql://user:pass@host:5432/db. It creates (and drops on the next run) " +
      "a database named <db>_bench on that server, so the role needs CREATEDB. Without PostgreSQL: npm run bench -- --small (PGlite, the reads only).",
  );
  process.exit(2);
}

const t0 = performance.now();
const secs = (from: number) => ((performance.now() - from) / 1000).toFixed(1);
const fmt = (n: number) => n.toLocaleString("en-US");
const hidePassword = (u: string) => u.replace(/\/\/([^:/@]+):[^@]*@/, "//$1:***@");
const NOT_ON_PGLITE = "not on PGlite (one connection in one process: nothing beside the app's client can reach it)";

// ---------------------------------------------------------------------------------------------
// 1. Database. DATABASE_URL (or PGLITE_DIR) must point at the bench database before lib/ reads its
// configuration (lib/env caches it on first use), hence the dynamic imports below.
let t = performance.now();
const doctor = USERS.find((x) => x.loginId === DEMO_LOGIN)!;
const made = embedded
  ? { ...(await prepareEmbeddedBenchDatabase({ patients, facilityId: doctor.facilityId, userId: doctor.id })), url: null, client: null }
  : { ...(await prepareBenchDatabase({ suffix: "bench", patients, heavy: true, lanes: opts.lanes })), dir: null, remove: () => {} };
const { client, counts } = made;
const { getDb, closeDb } = await import("../lib/db/client");
const { getPatientView } = await import("../lib/record/patient");
const { toActor } = await import("../lib/auth/to-actor");
const { FIRST_SCREEN_ROWS } = await import("../lib/record/patient");
type Actor = import("../lib/auth/to-actor").Actor;

console.log(
  `bench database: ${made.url ? `${hidePassword(made.url)} (PostgreSQL)` : `${made.dir} (PGlite)`}, preset ${opts.preset}, ${os.cpus().length} CPUs, Node ${process.version}`,
);
let stopServers = async () => {};
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
    `seeded in ${secs(t)} s: ${fmt(counts.patients)} patients, ${fmt(counts.totalRecords)} clinical records (${fmt(counts.totalRows)} rows with items); ` +
      `the filler patients in ${made.fill.seconds} s at ${fmt(made.fill.rowsPerS)} rows/s (their indexes built after, included); heavy patient ${HEAVY_ID}: ` +
      `${fmt(counts.heavyRecords)} records (${fmt(counts.heavyRows)} rows with items) over ${counts.heavyFacilities} facilities and ${counts.heavyYears} years`,
  );

  // -------------------------------------------------------------------------------------------
  // 2. The reads, for doctor1 (fac-01) — the actor built as currentActor() does.
  const u = await db.user.findUniqueOrThrow({ where: { loginId: DEMO_LOGIN }, include: { facility: true } });
  const actor: Actor = toActor(u, { id: "bench", mfa: true });
  const view = await getPatientView(actor, HEAVY_ID);
  if (view.scope !== "FULL" || view.timeline.entries.length !== FIRST_SCREEN_ROWS) throw new Error(`unexpected view: scope ${view.scope}, ${view.timeline.entries.length} timeline entries`);
  const mixIds = client ? await consentedPatients(client, u.facilityId) : made.mix;
  if (client) await grantEmergencyAccess(client, u.id, u.facilityId, [HEAVY_ID, ...mixIds]);

  // as many as the floor's: over the mix, each a different patient up to the mix's size
  const readIterations = opts.iterations;
  const reads: Record<string, ReadFigures> = {};
  t = performance.now();
  for (const read of await screenReads(actor, SEARCH_TERMS)) {
    reads[read.name] = await measureRead(read, { heavyId: HEAVY_ID, mix: mixIds, iterations: readIterations, floor: client && { client, actor } });
  }
  console.log(`the screens' reads (lib/record, in process): ${readIterations} iterations each for the heavy patient and over the mix of ${fmt(mixIds.length)} consented patients, in ${secs(t)} s`);
  for (const [name, r] of Object.entries(reads)) {
    const floorText = r.replayed ? `replayed p50 ${r.replayed.p50} ms (${r.statements} statements) ratio ${r.ratio}` : `replayed: ${NOT_ON_PGLITE.split(" (")[0]}`;
    console.log(`  ${name.padEnd(18)} heavy p50 ${r.heavy.p50} ms p95 ${r.heavy.p95} ms; ${floorText}; mix p50 ${r.mix.p50} ms p95 ${r.mix.p95} ms (${r.mix.patients} ${name === "search" ? "names" : "patients"})`);
  }

  // -------------------------------------------------------------------------------------------
  // 3. The first screen against its hand-written SQL floor (PostgreSQL: the floor speaks node-postgres).
  const floor = client ? await measureFloor(client, actor) : null;
  if (!floor) console.log(`getPatientView vs its SQL floor: ${NOT_ON_PGLITE}`);

  // $everything for the same patient and actor (issue 15): the first page against its replayed
  // statements, and the whole record page by page
  const everything = await measureEverything(client, actor, HEAVY_ID, Math.max(20, Math.round(opts.iterations / 4)));
  const ev = everything;
  const evRatio = ev.firstPageReplayed ? `replayed p50 ${ev.firstPageReplayed.p50} ms — ratio ${ev.ratio} (target ≤ 2: ${ev.ratio! <= 2 ? "met" : "MISSED"})` : `replayed: ${NOT_ON_PGLITE.split(" (")[0]}`;
  console.log(`$everything, heavy patient (_count=100): first page p50 ${ev.firstPage.p50} ms p95 ${ev.firstPage.p95} ms (${ev.firstPage.resources} resources); ${evRatio}`);
  console.log(`  whole record: ${ev.whole.resources} resources in ${ev.whole.pages} pages, p50 ${ev.whole.p50} ms p95 ${ev.whole.p95} ms, ${ev.whole.resourcesPerS} resources/s; heap grew at most ${ev.whole.heapGrowthMb} MB while paging`);

  // -------------------------------------------------------------------------------------------
  // 4. The pages over HTTP.
  let pages: PageFigures | null = null;
  if (opts.http && made.url) {
    const stop = { now: async () => {} };
    stopServers = () => stop.now();
    pages = await measurePages({ url: made.url, servers: opts.servers, build: opts.build, duration: opts.duration, mix: mixIds, stop, log: console.log });
  } else console.log(`pages over HTTP: ${!opts.http ? "not measured (--no-http)" : NOT_ON_PGLITE}`);

  // -------------------------------------------------------------------------------------------
  // 5. Targets and the comparable line.
  const mark = (ok: boolean) => (ok ? "met" : "MISSED");
  console.log(`targets (${os.cpus().length}-core machine, ${embedded ? "PGlite" : "PostgreSQL"}):`);
  if (floor) {
    console.log(`  data ≤ ${TARGET.ratio} × SQL floor: ratio ${floor.ratio.toFixed(2)} — ${mark(floor.ratio <= TARGET.ratio)}`);
    console.log(`  the heavy patient's SQL floor ≤ ${TARGET.floorMs} ms: p50 ${floor.sqlFloor.p50} ms — ${mark(floor.sqlFloor.p50 <= TARGET.floorMs)}`);
  }
  if (pages) {
    console.log(`  many-patient mix ≥ ${TARGET.mixRatio} × /account's requests/s: ${pages.mix.ratioToAccount} — ${mark(pages.mix.ratioToAccount >= TARGET.mixRatio)}`);
    console.log(`  heavy patient ≥ ${TARGET.heavyRatio} × /account's requests/s: ${pages.heavyRatioToAccount} — ${mark(pages.heavyRatioToAccount >= TARGET.heavyRatio)}`);
    console.log(`  heavy page ≤ ${TARGET.pageBytes.toLocaleString("en-US")} bytes: ${pages.pageBytes.toLocaleString("en-US")} — ${mark(pages.pageBytes <= TARGET.pageBytes)}`);
    const rss = pages.peakRssMb.filter((m): m is number => m !== null);
    console.log(`  each server < ${TARGET.rssMb} MiB: ${rss.map((m) => `${m} MiB`).join(", ") || "n/a"} — ${rss.length ? mark(rss.every((m) => m < TARGET.rssMb)) : "n/a"}`);
    console.log(`  every answer 2xx with the record: ${pages.failures === 0 ? "yes" : `NO (${pages.failures})`}`);
  } else console.log("  HTTP targets: not measured");
  console.log(`total ${secs(t0)} s`);
  const result = {
    preset: opts.preset,
    engine: preset.engine,
    patients: counts.patients,
    heavyRecords: counts.heavyRecords,
    heavyRows: counts.heavyRows,
    heavyFacilities: counts.heavyFacilities,
    heavyYears: counts.heavyYears,
    totalRecords: counts.totalRecords,
    totalRows: counts.totalRows,
    fill: made.fill,
    mixPatients: mixIds.length,
    iterations: opts.iterations,
    readIterations,
    reads,
    everything,
    ...(floor ?? { data: null, sqlFloor: null, replayed: null, replayRatio: null, ratio: null, statements: null, seqScans: null, floorTop: null }),
    servers: opts.servers,
    ...(pages ?? { http: null, pageBytes: null, cpuPerRequest: null, cpuPerRequestMix: null, cpuPerRequestAccount: null, mix: null, heavyRatioToAccount: null, ratioRounds: null, stackFloor: null, bareFloor: null, byConcurrency: null, peakRssMb: null }),
    met: {
      ratio: floor ? floor.ratio <= TARGET.ratio : null,
      floor: floor ? floor.sqlFloor.p50 <= TARGET.floorMs : null,
      mixRatio: pages ? pages.mix.ratioToAccount >= TARGET.mixRatio : null,
      heavyRatio: pages ? pages.heavyRatioToAccount >= TARGET.heavyRatio : null,
      pageBytes: pages ? pages.pageBytes <= TARGET.pageBytes : null,
    },
    load1: pages?.load1 ?? null,
    cpus: os.cpus().length,
    at: new Date().toISOString(),
  };
  console.log(`BENCH ${JSON.stringify(result)}`);
} catch (e) {
  console.error(e instanceof Error ? (e.stack ?? e.message) : e);
  process.exitCode = 1;
} finally {
  await stopServers();
  await client?.end().catch(() => {});
  await closeDb();
  made.remove();
}

/**
 * getPatientView for the heavy patient against the SQL floor (bench/floor.ts) and its own statements
 * replayed, alternated; and EXPLAIN (ANALYZE) of each read of a patient table.
 */
async function measureFloor(client: import("pg").Client, actor: Actor) {
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
  const t1 = performance.now();
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
  console.log(`data function and floor: ${opts.iterations} iterations each after ${WARMUP} warm-up, in ${secs(t1)} s`);
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
  return {
    data: dataSummary,
    sqlFloor: floorSummary,
    replayed: replaySummary,
    replayRatio,
    ratio,
    statements: { data: dataStatements, floor: floorStatements },
    seqScans,
    floorTop: Object.fromEntries(floorTop),
  };
}
