// npm run bench -- --import [--records N] [--parallel N] [--keep]   (--parallel: patients at once, default 8 on PostgreSQL)
//
// The importers' throughput: a generated SS-MIX2 standardized storage tree and a folder of JP-CLINS
// Bundles (bench/import-data.ts, from the real fixtures), ≥ --records records in all (default 100,000),
// for one facility whose patient ids are linked beforehand, so files are filed, not held. Then
// importSsmix2Tree and importFhirPath, timed separately: records/s, files/s, peak RSS, and memory at
// 25/50/75/100 % of the files (does it stay flat over 100,000 files?). On DATABASE_URL's server (a
// fresh "<db>_bench" database, as npm run bench does) or, without it, a fresh PGlite directory.
// The last line is `BENCH {json}`.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import type { FileOutcome } from "../lib/ingest/ssmix2-file";
import { BENCH_FACILITY_CODE, planPatients, writeFhirFolder, writeSsmix2Tree, type BenchPatient } from "../bench/import-data";
import { recreateBenchDatabase } from "../bench/database";
import { intAfter } from "../bench/args";

const TARGET_RECORDS_PER_S = 2000;
const CHUNK = 1000;

type Db = import("../lib/db/client").Db;
type Summary = import("../lib/ingest/summary").ImportSummary;

function usage(msg: string): never {
  console.error(`${msg}\nusage: npm run bench -- --import [--records N] [--parallel N] [--keep]`);
  process.exit(2);
}

/** RSS every 250 ms (the peak between samples is missed, so this is a floor of the true peak). */
function rssSampler() {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 250);
  timer.unref();
  return { peak: () => (peak = Math.max(peak, process.memoryUsage().rss)), stop: () => clearInterval(timer) };
}
const mb = (bytes: number) => Math.round(bytes / 1048576);

/**
 * Statements sent to PostgreSQL (every query of node-postgres in this process, BEGIN/COMMIT included):
 * per file, the round trips that bound a one-transaction-per-file importer. PGlite does not use pg.
 */
function statementCounter() {
  const proto = pg.Client.prototype as unknown as { query: (...a: unknown[]) => unknown };
  const original = proto.query;
  let n = 0;
  proto.query = function (this: unknown, ...a: unknown[]) {
    n++;
    return original.apply(this, a);
  };
  return { count: () => n, stop: () => (proto.query = original) };
}

/**
 * The database server's CPU spent on this bench's database (its backends' user + system time from
 * /proc, when the server runs on this machine): with this process's CPU, where a file's cost goes.
 * Null when the backends cannot be read (a remote server, PGlite).
 */
async function serverCpuMeter(url: string | undefined) {
  if (!url) return null;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const tick = 1000 / 100; // ms per clock tick (USER_HZ is 100 on Linux)
  const read = async () => {
    const { rows } = await client.query<{ pid: number }>("SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()");
    const ms = new Map<number, number>();
    for (const { pid } of rows) {
      try {
        const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
        ms.set(pid, (Number(fields[11]) + Number(fields[12])) * tick);
      } catch {
        return null;
      }
    }
    return ms;
  };
  return {
    /** a mark to measure from; `since(mark)` is the server's CPU ms since, in backends alive at both ends or started since */
    mark: read,
    since: async (from: Map<number, number> | null) => {
      const to = await read();
      if (!from || !to) return null;
      let ms = 0;
      for (const [pid, t] of to) ms += t - (from.get(pid) ?? 0);
      return ms;
    },
    close: () => client.end(),
  };
}

interface Phase {
  files: number;
  records: number;
  seconds: number;
  recordsPerS: number;
  filesPerS: number;
  counts: Summary["counts"];
  /** RSS and heap (MB) after 25/50/75/100 % of the files */
  memory: { at: string; rssMb: number; heapMb: number }[];
  warnings: number;
  /** PostgreSQL statements per file (null on PGlite) */
  statementsPerFile: number | null;
  /**
   * this process's CPU time per file (ms): steadier than records/s on a shared machine, where the
   * wall clock mostly measures the neighbours (the database's own CPU is not in it)
   */
  cpuMsPerFile: number;
  /** the database server's CPU time per file (ms), where it can be read (serverCpuMeter) */
  serverCpuMsPerFile: number | null;
}

