// npm run soak [-- --seconds S] [--connections N] [--patients N] [--servers N] [--restart-db-at S] [--build]
//
// Held load on PostgreSQL: N connections (default 32) for S seconds (default 300) of doctor1 opening the
// 統合ビュー of patients drawn at random from every patient with a consent in force at doctor1's
// facility (≥ 1,000 of them at the default 10,000 patients: the many-patient mix, never one patient
// again and again). Afterwards it reports:
//   - answers by status: any 5xx is a failure (past the bounded queue the answer must be 503, never 500);
//   - audit rows written for the views against the views served (200 with the patient's page): a view
//     without its audit row is a failure;
//   - the audit chains, verified afterwards.
// --restart-db-at S restarts the local PostgreSQL S seconds in (as root: pg_ctlcluster), to show that
// requests fail fast with 503 while it is away and the servers recover by themselves.
// A benchmark-like run by hand, never part of npm test. The last line is `SOAK {json}`.
import os from "node:os";
import { spawn, spawnSync } from "node:child_process";
import { intAfter } from "../bench/args";
import { consentedPatients, prepareBenchDatabase } from "../bench/setup";
import { pathWalker } from "../bench/walk";
import { ensureBuild, freePort, load, login, startServer, type Server } from "../bench/http";
import { ms1 } from "../bench/stats";

const DEMO_LOGIN = "doctor1";
const DEMO_PASSWORD = "Tsunagu-demo-2026";

function usage(msg: string): never {
  console.error(`${msg}\nusage: npm run soak -- [--seconds S] [--connections N] [--patients N] [--servers N] [--restart-db-at S] [--build]`);
  process.exit(2);
}
const opts = { seconds: 300, connections: 32, patients: 10_000, servers: 1, restartAt: 0, build: false };
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  const int = (min: number) => intAfter(argv, i++, min, usage);
  if (a === "--seconds") opts.seconds = int(5);
  else if (a === "--connections") opts.connections = int(1);
  else if (a === "--patients") opts.patients = int(300);
  else if (a === "--servers") opts.servers = int(1);
  else if (a === "--restart-db-at") opts.restartAt = int(1);
  else if (a === "--build") opts.build = true;
  else usage(`unknown argument ${a}`);
}
if (!process.env.DATABASE_URL) usage("npm run soak needs PostgreSQL: set DATABASE_URL (the role needs CREATEDB; it makes <db>_soak)");
if (opts.connections % opts.servers !== 0) usage(`${opts.connections} connections do not split evenly over ${opts.servers} servers`);

