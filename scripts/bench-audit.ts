// npm run bench -- --audit [--seconds N] [--concurrency N] [--patients N]
//
// Audited views per second at high concurrency (issue 17 part 3), PostgreSQL only. Each "view" is
// what every audited read pays: a transaction that reads the patient row and appends its audit event
// (recordAudit, under its chain's advisory lock through COMMIT). Two phases on one fresh
// "<db>_bench" database, alternated so that the machine's noise falls on both:
// - one chain: every event has no patient, so all of them wait on chain 0's lock; this is exactly
//   how every audited read waited on the single global lock before the trail was partitioned;
// - per-patient chains: each view is of a patient drawn from --patients (default 1,000), as real
//   traffic spreads, so views of patients on different chains never wait on each other.
// Each phase is run twice: through the app's own path (Prisma, recordAudit), and as the same statements
// by hand through node-postgres (bench/floor.ts floorAudit). On this 2-core machine Prisma's client CPU
// is the first limit; the hand-written path leaves the lock and COMMIT as the limit, which is what a
// network of many app servers in front of one database meets.
// Then audit:verify's walk over everything written. The last line is `BENCH {json}`.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { recreateBenchDatabase } from "../bench/database";
import { intAfter } from "../bench/args";
import { summarize, ms1 } from "../bench/stats";
import { floorAudit } from "../bench/floor";
import pg from "pg";

type Db = import("../lib/db/client").Db;

function usage(msg: string): never {
  console.error(`${msg}\nusage: npm run bench -- --audit [--seconds N] [--concurrency N] [--patients N]`);
  process.exit(2);
}

interface Phase {
  views: number;
  viewsPerS: number;
  p50: number;
  p95: number;
  errors: number;
}

/** Two rounds of one phase as one: views and errors summed, rates and p50 averaged, the worse p95. */
const merge = (ps: Phase[]): Phase => ({
  views: ps.reduce((n, p) => n + p.views, 0),
  viewsPerS: Math.round(ps.reduce((n, p) => n + p.viewsPerS, 0) / ps.length),
  p50: ms1(ps.reduce((n, p) => n + p.p50, 0) / ps.length),
  p95: Math.max(...ps.map((p) => p.p95)),
  errors: ps.reduce((n, p) => n + p.errors, 0),
});

type View = (patientId: string | null) => Promise<void>;

/** One audited view through the app's path: a Prisma interactive transaction and recordAudit. */
async function prismaView(db: Db): Promise<View> {
  const { recordAudit } = await import("../lib/audit/index");
  return (patientId) =>
    db.$transaction(async (tx) => {
      if (patientId) await tx.patient.findUnique({ where: { id: patientId }, select: { id: true } });
      await recordAudit(tx, { action: "RECORD_VIEW", outcome: "ALLOW", purpose: "TREATMENT", patientId, detail: { bench: true } });
    }).then(() => undefined);
}

/** The same view as statements by hand on a pooled node-postgres client. */
function sqlView(pool: pg.Pool): View {
  return async (patientId) => {
    const c = await pool.connect();
    const q = async (_label: string, text: string, values: unknown[] = []) => (await c.query(text, values)).rows;
    try {
      await q("BEGIN", "BEGIN");
      if (patientId) await q("patient", `SELECT id FROM "Patient" WHERE id = $1`, [patientId]);
      await floorAudit(q, { actor: null, patientId, at: new Date(), action: "RECORD_VIEW", detail: { bench: true } });
      await q("COMMIT", "COMMIT");
    } catch (e) {
      await c.query("ROLLBACK").catch(() => undefined);
      throw e;
    } finally {
      c.release();
    }
  };
}

/** `concurrency` workers, each doing one audited view after another, for `seconds`. */
async function drive(view: View, seconds: number, concurrency: number, patientOf: () => string | null): Promise<Phase> {
  const times: number[] = [];
  let errors = 0;
  const end = performance.now() + seconds * 1000;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        const patientId = patientOf();
        const t = performance.now();
        try {
          await view(patientId);
          times.push(performance.now() - t);
        } catch {
          errors++;
        }
      }
    }),
  );
  const elapsed = (performance.now() - t0) / 1000;
  const s = summarize(times);
  return { views: times.length, viewsPerS: Math.round(times.length / elapsed), p50: ms1(s.p50), p95: ms1(s.p95), errors };
}