/**
 * A CHECKPOINT before a timed phase, so that the phase starts with every buffer written: otherwise the
 * writes of what came before (the seed, the other format's phase) land in this phase's backends as
 * they evict dirty buffers, and a phase's database CPU per file varied between runs by more than two
 * times (FHIR: 1.4 against 3.9 ms). "pglite": nothing to do; "refused": the role may not checkpoint.
 */
async function checkpoint(url: string | undefined): Promise<"done" | "refused" | "pglite"> {
  if (!url) return "pglite";
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query("CHECKPOINT");
    return "done";
  } catch {
    return "refused";
  } finally {
    await client.end();
  }
}

/** One timed import, with memory checkpoints from the files it reports as it goes. */
async function timed(label: string, expectedFiles: number, run: (onFile: (o: FileOutcome) => void) => Promise<Summary>): Promise<Phase> {
  const marks = [0.25, 0.5, 0.75, 1].map((f) => ({ at: `${f * 100}%`, file: Math.max(1, Math.round(expectedFiles * f)) }));
  const memory: Phase["memory"] = [];
  let done = 0;
  const server = await serverCpuMeter(process.env.DATABASE_URL);
  const serverMark = await server?.mark();
  const statements = statementCounter();
  const cpu = process.cpuUsage();
  const t = performance.now();
  const summary = await run(() => {
    done++;
    for (const m of marks) {
      if (m.file === done) {
        const u = process.memoryUsage();
        memory.push({ at: m.at, rssMb: mb(u.rss), heapMb: mb(u.heapUsed) });
        process.stderr.write(`  ${label} ${m.at} of files: ${((performance.now() - t) / 1000).toFixed(1)} s, rss ${mb(u.rss)} MB, heap ${mb(u.heapUsed)} MB\n`);
      }
    }
  });
  const seconds = (performance.now() - t) / 1000;
  const used = process.cpuUsage(cpu);
  statements.stop();
  const serverMs = server ? await server.since(serverMark ?? null) : null;
  await server?.close();
  return {
    files: summary.filesRead,
    records: summary.records,
    seconds: Math.round(seconds * 10) / 10,
    recordsPerS: Math.round(summary.records / seconds),
    filesPerS: Math.round(summary.filesRead / seconds),
    counts: summary.counts,
    memory,
    warnings: summary.warningCount, // every warning, not the first WARNINGS_KEPT the summary keeps word for word
    cpuMsPerFile: Math.round(((used.user + used.system) / 1000 / Math.max(1, summary.filesRead)) * 100) / 100,
    serverCpuMsPerFile: serverMs === null ? null : Math.round((serverMs / Math.max(1, summary.filesRead)) * 100) / 100,
    statementsPerFile: process.env.DATABASE_URL ? Math.round((statements.count() / Math.max(1, summary.filesRead)) * 10) / 10 : null,
  };
}

/** The facility and its patients, linked by local id: bulk inserts, before anything is timed. */
async function seedNetwork(db: Db, patients: BenchPatient[]): Promise<string> {
  const facilityId = "fac-bench-import";
  await db.facility.create({ data: { id: facilityId, code: BENCH_FACILITY_CODE, name: "ベンチ病院", kind: "HOSPITAL" } });
  for (let i = 0; i < patients.length; i += CHUNK) {
    const part = patients.slice(i, i + CHUNK);
    await db.patient.createMany({
      data: part.map((p) => ({
        id: `bp-${p.localId}`, familyName: "患者", givenName: "太郎", familyNameKana: "カンジャ", givenNameKana: "タロウ",
        sex: p.sex, birthDate: new Date(`${p.birth}T00:00:00Z`), insurerNumber: "00012345", insuredSymbol: "あいう", insuredNumber: p.insuredNumber, insuredBranch: "01",
      })),
    });
    await db.patientLink.createMany({ data: part.map((p) => ({ patientId: `bp-${p.localId}`, id: `lk-bench-${p.localId}`, facilityId, localPatientId: p.localId, provenance: "SEED", branchNumber: "01" })) });
  }
  return facilityId;
}

