import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDatabase } from "./helpers/db";
import type { Db } from "../lib/db/client";
import { importFhirPath } from "../lib/ingest/fhir-files";
import { batchesOf, BATCH_FILES, fileBatch, type BatchedFile } from "../lib/ingest/batches";
import { fileOutcome, type FileOutcome } from "../lib/ingest/storage-document";
import pg from "pg";
import { verifyChain } from "../lib/audit";

/**
 * A patient's consecutive documents share one transaction (lib/ingest/batches), and each is still
 * whole or absent: a document the database refuses is rejected alone, with its reason, while the
 * documents before and after it in the same batch land with their audit events; a resend later in
 * the same batch replaces the report filed earlier in it. (A killed batch: tests/import-killed.)
 */
const REFERRAL = JSON.parse(fs.readFileSync(path.resolve(__dirname, "../../shared/fixtures/jp-clins/Bundle-Bundle-CLINS-Referral-Example-01.json"), "utf8"));
let ctx: Awaited<ReturnType<typeof freshDatabase>>;
let db: Db;
const dirs: string[] = [];

beforeAll(async () => {
  ctx = await freshDatabase();
  db = ctx.db;
  await db.facility.create({ data: { id: "fH", code: "1318814790", name: "東京みなと病院", kind: "HOSPITAL" } });
  await db.patient.create({ data: { id: "tp", familyName: "牧野", givenName: "爛漫", familyNameKana: "マキノ", givenNameKana: "ランマン", sex: "FEMALE", birthDate: new Date("1930-06-28") } });
  await db.patientLink.create({ data: { patientId: "tp", id: "lk", facilityId: "fH", localPatientId: "000999739" } });
});
afterAll(async () => {
  await ctx?.close();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

/** The referral letter as report `key` (its Bundle.identifier), sent at `timestamp`, edited by `edit`. */
function letter(key: string, timestamp: string, edit: (b: typeof REFERRAL) => void = () => {}) {
  const b = structuredClone(REFERRAL);
  b.identifier.value = `1318814790^2024^${key}`;
  b.timestamp = timestamp;
  edit(b);
  return b;
}

/** A folder of documents, imported in name order: one patient's, so one lane and one batch. */
async function importFolder(docs: Record<string, unknown>) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fhir-batch-"));
  dirs.push(dir);
  for (const [name, doc] of Object.entries(docs)) fs.writeFileSync(path.join(dir, name), JSON.stringify(doc));
  const outcomes: Record<string, string> = {};
  const summary = await importFhirPath(db, "1318814790", dir, { by: "test", onFile: (o) => (outcomes[o.file] = o.status) });
  return { summary, outcomes };
}

describe("a patient's documents filed in one batch", () => {
  it("rejects a document the database refuses alone, with its reason, and files its neighbours with their audit events", async () => {
    // a NUL character: JSON allows it, PostgreSQL's text and jsonb do not, so the letter's statement fails
    const bad = letter("batch-2", "2024-11-26T10:00:00+09:00", (b) => (b.entry[0].resource.title = "診療情報提供書\u0000"));
    const { summary, outcomes } = await importFolder({ "1.json": letter("batch-1", "2024-11-26T10:00:00+09:00"), "2.json": bad, "3.json": letter("batch-3", "2024-11-26T10:00:00+09:00") });
    expect(outcomes).toEqual({ "1.json": "created", "2.json": "rejected", "3.json": "created" });
    expect(summary.rejected).toEqual([{ file: "2.json", reason: expect.stringMatching(/^ERROR: /) }]);
    const filed = await db.ingestDocument.findMany({ where: { facilityId: "fH" }, select: { sourceFile: true, records: true } });
    expect(filed.map((d) => d.sourceFile).sort()).toEqual(["1.json", "3.json"]);
    for (const d of filed) expect((d.records as unknown[]).length).toBe(9);
    // nothing of the refused letter: its records, its ledger entry, its audit event
    expect(await db.document.count({ where: { facilityId: "fH" } })).toBe(2);
    expect(await db.condition.count({ where: { facilityId: "fH" } })).toBe(10);
    const events = await db.auditEvent.findMany({ where: { action: "RECORDS_IMPORTED", patientId: "tp" }, select: { detail: true } });
    expect(events.map((e) => (e.detail as { file: string }).file).sort()).toEqual(["1.json", "3.json"]);
    expect((await verifyChain(db)).ok).toBe(true);
  });

  it("files a patient's documents of one batch each with its audit event, chained in file order", async () => {
    const { outcomes } = await importFolder({ "m1.json": letter("batch-m1", "2024-11-26T10:00:00+09:00"), "m2.json": letter("batch-m2", "2024-11-26T10:00:00+09:00"), "m3.json": letter("batch-m3", "2024-11-26T10:00:00+09:00") });
    expect(outcomes).toEqual({ "m1.json": "created", "m2.json": "created", "m3.json": "created" });
    const events = await db.auditEvent.findMany({ where: { action: "RECORDS_IMPORTED", patientId: "tp", detail: { path: ["file"], string_starts_with: "m" } }, orderBy: { chainSeq: "asc" }, select: { detail: true } });
    expect(events.map((e) => (e.detail as { file: string }).file)).toEqual(["m1.json", "m2.json", "m3.json"]);
    for (const key of ["m1", "m2", "m3"]) expect((await db.ingestDocument.findFirstOrThrow({ where: { facilityId: "fH", sourceKey: { endsWith: `^2024^batch-${key}` } } })).records).toHaveLength(9);
    expect((await verifyChain(db)).ok).toBe(true);
  });

  it("applies a resend later in the same batch to the report filed earlier in it", async () => {
    const first = letter("batch-resend", "2024-11-26T10:00:00+09:00");
    const second = letter("batch-resend", "2024-11-27T10:00:00+09:00", (b) => (b.entry[0].resource.title = "診療情報提供書（訂正）"));
    const { outcomes } = await importFolder({ "a.json": first, "b.json": second });
    expect(outcomes).toEqual({ "a.json": "created", "b.json": "replaced" });
    const doc = await db.ingestDocument.findFirstOrThrow({ where: { facilityId: "fH", sourceKey: { endsWith: "^2024^batch-resend" } } });
    expect(doc.sourceFile).toBe("b.json");
    expect(await db.document.count({ where: { facilityId: "fH", title: "診療情報提供書（訂正）" } })).toBe(1);
  });

  it("files a document sent twice in one batch once: the second, the same, changes nothing", async () => {
    const { outcomes } = await importFolder({ "x1.json": letter("batch-twice", "2024-11-26T10:00:00+09:00"), "x2.json": letter("batch-twice", "2024-11-26T10:00:00+09:00") });
    expect(outcomes).toEqual({ "x1.json": "created", "x2.json": "unchanged" });
    expect(await db.ingestDocument.count({ where: { facilityId: "fH", sourceKey: { endsWith: "^2024^batch-twice" } } })).toBe(1);
    expect(await db.auditEvent.count({ where: { action: "RECORDS_IMPORTED", patientId: "tp", detail: { path: ["file"], equals: "x2.json" } } })).toBe(0);
  });
});

describe("cutting an import into batches", () => {
  const cut = async (files: { name: string; lane?: string; bytes?: number }[], max?: number, maxBytes?: number) => {
    const out: string[][] = [];
    for await (const b of batchesOf((async function* () { yield* files; })(), max, maxBytes)) out.push(b.files.map((f) => f.name));
    return out;
  };

  it("groups a patient's consecutive files, in order, never past the bound, and never across a file without a patient", async () => {
    const files = [
      { name: "a1", lane: "A" }, { name: "a2", lane: "A" }, { name: "a3", lane: "A" },
      { name: "b1", lane: "B" },
      { name: "a4", lane: "A" },
      { name: "delete" },
      { name: "a5", lane: "A" }, { name: "a6", lane: "A" },
    ];
    expect(await cut(files, 2)).toEqual([["a1", "a2"], ["a3"], ["b1"], ["a4"], ["delete"], ["a5", "a6"]]);
    expect(await cut(files)).toEqual([["a1", "a2", "a3"], ["b1"], ["a4"], ["delete"], ["a5", "a6"]]);
    const many = Array.from({ length: BATCH_FILES + 1 }, (_, i) => ({ name: `p${i}`, lane: "P" }));
    expect((await cut(many)).map((b) => b.length)).toEqual([BATCH_FILES, 1]);
  });

  it("holds no more than the bound of documents read ahead in one batch, and at least one", async () => {
    const docs = [3, 2, 2, 9, 1].map((mb, i) => ({ name: `d${i}`, lane: "P", bytes: mb * 1024 * 1024 }));
    expect(await cut(docs, BATCH_FILES, 4 * 1024 * 1024)).toEqual([["d0"], ["d1", "d2"], ["d3"], ["d4"]]);
  });
});

describe("a file PostgreSQL aborts as a deadlock", () => {
  // PGlite has one connection: nothing can deadlock there
  it.runIf(!!process.env.DATABASE_URL)("is filed again in a transaction of its own, and lands; a file that fails otherwise is rejected at once (twin)", async () => {
    const other = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await other.connect();
    let runs = 0;
    // the first run deadlocks against `other` (each takes one lock, then asks for the other's; this
    // transaction waits first, so PostgreSQL's check finds the cycle from its side and aborts it)
    const deadlocking: BatchedFile = {
      file: "deadlock.json",
      run: (t) =>
        t.$transaction(async (tx) => {
          runs++;
          // once this one is aborted, `other` gets the lock it waited for: let it finish
          if (runs === 2) await other.query("ROLLBACK");
          await tx.$executeRaw`SELECT pg_advisory_xact_lock(7, 1)`;
          if (runs === 1) {
            await other.query("BEGIN");
            await other.query("SELECT pg_advisory_xact_lock(7, 2)");
            setTimeout(() => void other.query("SELECT pg_advisory_xact_lock(7, 1)").catch(() => {}), 300);
            await tx.$executeRaw`SELECT pg_advisory_xact_lock(7, 2)`;
          }
          return fileOutcome("deadlock.json", "created", undefined, 1);
        }),
    };
    const outcomes: FileOutcome[] = [];
    try {
      await fileBatch(db, [deadlocking], (o) => outcomes.push(o));
    } finally {
      await other.query("ROLLBACK").catch(() => {});
      await other.end();
    }
    expect(runs).toBe(2);
    expect(outcomes).toEqual([fileOutcome("deadlock.json", "created", undefined, 1)]);

    let broken = 0;
    const failing: BatchedFile = { file: "broken.json", run: (t) => t.$transaction(async (tx) => (broken++, await tx.$executeRaw`SELECT 1/0`, fileOutcome("broken.json", "created"))) };
    const refused: FileOutcome[] = [];
    await fileBatch(db, [failing], (o) => refused.push(o));
    expect([broken, refused[0]?.status]).toEqual([1, "rejected"]);
  });
});