const t0 = performance.now();
const { url, client } = await prepareBenchDatabase({ suffix: "soak", patients: opts.patients, heavy: false });
const { getDb, closeDb } = await import("../lib/db/client");
const { verifyChain } = await import("../lib/audit/verify");
const doctor = (await client.query(`SELECT u.id, u."facilityId" FROM "User" u WHERE u."loginId" = $1`, [DEMO_LOGIN])).rows[0] as { id: string; facilityId: string };
const mix = await consentedPatients(client, doctor.facilityId);
await client.end();
console.log(`soak database ${url.replace(/\/\/([^:/@]+):[^@]*@/, "//$1:***@")}: ${opts.patients} patients, ${mix.length} consented to ${doctor.facilityId} (the mix), set up in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

let servers: Server[] = [];
const stop = async () => {
  await Promise.all(servers.map((s) => s.stop()));
  servers = [];
};
process.once("SIGINT", async () => (await stop(), process.exit(130)));

/** Restarts the local cluster without blocking this process: the load goes on while PostgreSQL is away. */
function restartPostgres(): Promise<{ ok: boolean; seconds: number; output: string }> {
  const started = performance.now();
  const cluster = spawnSync("pg_lsclusters", ["-h"], { encoding: "utf8" }).stdout?.split("\n")[0]?.split(/\s+/).slice(0, 2) ?? [];
  if (cluster.length !== 2) return Promise.resolve({ ok: false, seconds: 0, output: "pg_lsclusters found no cluster" });
  return new Promise((resolve) => {
    let output = "";
    const child = spawn("pg_ctlcluster", [cluster[0]!, cluster[1]!, "restart"]);
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.on("error", (e) => resolve({ ok: false, seconds: 0, output: e.message }));
    child.on("exit", (code) => resolve({ ok: code === 0, seconds: ms1((performance.now() - started) / 1000), output: output.trim() }));
  });
}

try {
  const env = { ...process.env, DATABASE_URL: url, NODE_ENV: "production" as const };
  const built = await ensureBuild(opts.build, env);
  if (built) console.log(`next build: ${built.toFixed(1)} s`);
  const secret = { NEXTAUTH_SECRET: "soak-secret-not-for-production-use", TSUNAGU_AUDIT_KEY: "soak-audit-key-not-for-production-use" };
  for (let i = 0; i < opts.servers; i++) {
    const port = await freePort(3300 + i);
    servers.push(await startServer(port, { ...env, ...secret, PORT: String(port), NEXTAUTH_URL: `http://localhost:${port}` }));
  }
  const cookie = await login(servers[0]!.url, DEMO_LOGIN, DEMO_PASSWORD);
  const since = new Date();

  const restarted: { value: Promise<Awaited<ReturnType<typeof restartPostgres>>> | null } = { value: null };
  const restartTimer = opts.restartAt ? setTimeout(() => (restarted.value = restartPostgres()), opts.restartAt * 1000) : null;
  const run = await load(
    servers.map((s) => s.url),
    cookie,
    opts.connections,
    opts.seconds,
    'data-testid="safety-banner"',
    pathWalker(mix.map((id) => `/patients/${id}`)),
  );
  if (restartTimer) clearTimeout(restartTimer);
  await stop();
  const restart = restarted.value ? await restarted.value : null;

  // What the servers wrote, read once they have stopped: one RECORD_VIEW of the record per page served.
  // a new connection: a restart mid-run has closed the first one
  const after = new (await import("pg")).default.Client({ connectionString: url });
  await after.connect();
  const audit = Number(
    (
      await after.query(`SELECT count(*) AS n FROM "AuditEvent" WHERE "actorId" = $1 AND action = 'RECORD_VIEW' AND detail->>'what' = 'patient-record' AND outcome = 'ALLOW' AND at >= $2`, [
        doctor.id,
        since,
      ])
    ).rows[0].n,
  );
  await after.end();
  const chains = await verifyChain(await getDb());
  const byStatus = Object.entries(run.statuses).map(([s, n]) => [Number(s), n] as const);
  const count = (f: (s: number) => boolean) => byStatus.filter(([s]) => f(s)).reduce((n, [, c]) => n + c, 0);
  const views = run.statuses[200] ?? 0;
  const result = {
    seconds: opts.seconds,
    connections: opts.connections,
    servers: opts.servers,
    patients: opts.patients,
    mix: mix.length,
    requests: run.requests,
    rps: run.rps,
    p50: run.p50,
    p95: run.p95,
    status: run.statuses,
    fiveHundreds: count((s) => s >= 500 && s !== 503),
    busy503: run.statuses[503] ?? 0,
    wrongBody: run.mismatches,
    socketErrors: run.errors,
    views,
    auditRows: audit,
    chainsOk: chains.ok,
    eventsVerified: chains.checked,
    restart,
    cpus: os.cpus().length,
    at: new Date().toISOString(),
  };
  console.log(`${result.requests} answers in ${opts.seconds} s at ${opts.connections} connections (${result.rps}/s), p50 ${result.p50} ms, p95 ${result.p95} ms; by status ${JSON.stringify(result.status)}; socket errors ${run.errors}`);
  if (restart) console.log(`PostgreSQL restarted at ${opts.restartAt} s: ${restart.ok ? `done in ${restart.seconds} s` : `FAILED (${restart.output})`}`);
  console.log(`  5xx other than 503: ${result.fiveHundreds} — ${result.fiveHundreds === 0 ? "met" : "MISSED"}`);
  console.log(`  audit rows ${audit} for ${views} views served — ${audit === views ? "met" : audit > views ? `${audit - views} more rows than pages (a page cut off after its audited read)` : "MISSED: views without their audit row"}`);
  console.log(`  audit chains: ${chains.ok ? `ok, ${chains.checked} events verified` : `NOT ok: ${chains.findings.length} finding(s)`}`);
  console.log(`SOAK ${JSON.stringify(result)}`);
  process.exitCode = result.fiveHundreds === 0 && audit >= views && chains.ok ? 0 : 1;
} catch (e) {
  console.error(e instanceof Error ? (e.stack ?? e.message) : e);
  process.exitCode = 1;
} finally {
  await stop();
  await closeDb();
}