export async function benchImport(argv: string[]): Promise<number> {
  const opts: { records: number; parallel?: number; keep: boolean } = { records: 100_000, keep: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const int = (min: number) => intAfter(argv, i++, min, usage);
    if (a === "--records") opts.records = int(100);
    else if (a === "--parallel") opts.parallel = int(1); // patients at once (PostgreSQL only); default lib/ingest/lanes' defaultLanes
    else if (a === "--keep") opts.keep = true;
    else usage(`unknown argument ${a} for --import`);
  }
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "tsunagu-bench-import-"));
  // lib/env reads these once, on first use: set before lib/db is imported
  process.env.TSUNAGU_AUDIT_CHECKPOINT_FILE = path.join(scratch, "audit-checkpoints.jsonl");
  let engine: string;
  if (process.env.DATABASE_URL) {
    // its own database, not the read bench's "<db>_bench": the two may run side by side
    process.env.DATABASE_URL = await recreateBenchDatabase(process.env.DATABASE_URL, "import_bench");
    engine = `PostgreSQL ${process.env.DATABASE_URL.replace(/\/\/([^:/@]+):[^@]*@/, "//$1:***@")} (fresh)`;
  } else {
    process.env.PGLITE_DIR = path.join(scratch, "pglite");
    if ((opts.parallel ?? 1) > 1) console.log("--parallel ignored: PGlite has one connection, so transactions cannot overlap");
    opts.parallel = 1;
    engine = `PGlite ${process.env.PGLITE_DIR} (fresh; DATABASE_URL not set)`;
  }
  const { migrateDatabase } = await import("../lib/db/migrate");
  const { getDb, closeDb } = await import("../lib/db/client");
  const { importSsmix2Tree } = await import("../lib/ingest/ssmix2-tree");
  const { importFhirPath } = await import("../lib/ingest/fhir-files");
  const { defaultLanes } = await import("../lib/ingest/lanes");
  const lanes = opts.parallel ?? defaultLanes(process.env.DATABASE_URL ? "postgresql" : "pglite");
  const rss = rssSampler();
  console.log(`import bench: ${engine}; ${os.cpus().length} CPUs, load average ${os.loadavg()[0]!.toFixed(2)}, Node ${process.version}; scratch ${scratch}`);
  try {
    let t = performance.now();
    const { patients, expectedRecords } = planPatients(opts.records);
    const ssRoot = path.join(scratch, "ssmix2");
    const fhirDir = path.join(scratch, "fhir");
    const ssFiles = await writeSsmix2Tree(ssRoot, patients);
    const fhirFiles = await writeFhirFolder(fhirDir, patients);
    console.log(`generated in ${((performance.now() - t) / 1000).toFixed(1)} s: ${patients.length} patients; SS-MIX2 ${ssFiles} files (${expectedRecords.ssmix2} records expected), FHIR ${fhirFiles} Bundles (${expectedRecords.fhir} records expected)`);

    t = performance.now();
    await migrateDatabase();
    const db = await getDb();
    await seedNetwork(db, patients);
    console.log(`migrated and seeded in ${((performance.now() - t) / 1000).toFixed(1)} s: 1 facility (${BENCH_FACILITY_CODE}), ${patients.length} patients, ${patients.length} links`);

    const by = "bench";
    const checkpointed = [await checkpoint(process.env.DATABASE_URL)];
    const ss = await timed("SS-MIX2", ssFiles, (onFile) => importSsmix2Tree(db, BENCH_FACILITY_CODE, ssRoot, { by, onFile, parallel: lanes }));
    checkpointed.push(await checkpoint(process.env.DATABASE_URL));
    // FHIR in lanes too: each Bundle is read before it is filed, so its patient (its lane) is known
    const fhir = await timed("FHIR", fhirFiles, (onFile) => importFhirPath(db, BENCH_FACILITY_CODE, fhirDir, { by, onFile, parallel: lanes }));
    rss.stop();

    const line = (name: string, p: Phase) =>
      `${name}: ${p.files} files in ${p.seconds} s — ${p.recordsPerS} records/s, ${p.filesPerS} files/s; ${p.records} records; ` +
      `created ${p.counts.created}, replaced ${p.counts.replaced}, unchanged ${p.counts.unchanged}, held ${p.counts.held}, rejected ${p.counts.rejected}, not imported ${p.counts.not_imported}; ${p.warnings} warnings; ${p.statementsPerFile ?? "n/a"} statements/file; ${p.cpuMsPerFile} ms CPU/file (database server ${p.serverCpuMsPerFile ?? "n/a"}); ` +
      `memory ${p.memory.map((m) => `${m.at} rss ${m.rssMb}/heap ${m.heapMb} MB`).join(", ")}`;
    console.log(line("SS-MIX2", ss));
    console.log(line("FHIR   ", fhir));
    const total = ss.records + fhir.records;
    const overall = Math.round(total / (ss.seconds + fhir.seconds));
    console.log(`total ${total} records; peak RSS ${mb(rss.peak())} MB (sampled every 250 ms); parallel ${lanes}; target ≥ ${TARGET_RECORDS_PER_S} records/s: SS-MIX2 ${ss.recordsPerS >= TARGET_RECORDS_PER_S ? "met" : "MISSED"}, FHIR ${fhir.recordsPerS >= TARGET_RECORDS_PER_S ? "met" : "MISSED"}`);
    if (checkpointed.every((c) => c === "done")) console.log("each phase began with a CHECKPOINT: neither pays for the dirty pages of what came before");
    if (checkpointed.includes("refused")) console.log("no CHECKPOINT before the phases (this role may not: GRANT pg_checkpoint TO it): a phase may pay for the dirty pages of what came before, its database CPU per file then up to about doubles");
    console.log("(a shared 2-core machine: another engineer's tests may run beside this, so the figures are noisy)");

    // Filed, not held: a bench that times the refusal path would measure the wrong thing.
    const failed = [["SS-MIX2", ss, ssFiles] as const, ["FHIR", fhir, fhirFiles] as const].filter(([, p, n]) => p.counts.created < 0.95 * n);
    for (const [name, p, n] of failed) console.error(`FAILED: ${name} created only ${p.counts.created} of ${n} files (held ${p.counts.held}, rejected ${p.counts.rejected}): the bench did not measure filing`);
    const result = {
      mode: "import",
      engine: process.env.DATABASE_URL ? "postgresql" : "pglite",
      patients: patients.length,
      parallel: lanes,
      totalRecords: total,
      recordsPerS: overall,
      ssmix2: ss,
      fhir,
      peakRssMb: mb(rss.peak()),
      checkpointed: checkpointed.every((c) => c === "done"),
      met: { ssmix2: ss.recordsPerS >= TARGET_RECORDS_PER_S, fhir: fhir.recordsPerS >= TARGET_RECORDS_PER_S },
      load1: Math.round(os.loadavg()[0]! * 100) / 100,
      cpus: os.cpus().length,
      at: new Date().toISOString(),
    };
    console.log(`BENCH ${JSON.stringify(result)}`);
    return failed.length ? 1 : 0;
  } finally {
    rss.stop();
    await closeDb();
    if (!opts.keep) fs.rmSync(scratch, { recursive: true, force: true });
  }
}
