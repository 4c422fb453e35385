// npm run bench -- --everything-large [--resources N] [--count N] [--iterations N]
//
// $everything of one very large record (issue 15): a synthetic patient of ≥ N FHIR resources (default
// 100,000; bench/large-record.ts: visits with an encounter, a prescription and its dispense of three drugs,
// a JLAC10 lab panel with ranges and flags; checkups with items, letters, procedures, conditions,
// allergies), and two more of N/4 and N/2 in the same database, each consented to doctor1's facility.
// PostgreSQL only, on a fresh "<db>_everything_bench" next to DATABASE_URL, generated inside the database.
// For each size, smallest first: the whole export page by page (_count=100, --count N) through
// getExportPage, the path the API answers with, as doctor1 following link[next] — total time,
// resources/s, µs per resource, page p50/p95, the p50 of the first and of the last tenth of the pages
// (a page that scans from the record's start shows here), the heap's growth and the process's peak RSS.
// The sum of the pages must be the planned record exactly (no cap). Then the largest record's first page
// against its own statements replayed by hand (the SQL floor, alternated; --iterations, default 40).
// Cost grows linearly when the per-resource cost and the page p50 stay flat across the sizes.
// The last line is `BENCH {json}`.
import os from "node:os";
import pg from "pg";
import { recreateBenchDatabase } from "../bench/database";
import { intAfter } from "../bench/args";
import { insertLargePatient, largeRecordPlan, type LargeRecord } from "../bench/large-record";
import { migrateAndSeed } from "../bench/setup";
import { firstAndLastTenth, ms1, summarize, type Summary } from "../bench/stats";

function usage(msg: string): never {
  console.error(`${msg}\nusage: npm run bench -- --everything-large [--resources N] [--count N] [--iterations N]`);
  process.exit(2);
}

interface SizeFigures {
  patientId: string;
  planned: number;
  resources: number;
  pages: number;
  seconds: number;
  resourcesPerS: number;
  usPerResource: number;
  page: Summary;
  /** page p50 over the first and over the last tenth of the pages */
  early: number;
  late: number;
  heapGrowthMb: number;
  peakRssMb: number;
}

const MB = 1048576;

