// Every statement lib/record sends while a clinician views one patient names that patient, on every
// clinical table it reads: what lets Citus route the view to the one node holding the whole record
// (DESIGN.md, Scale; lib/db/citus.ts distributes those tables by patient id). Citus cannot be
// installed here, so this captures the statements on the wire (node-postgres: PostgreSQL only; the
// PGlite pass has no wire) and asks PostgreSQL how it would run each one. With sequential scans and
// hash or merge joins priced out, every scan of a distributed table must be an index condition or
// filter on the patient's id, or on the patient key of a row already pinned to them. Its twin: a
// statement over every patient's results is caught.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seededDatabase } from "./helpers/seeded";
import { testActor } from "./helpers/actor";
import { CITUS_PLAN } from "../lib/db/citus";
import { captureStatements, planOf, scanNodes, type SentStatement } from "../bench/plans";
import type { Actor } from "../lib/auth/actor";

const onPostgres = !!process.env.DATABASE_URL;
const NOW = new Date("2026-12-01T00:00:00Z");
const doctor1 = testActor("fac-01", "DOCTOR", { userId: "usr-doctor1", facilityName: "つなぐ中央病院" });
const pharmacist1 = testActor("fac-06", "PHARMACIST", { userId: "usr-pharmacist1", facilityName: "あおば薬局 本町店" });
const er1 = testActor("fac-01", "EMERGENCY", { userId: "usr-er1", facilityName: "つなぐ中央病院", facilityCanBreakGlass: true });

let ctx: Awaited<ReturnType<typeof seededDatabase>>;
let patientIds: string[] = [];

beforeAll(async () => {
  if (!onPostgres) return;
  ctx = await seededDatabase(NOW);
  await ctx.db.breakGlass.create({ data: { patientId: "pat-0003", id: "bg-shard", userId: er1.userId, facilityId: "fac-01", reason: "UNCONSCIOUS", startedAt: NOW, expiresAt: new Date(NOW.getTime() + 3_600_000) } });
  patientIds = (await ctx.db.patient.findMany({ select: { id: true } })).map((p) => p.id);
}, 180_000);
afterAll(async () => ctx?.close());

const DISTRIBUTED = Object.keys(CITUS_PLAN.distributed);
const tablesIn = (sql: string) => DISTRIBUTED.filter((t) => new RegExp(`"${t}"(?!\\s*\\.\\s*")`).test(sql) || sql.includes(`"public"."${t}"`));

/**
 * What is wrong with one statement for a sharded record of `patientId`: a scan of a distributed table
 * that no condition ties to this patient, or any other patient's id in its values.
 */
async function shardProblems(client: pg.Client, s: SentStatement, patientId: string): Promise<string[]> {
  const tables = tablesIn(s.text);
  if (!tables.length) return [];
  const problems: string[] = [];
  const others = patientIds.filter((p) => p !== patientId && s.values.some((v) => v === p || (Array.isArray(v) && v.includes(p))));
  if (others.length) problems.push(`names other patients ${others.join(", ")}`);
  if (/^\s*INSERT/i.test(s.text)) {
    if (!s.values.some((v) => v === patientId || (Array.isArray(v) && v.includes(patientId)))) problems.push("an insert without the patient's id");
    return problems.map((p) => `${p}: ${s.text.slice(0, 160)}`);
  }
  // An unnamed statement is planned with its values bound, so the plan shows them as constants.
  const { plan } = await planOf(client, s);
  const literal = `'${patientId}'`;
  for (const n of scanNodes(plan)) {
    const table = n["Relation Name"] as string;
    if (!DISTRIBUTED.includes(table)) continue;
    const conds = ["Index Cond", "Recheck Cond", "Filter"].map((k) => String(n[k] ?? "")).join(" ");
    const key = CITUS_PLAN.distributed[table]!;
    // pinned: the patient's id itself, or a join on the patient key to a row of the same patient
    const own = `(?:[a-z0-9_]+\\.)?"?${key}"?`;
    const other = `[a-z0-9_]+\\."?(?:patientId|id)"?`;
    const pinned = conds.includes(literal) || new RegExp(`${own}\\s*=\\s*${other}|${other}\\s*=\\s*${own}`).test(conds);
    if (!pinned) problems.push(`${n["Node Type"]} on ${table} not tied to the patient [${conds.trim() || "no condition"}]`);
  }
  return problems.map((p) => `${p}: ${s.text.slice(0, 160)}`);
}

