import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawn, spawnSync } from "node:child_process";
import { afterAll, beforeAll, expect, it } from "vitest";
import { freshDatabase } from "./helpers/db";
import { closeDb, getDb } from "../lib/db/client";

/**
 * A killed import loses nothing: the import process is killed (SIGKILL) midway through a folder of
 * documents; every document is then whole or absent, and a rerun completes the folder exactly.
 */
const REFERRAL = JSON.parse(fs.readFileSync(path.resolve(__dirname, "../../shared/fixtures/jp-clins/Bundle-Bundle-CLINS-Referral-Example-01.json"), "utf8"));
const FILES = 120;
let ctx: Awaited<ReturnType<typeof freshDatabase>>;
const folder = fs.mkdtempSync(path.join(os.tmpdir(), "fhir-kill-"));

beforeAll(async () => {
  ctx = await freshDatabase();
  const db = ctx.db;
  await db.facility.create({ data: { id: "fH", code: "1318814790", name: "東京みなと病院", kind: "HOSPITAL" } });
  await db.patient.create({ data: { id: "tp", familyName: "牧野", givenName: "爛漫", familyNameKana: "マキノ", givenNameKana: "ランマン", sex: "FEMALE", birthDate: new Date("1930-06-28") } });
  await db.patientLink.create({ data: { patientId: "tp", id: "lk", facilityId: "fH", localPatientId: "000999739" } });
  // the same letter sent as 120 reports (each its own Bundle.identifier): 9 records each
  for (let i = 0; i < FILES; i++) {
    const b = structuredClone(REFERRAL);
    b.identifier.value = `1318814790^2024^kill-${String(i).padStart(3, "0")}`;
    fs.writeFileSync(path.join(folder, `doc-${String(i).padStart(3, "0")}.json`), JSON.stringify(b));
  }
  // the import runs in its own process; PGlite admits one process at a time
  await closeDb();
});
afterAll(async () => {
  await ctx?.close();
  fs.rmSync(folder, { recursive: true, force: true });
});

const cli = [process.execPath, ["--import", "tsx", "scripts/import.ts", folder, "--facility", "1318814790"]] as const;

/** Whole or absent: every imported document has exactly its 9 records, and no record lacks its document. */
async function consistent() {
  const db = await getDb();
  const docs = await db.ingestDocument.findMany({ where: { facilityId: "fH", status: "CURRENT" } });
  for (const d of docs) expect((d.records as unknown[]).length).toBe(9);
  const files = new Set(docs.map((d) => d.sourceFile));
  const conditions = await db.condition.findMany({ where: { facilityId: "fH" }, select: { sourceRef: true } });
  expect(conditions.every((c) => files.has(c.sourceRef ?? ""))).toBe(true);
  expect(conditions.length).toBe(docs.length * 5);
  expect(await db.document.count({ where: { facilityId: "fH" } })).toBe(docs.length);
  const n = docs.length;
  await closeDb();
  return n;
}

it("is whole or absent per document after a SIGKILL, and a rerun completes it", async () => {
  const child = spawn(cli[0], [...cli[1]], { env: process.env, stdio: ["ignore", "pipe", "pipe"] });
  let progress = "";
  await new Promise<void>((resolve) => {
    child.stderr.on("data", (b: Buffer) => {
      progress += b.toString();
      // killed as soon as the progress bar shows a quarter done, mid-transaction or between two
      if (/files (2[5-9]|[3-9]\d)\//.test(progress)) child.kill("SIGKILL");
    });
    child.on("exit", () => resolve());
  });
  expect(child.signalCode).toBe("SIGKILL");
  const done = await consistent();
  expect(done).toBeGreaterThan(0);
  expect(done).toBeLessThan(FILES);

  const rerun = spawnSync(cli[0], [...cli[1]], { env: process.env, encoding: "utf8", timeout: 300_000 });
  expect(rerun.status, rerun.stderr).toBe(0);
  expect(rerun.stdout).toMatch(new RegExp(`files read ${FILES}: created ${FILES - done}, replaced 0, deleted 0, unchanged ${done},`));
  expect(await consistent()).toBe(FILES);
}, 600_000);