export async function benchEverythingLarge(argv: string[]): Promise<number> {
  const opts = { resources: 100_000, count: 100, iterations: 40 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--resources") opts.resources = intAfter(argv, i++, 1000, usage);
    else if (a === "--count") opts.count = intAfter(argv, i++, 1, usage);
    else if (a === "--iterations") opts.iterations = intAfter(argv, i++, 1, usage);
    else usage(`unknown argument ${a}`);
  }
  if (opts.count > 1000) usage("--count is at most 1000 (the API's largest page)");
  if (!process.env.DATABASE_URL) {
    console.error("--everything-large needs PostgreSQL: set DATABASE_URL (the role needs CREATEDB; a database <db>_everything_bench is made next to it)");
    return 2;
  }
  const t0 = performance.now();
  const sizes = [Math.round(opts.resources / 4), Math.round(opts.resources / 2), opts.resources];
  const plans = sizes.map((n) => ({ id: `pat-large-${String(n).padStart(7, "0")}`, plan: largeRecordPlan(n) }));

  // the database: lib/db reads DATABASE_URL on first use, so it is pointed at the bench database first
  const url = await recreateBenchDatabase(process.env.DATABASE_URL, "everything_bench");
  process.env.DATABASE_URL = url;
  const { defaultNow } = await import("../prisma/seed/index");
  const now = defaultNow();
  await migrateAndSeed(now, 20);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const { getDb, closeDb } = await import("../lib/db/client");
  const { toActor } = await import("../lib/auth/to-actor");
  const { measureFirstPage, walkExport } = await import("../bench/everything");
  try {
    let t = performance.now();
    await client.query("SET synchronous_commit = off");
    let rows = 0;
    for (const { id, plan } of plans) rows += await insertLargePatient(client, id, plan, now);
    await client.query("RESET synchronous_commit");
    await client.query("ANALYZE");
    const seconds = (from: number) => Math.round((performance.now() - from) / 100) / 10;
    console.log(`bench database: ${url.replace(/\/\/([^:/@]+):[^@]*@/, "//$1:***@")}, ${os.cpus().length} CPUs, load ${os.loadavg().map((x) => x.toFixed(2)).join(" ")}, Node ${process.version}`);
    console.log(`generated ${plans.length} patients, ${rows.toLocaleString("en-US")} rows with items, in ${seconds(t)} s: ${plans.map(({ id, plan }) => `${id} ${describe(plan)}`).join("; ")}`);

    const db = await getDb();
    const u = await db.user.findUniqueOrThrow({ where: { loginId: "doctor1" }, include: { facility: true } });
    const actor = toActor(u, { id: "bench", mfa: true });

    // the largest record's first page against its replayed statements; this also warms the process up
    const largest = plans[plans.length - 1]!;
    t = performance.now();
    const first = await measureFirstPage(client, actor, largest.id, opts.iterations);
    console.log(
      `first page of ${largest.id} (_count=100), ${opts.iterations} iterations alternated with its replayed statements, in ${seconds(t)} s: ` +
        `p50 ${first.firstPage.p50} ms p95 ${first.firstPage.p95} ms (${first.firstPage.resources} resources, ${first.firstPage.statements} statements); ` +
        `replayed p50 ${first.firstPageReplayed!.p50} ms — ratio ${first.ratio} (target ≤ 2: ${first.ratio! <= 2 ? "met" : "MISSED"})`,
    );

    const figures: SizeFigures[] = [];
    for (const { id, plan } of plans) {
      const w = await walkExport(actor, id, opts.count);
      if (w.resources !== plan.resources) throw new Error(`${id}: the pages held ${w.resources} resources, the record ${plan.resources}`);
      const { early, late } = firstAndLastTenth(w.pageTimes);
      const f: SizeFigures = {
        patientId: id,
        planned: sizes[figures.length]!,
        resources: w.resources,
        pages: w.pages,
        seconds: Math.round(w.ms / 100) / 10,
        resourcesPerS: Math.round(w.resources / (w.ms / 1000)),
        usPerResource: Math.round((w.ms * 1000) / w.resources),
        page: summarize(w.pageTimes),
        early: early.p50,
        late: late.p50,
        heapGrowthMb: Math.round(w.heapGrowth / MB),
        peakRssMb: Math.round(w.peakRss / MB),
      };
      figures.push(f);
      console.log(
        `  ${f.resources.toLocaleString("en-US").padStart(8)} resources: ${f.pages} pages in ${f.seconds} s, ${f.resourcesPerS.toLocaleString("en-US")} resources/s, ${f.usPerResource} µs/resource; ` +
          `page p50 ${f.page.p50} ms p95 ${f.page.p95} ms (first tenth p50 ${f.early} ms, last tenth ${f.late} ms); heap grew ≤ ${f.heapGrowthMb} MB, RSS ≤ ${f.peakRssMb} MB`,
      );
    }
    const small = figures[0]!;
    const big = figures[figures.length - 1]!;
    const growth = {
      pageP50: ms1(big.page.p50 / small.page.p50),
      perResource: ms1(big.usPerResource / small.usPerResource),
      lateToEarly: ms1(big.late / big.early),
    };
    const linear = growth.pageP50 <= 1.5 && growth.perResource <= 1.5 && growth.lateToEarly <= 1.5;
    const maxRssMb = Math.round((process.resourceUsage().maxRSS * 1024) / MB);
    console.log(
      `linear growth: page p50 at ${big.resources.toLocaleString("en-US")} ÷ at ${small.resources.toLocaleString("en-US")} = ${growth.pageP50}, µs/resource ${growth.perResource}, ` +
        `last tenth ÷ first tenth of the largest ${growth.lateToEarly} — ${linear ? "met (≈ 1: each page costs the same wherever it falls)" : "MISSED"}; process peak RSS (maxRSS) ${maxRssMb} MB`,
    );
    console.log(`total ${seconds(t0)} s`);
    console.log(
      `BENCH ${JSON.stringify({ mode: "everything-large", count: opts.count, rows, firstPage: first, sizes: figures, growth, linear, maxRssMb, load1: os.loadavg()[0], cpus: os.cpus().length, at: new Date().toISOString() })}`,
    );
    return 0;
  } catch (e) {
    console.error(e instanceof Error ? (e.stack ?? e.message) : e);
    return 1;
  } finally {
    await client.end().catch(() => {});
    await closeDb();
  }
}

function describe(plan: LargeRecord): string {
  return `${plan.resources.toLocaleString("en-US")} resources (${plan.visits.toLocaleString("en-US")} visits)`;
}