async function problemsOf(patientId: string, run: () => Promise<unknown>): Promise<{ statements: number; problems: string[] }> {
  const { sent } = await captureStatements(run);
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try {
    await client.query("SET enable_seqscan = off; SET enable_hashjoin = off; SET enable_mergejoin = off");
    const problems: string[] = [];
    for (const s of sent) problems.push(...(await shardProblems(client, s, patientId)));
    return { statements: sent.filter((s) => tablesIn(s.text).length).length, problems };
  } finally {
    await client.end();
  }
}

describe.skipIf(!onPostgres)("every statement of a patient's view names that patient (Citus routing)", () => {
  const reads: [string, string, Actor, () => Promise<unknown>][] = [];
  const add = (name: string, patientId: string, actor: Actor, fn: (r: typeof import("../lib/record")) => Promise<unknown>) =>
    reads.push([name, patientId, actor, async () => fn(await import("../lib/record"))]);

  add("統合ビュー first screen", "pat-0001", doctor1, (r) => r.getPatientView(doctor1, "pat-0001"));
  add("timeline, second page", "pat-0001", doctor1, async (r) => {
    const first = await r.getTimelinePage(doctor1, "pat-0001", { limit: 20 });
    return r.getTimelinePage(doctor1, "pat-0001", { cursor: first.nextCursor!, limit: 20 });
  });
  add("timeline filtered by kind and text", "pat-0001", doctor1, (r) => r.getTimelinePage(doctor1, "pat-0001", { kinds: "lab,prescription", q: "HbA1c" }));
  add("record map by month", "pat-0001", doctor1, (r) => r.getMonthlyRecordMap(doctor1, "pat-0001"));
  add("lab trend", "pat-0001", doctor1, (r) => r.getLabTrend(doctor1, "pat-0001", {}));
  add("lab flowsheet", "pat-0001", doctor1, (r) => r.getLabFlowsheet(doctor1, "pat-0001", {}));
  add("medication history (pharmacist)", "pat-0002", pharmacist1, (r) => r.getMedicationHistory(pharmacist1, "pat-0002"));
  add("a referral letter", "pat-0001", doctor1, async (r) => {
    const page = await r.getTimelinePage(doctor1, "pat-0001", { kinds: "document", limit: 1 });
    return r.getDocument(doctor1, "pat-0001", page.entries[0]!.id);
  });
  add("FHIR export, first and second page", "pat-0001", doctor1, async (r) => {
    const first = await r.getExportPage(doctor1, "pat-0001", { _count: 20 });
    return first.next ? r.getExportPage(doctor1, "pat-0001", { _count: 20, cursor: first.next }) : first;
  });
  add("consent overview", "pat-0001", doctor1, (r) => r.getConsentOverview(doctor1, "pat-0001"));
  add("emergency dataset under break-glass", "pat-0003", er1, (r) => r.getEmergencySummary(er1, "pat-0003"));

  for (const [name, patientId, , run] of reads) {
    it(`${name} (${patientId})`, async () => {
      const { statements, problems } = await problemsOf(patientId, run);
      expect(statements).toBeGreaterThan(0);
      expect(problems).toEqual([]);
    });
  }

  it("twin: a statement over every patient's lab results is caught, and one for this patient passes", async () => {
    const everyone = await problemsOf("pat-0001", () => ctx.db.$queryRawUnsafe(`SELECT count(*) FROM "LabResult" WHERE "valueNumeric" > $1`, 5));
    expect(everyone.problems).toHaveLength(1);
    expect(everyone.problems[0]).toMatch(/on LabResult not tied to the patient/);
    const one = await problemsOf("pat-0001", () => ctx.db.$queryRawUnsafe(`SELECT count(*) FROM "LabResult" WHERE "patientId" = $1 AND "valueNumeric" > $2`, "pat-0001", 5));
    expect(one.problems).toEqual([]);
    const other = await problemsOf("pat-0001", () => ctx.db.$queryRawUnsafe(`SELECT count(*) FROM "LabResult" WHERE "patientId" = $1`, "pat-0002"));
    expect(other.problems.join()).toMatch(/other patients pat-0002/);
  });
});