export async function benchAudit(argv: string[]): Promise<number> {
  const opts = { seconds: 10, concurrency: 32, patients: 1000 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const int = (min: number) => intAfter(argv, i++, min, usage);
    if (a === "--seconds") opts.seconds = int(1);
    else if (a === "--concurrency") opts.concurrency = int(1);
    else if (a === "--patients") opts.patients = int(1);
    else usage(`unknown argument ${a} for --audit`);
  }
  if (!process.env.DATABASE_URL) usage("--audit needs DATABASE_URL (PostgreSQL): PGlite has one connection, so no two transactions ever overlap and there is no lock to wait on");
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "tsunagu-bench-audit-"));
  // lib/env reads these once, on first use: set before lib/db is imported
  process.env.TSUNAGU_AUDIT_CHECKPOINT_FILE = path.join(scratch, "audit-checkpoints.jsonl");
  process.env.TSUNAGU_DB_POOL_SIZE = String(opts.concurrency);
  process.env.TSUNAGU_DB_TX_WAIT_MS = "60000";
  process.env.DATABASE_URL = await recreateBenchDatabase(process.env.DATABASE_URL);
  const { migrateDatabase } = await import("../lib/db/migrate");
  const { getDb, closeDb } = await import("../lib/db/client");
  const { verifyAuditTrail } = await import("../lib/audit/verify");
  const { chainOf } = await import("../lib/audit/chains");
  try {
    await migrateDatabase();
    const db = await getDb();
    const ids = Array.from({ length: opts.patients }, (_, i) => `pat-ab${String(i).padStart(6, "0")}`);
    await db.patient.createMany({
      data: ids.map((id, i) => ({ id, familyName: "監査", givenName: "太郎", familyNameKana: "カンサ", givenNameKana: "タロウ", sex: i % 2 ? "FEMALE" : "MALE", birthDate: new Date("1960-01-01T00:00:00Z") })),
    });
    const chains = new Set(ids.map(chainOf)).size;
    console.log(`audit bench: PostgreSQL (fresh ${new URL(process.env.DATABASE_URL).pathname.slice(1)}); concurrency ${opts.concurrency}, pool ${opts.concurrency}; ${opts.patients} patients over ${chains} chains; ${os.cpus().length} CPUs, load average ${os.loadavg()[0]!.toFixed(2)}`);
    const random = () => ids[Math.floor(Math.random() * ids.length)]!;
    const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: opts.concurrency });
    const paths = { prisma: await prismaView(db), sql: sqlView(pool) };
    const results: Record<keyof typeof paths, { oneChain: Phase; perPatient: Phase; ratio: number }> = {} as never;
    try {
      for (const [name, view] of Object.entries(paths) as [keyof typeof paths, View][]) {
        await drive(view, 2, opts.concurrency, random); // warm-up: connections, plans
        // alternated, half the time each twice, so a noisy neighbour falls on both
        const half = opts.seconds / 2;
        const one: Phase[] = [];
        const many: Phase[] = [];
        for (let round = 0; round < 2; round++) {
          one.push(await drive(view, half, opts.concurrency, () => null));
          many.push(await drive(view, half, opts.concurrency, random));
        }
        const oneChain = merge(one);
        const perPatient = merge(many);
        const ratio = Math.round((perPatient.viewsPerS / Math.max(1, oneChain.viewsPerS)) * 100) / 100;
        results[name] = { oneChain, perPatient, ratio };
        const line = (label: string, p: Phase) => `  ${label}: ${p.viewsPerS} audited views/s (p50 ${p.p50} ms, p95 ${p.p95} ms; ${p.views} views, ${p.errors} errors)`;
        console.log(name === "prisma" ? "the app's path (Prisma, recordAudit):" : "the same statements by hand (node-postgres):");
        console.log(line("one chain (as the global lock was)", oneChain));
        console.log(line("per-patient chains              ", perPatient));
        console.log(`  ratio per-patient / one chain: ${ratio}×`);
      }
    } finally {
      await pool.end();
    }

    const t = performance.now();
    const v = await verifyAuditTrail(db);
    const verifySeconds = Math.round((performance.now() - t) / 100) / 10;
    console.log(`audit:verify: ${v.ok ? "ok" : "FAILED"}, ${v.checked} events in ${v.chains} chains in ${verifySeconds} s`);
    console.log("(a shared 2-core machine: the client, the server and PostgreSQL share the cores, so the figures are noisy; compare the ratio)");
    const result = {
      mode: "audit",
      engine: "postgresql",
      concurrency: opts.concurrency,
      patients: opts.patients,
      chains,
      ...results,
      verify: { ok: v.ok, events: v.checked, chains: v.chains, seconds: verifySeconds },
      load1: Math.round(os.loadavg()[0]! * 100) / 100,
      cpus: os.cpus().length,
      at: new Date().toISOString(),
    };
    console.log(`BENCH ${JSON.stringify(result)}`);
    const errors = Object.values(results).reduce((n, r) => n + r.oneChain.errors + r.perPatient.errors, 0);
    return v.ok && errors === 0 ? 0 : 1;
  } finally {
    await closeDb();
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}
