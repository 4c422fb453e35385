import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDatabase } from "./helpers/db";
import { testActor } from "./helpers/actor";
import type { Db } from "../lib/db/client";
import { getMedicationHistory } from "../lib/record";
import { importSsmix2Tree, IngestRefusedError } from "../lib/ingest/ssmix2-tree";
import { confirmCandidate, IdentityReviewError, listCandidates, rejectCandidate } from "../lib/ingest/identity-review";
import { verifyChain } from "../lib/audit";

/**
 * The SS-MIX2 import on the real database, over the real fixtures (unmodified): what is filed, what
 * is rejected and why, and that nothing lands under a patient the file does not name exactly.
 */
const FIXTURES = path.resolve(__dirname, "../../shared/fixtures/ssmix2/sampleData");
let ctx: Awaited<ReturnType<typeof freshDatabase>>;
let db: Db;
const doctorB = testActor("fB", "DOCTOR", { userId: "dr-b", name: "dr-b" });

beforeAll(async () => {
  ctx = await freshDatabase();
  db = ctx.db;
  await db.facility.create({ data: { id: "fS", code: "2213000001", name: "登呂病院", kind: "HOSPITAL" } });
  await db.facility.create({ data: { id: "fV", code: "2213000002", name: "閲覧のみ医院", kind: "CLINIC", discloses: false } });
  await db.facility.create({ data: { id: "fB", code: "2213000003", name: "施設B", kind: "CLINIC" } });
  await db.user.create({ data: { id: "dr-b", loginId: "dr-b", name: "dr-b", profession: "DOCTOR", facilityId: "fB", passwordHash: "x", credentialVerifiedAt: new Date("2024-01-01") } });
  // the hospital's patient 9999013 is already linked to a Tsunagu patient, who consents to fB
  await db.patient.create({ data: { id: "tp1", familyName: "患者", givenName: "太郎", familyNameKana: "カンジャ", givenNameKana: "タロウ", sex: "MALE", birthDate: new Date("1948-04-05") } });
  await db.patientLink.create({ data: { patientId: "tp1", id: "lk1", facilityId: "fS", localPatientId: "9999013" } });
  await db.consent.create({ data: { patientId: "tp1", id: "c1", facilityId: "fB", scope: "FULL", method: "WRITTEN", identityVerification: "MYNUMBER_CARD", capturedById: "dr-b" } });
});
afterAll(async () => ctx?.close());


describe("importing the SS-MIX2 fixtures", () => {
  it("files the prescriptions of the linked patient and rejects every file that names someone else", async () => {
    const s = await importSsmix2Tree(db, "2213000001", FIXTURES, { by: "test" });
    expect(s.filesRead).toBe(22);
    // ADT-00 (identity), OMP-01 and OMP-02 name 9999013 and are filed
    expect(s.counts).toMatchObject({ created: 3, rejected: 13, held: 0, not_imported: 6 });
    expect(s.records).toBe(2);
    const rejected = s.rejected.map((r) => r.reason);
    // the 10 files under 9999013 that name other patients, and the broken folder's two OMP-11
    expect(rejected.filter((r) => r.startsWith("PID_MISMATCH"))).toHaveLength(12);
    expect(rejected).toContain("PID_MISMATCH: PID-3 says 0001000052, the storage folder is patient 9999013"); // OML-11
    expect(rejected).toContain("ID_MISMATCH: file names patient 9999013, folder is patient 0000001"); // the ADT-31 folder's stray file
    // the broken folder's OMP-11 files say 9999013 inside a 0000001 folder: rejected, never filed under either
    expect(s.rejected.filter((r) => r.file.startsWith("000/000/0000001/20000401/OMP-11/")).map((r) => r.reason)).toEqual([
      "PID_MISMATCH: PID-3 says 9999013, the storage folder is patient 0000001",
      "PID_MISMATCH: PID-3 says 9999013, the storage folder is patient 0000001",
    ]);
    // kinds with no place in the record yet are counted, not dropped
    expect(s.notImported).toEqual({ "kind ADT-22": 1, "kind ADT-42": 1, "kind ADT-52": 1, "kind OML-01": 1, "kind OMP-11": 1, "kind OMP-12": 1 });
    expect(Object.values(s.notImported).reduce((a, b) => a + b, 0)).toBe(s.counts.not_imported);
    expect(await db.labResult.count()).toBe(0); // OML-11 names another patient: none of its results are filed
  });

  it("shows the imported prescription to a consented doctor: HOT codes, doses, 用法 and days", async () => {
    const v = await getMedicationHistory(doctorB, "tp1", { years: 0 });
    const items = v.rows.filter((r) => r.facilityId === "fS").map((r) => [r.code, r.display, r.dose, r.usageText, r.days]);
    expect(items).toEqual(
      expect.arrayContaining([
        ["108665201", "ダーゼン錠（５mg)", "1錠", "内服・経口・１日３回朝昼夕食後", 5],
        ["100607002", "アレピアチン１０倍散", "50ミリグラム", "内服・経口・１日２回朝夕食後", 14],
      ]),
    );
  });

  it("changes nothing when the same tree is imported again, and audits each filed document", async () => {
    const before = { rx: await db.prescription.count(), items: await db.prescriptionItem.count() };
    const s = await importSsmix2Tree(db, "2213000001", FIXTURES, { by: "test" });
    expect(s.counts).toMatchObject({ created: 0, replaced: 0, unchanged: 3 });
    expect({ rx: await db.prescription.count(), items: await db.prescriptionItem.count() }).toEqual(before);
    expect(await db.auditEvent.count({ where: { action: "RECORDS_IMPORTED", patientId: "tp1" } })).toBe(3);
    expect((await verifyChain(db)).ok).toBe(true);
  });

  it("gives the same outcome with patients in parallel lanes (each patient's files still in order)", async () => {
    const seen: string[] = [];
    const s = await importSsmix2Tree(db, "2213000001", FIXTURES, { by: "test", parallel: 3, onFile: (o) => seen.push(o.file) });
    expect(s.filesRead).toBe(22);
    expect(s.counts).toMatchObject({ created: 0, replaced: 0, unchanged: 3, rejected: 13, held: 0, not_imported: 6 });
    // one patient's files are reported in the order of their timestamps, as in a sequential run
    const stamps = seen.filter((f) => f.startsWith("999/901/9999013/")).map((f) => f.split("/").pop()!.split("_")[4]!);
    expect(stamps).toEqual([...stamps].sort());
  });

  it("warns, without refusing, when a matching id's birth date disagrees with the patient", async () => {
    const s = await importSsmix2Tree(db, "2213000001", FIXTURES, { by: "test" });
    expect(s.warnings).toEqual([]); // the three filed files agree with tp1
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "ss2-"));
    const src = path.join(FIXTURES, "999/901/9999013/20110701/OMP-01");
    const name = fs.readdirSync(src)[0]!;
    const text = fs.readFileSync(path.join(src, name), "latin1").replace("|19480405|M|", "|19480406|M|");
    fs.mkdirSync(path.join(tmp, "999/901/9999013/20110701/OMP-01"), { recursive: true });
    fs.writeFileSync(path.join(tmp, "999/901/9999013/20110701/OMP-01", name.replace("20110701224603984", "20110701224603985")), text, "latin1");
    const w = await importSsmix2Tree(db, "2213000001", tmp, { by: "test" });
    expect(w.counts).toMatchObject({ replaced: 1 });
    expect(w.warnings.map((x) => x.warning)).toEqual(["BIRTH_DATE: PID-7 says 1948-04-06, the patient's is 1948-04-05"]);
  });

  it("deletes exactly what a condition-flag-0 file names, and reports a deletion of something never seen", async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "ss2-"));
    const src = path.join(FIXTURES, "999/901/9999013/20110701/OMP-01");
    const name = fs.readdirSync(src)[0]!;
    const dir = path.join(tmp, "999/901/9999013/20110701/OMP-01");
    fs.mkdirSync(dir, { recursive: true });
    fs.copyFileSync(path.join(src, name), path.join(dir, name.replace("20110701224603984_01_1", "20110702000000000_01_0")));
    const before = await db.prescription.count({ where: { patientId: "tp1" } });
    const d = await importSsmix2Tree(db, "2213000001", tmp, { by: "test" });
    expect(d.counts).toMatchObject({ deleted: 1 });
    expect(await db.prescription.count({ where: { patientId: "tp1" } })).toBe(before - 1);
    // the same deletion for an order never imported: reported, not an error
    fs.renameSync(path.join(dir, fs.readdirSync(dir)[0]!), path.join(dir, name.replace("000000011000185", "000000011000999").replace("20110701224603984_01_1", "20110702000000000_01_0")));
    const never = await importSsmix2Tree(db, "2213000001", tmp, { by: "test" });
    expect(never.warnings.map((x) => x.warning)).toEqual(["DELETE_UNKNOWN: a deletion of a document never imported"]);
  });

  it("holds a file whose patient is not linked to the facility, and refuses a facility that does not disclose", async () => {
    await db.patientLink.deleteMany({ where: { id: "lk1" } });
    const before = await db.prescription.count();
    // no link, no filing: ADT-00, OMP-01 and OMP-02 wait for an administrator, nothing is guessed
    const s = await importSsmix2Tree(db, "2213000001", FIXTURES, { by: "test" });
    expect(s.counts.held).toBe(3);
    expect(s.held.every((h) => h.reason.startsWith("NO_LINK: no patient is linked to fS id 9999013"))).toBe(true);
    expect(await db.prescription.count()).toBe(before);
    await expect(importSsmix2Tree(db, "2213000002", FIXTURES, { by: "test" })).rejects.toEqual(new IngestRefusedError("FACILITY_NOT_DISCLOSING"));
    await expect(importSsmix2Tree(db, "9999999999", FIXTURES, { by: "test" })).rejects.toBeInstanceOf(IngestRefusedError);
  });
});

describe("identity review of held files", () => {
  it("raises one candidate per unlinked facility id, with an exact match only as a suggestion", async () => {
    const [c, ...more] = await listCandidates(db);
    expect(more).toEqual([]);
    expect(c).toMatchObject({ facilityId: "fS", localPatientId: "9999013", status: "PENDING", suggestedPatientId: "tp1", heldFiles: 3 });
    expect(c!.identity).toMatchObject({ familyName: "患者", givenNameKana: "タロウ", birthDate: "1948-04-05", sex: "MALE" });
    expect(await db.patientLink.count({ where: { facilityId: "fS" } })).toBe(0); // nothing linked on a suggestion
  });

  it("confirming links it with its provenance (audited), after which the import files again", async () => {
    const [c] = await listCandidates(db);
    await expect(confirmCandidate(db, c!.id, { by: "reviewer", patientId: "no-such" })).rejects.toEqual(new IdentityReviewError("NO_PATIENT"));
    await confirmCandidate(db, c!.id, { by: "reviewer" });
    const link = await db.patientLink.findFirst({ where: { facilityId: "fS", localPatientId: "9999013" } });
    expect(link).toMatchObject({ patientId: "tp1", provenance: "CONFIRMED", confirmedBy: "reviewer" });
    expect(await db.auditEvent.count({ where: { action: "IDENTITY_LINK_CONFIRMED", patientId: "tp1" } })).toBe(1);
    await expect(confirmCandidate(db, c!.id, { by: "reviewer" })).rejects.toEqual(new IdentityReviewError("ALREADY_DECIDED"));
    const s = await importSsmix2Tree(db, "2213000001", FIXTURES, { by: "test" });
    expect(s.counts.held).toBe(0);
  });

  it("rejecting keeps the files held (audited), and the next import does not ask again", async () => {
    await db.patientLink.deleteMany({ where: { facilityId: "fS" } });
    await importSsmix2Tree(db, "2213000001", FIXTURES, { by: "test" });
    const [c] = await listCandidates(db);
    await rejectCandidate(db, c!.id, { by: "reviewer" });
    expect(await listCandidates(db, "REJECTED")).toHaveLength(1);
    expect(await db.auditEvent.count({ where: { action: "IDENTITY_CANDIDATE_REJECTED" } })).toBe(1);
    const again = await importSsmix2Tree(db, "2213000001", FIXTURES, { by: "test" });
    expect(again.counts.held).toBe(3);
    expect(again.held.every((h) => h.reason.startsWith("REJECTED_IDENTITY"))).toBe(true);
    expect(await listCandidates(db)).toEqual([]);
    // put the confirmed link back for the tests that follow
    await db.patientLink.create({ data: { patientId: "tp1", id: "lk1", facilityId: "fS", localPatientId: "9999013" } });
  });
});

describe("diagnoses and allergies", () => {
  /** The fixtures' PPR-01 and ADT-61 name other patients (PID-3); copies that name 9999013 are filed. */
  function treeNaming9999013(kind: string, edit: (text: string) => string = (t) => t, stamp?: string) {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "ss2-"));
    const src = path.join(FIXTURES, "999/901/9999013/-", kind);
    const name = fs.readdirSync(src)[0]!;
    const text = edit(fs.readFileSync(path.join(src, name), "latin1").replace(/PID\|0001\|\|\d+(\^\^\^\^PI)?\|/, "PID|0001||9999013^^^^PI|").replace("|19650415|M", "|19480405|M"));
    fs.mkdirSync(path.join(tmp, "999/901/9999013/-", kind), { recursive: true });
    fs.writeFileSync(path.join(tmp, "999/901/9999013/-", kind, stamp ? name.replace(/_\d{17}_/, `_${stamp}_`) : name), text, "latin1");
    return tmp;
  }

  it("files PPR-01's diagnosis with its MEDIS code, ICD-10, onset, resolution and 主診断", async () => {
    const s = await importSsmix2Tree(db, "2213000001", treeNaming9999013("PPR-01"), { by: "test" });
    expect(s.counts).toMatchObject({ created: 1 });
    const dx = await db.condition.findMany({ where: { patientId: "tp1", facilityId: "fS" } });
    expect(dx.map((c) => [c.codeSystem, c.code, c.display, c.icd10, c.major, c.outcome, c.occurredAt.toISOString(), c.endedAt?.toISOString()])).toEqual([
      ["MDCDX2", "20054174", "胃炎", "K297", true, "回復せず", "2011-08-30T15:00:00.000Z", "2011-09-14T15:00:00.000Z"],
    ]);
  });

  it("files ADT-61's allergies, and a resend replaces the list whole", async () => {
    const first = await importSsmix2Tree(db, "2213000001", treeNaming9999013("ADT-61"), { by: "test" });
    expect(first.counts).toMatchObject({ created: 1 });
    const list = async () => (await db.allergy.findMany({ where: { patientId: "tp1", facilityId: "fS" }, orderBy: { id: "asc" } })).map((a) => [a.kind, a.display, a.severity, a.reaction]);
    expect(await list()).toEqual([
      ["ENVIRONMENT", "スギ", "MILD", "目のかゆみ"],
      ["FOOD", "ソバ", "MODERATE", "湿疹"],
      ["ENVIRONMENT", "ハウスダスト", "MILD", "くしゃみ"],
      ["DRUG", "アリナミン", "MODERATE", "のどの渇きが止まらない"],
    ]);
    // a newer file of the same key without the pollen line: the facility's list is now three
    const resend = treeNaming9999013("ADT-61", (t) => t.replace(/\rIAM\|1\|[^\r]*/, ""), "20111015000000000");
    expect((await importSsmix2Tree(db, "2213000001", resend, { by: "test" })).counts).toMatchObject({ replaced: 1 });
    expect((await list()).map(([, d]) => d)).toEqual(["ソバ", "ハウスダスト", "アリナミン"]);
  });
});

describe("npm run import", () => {
  const run = (args: string[], env: Record<string, string> = {}, unset: string[] = []) =>
    import("node:child_process").then(({ spawnSync }) => {
      const e: NodeJS.ProcessEnv = { ...process.env, ...env };
      for (const k of unset) delete e[k];
      return spawnSync(process.execPath, ["--import", "tsx", "scripts/import.ts", ...args], { encoding: "utf8", env: e, timeout: 120_000 });
    });

  it("exits 2 with the usage on a usage error", async () => {
    const r = await run([]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("usage: npm run import -- <SS-MIX2 storage root> --facility <10-digit 医療機関コード>");
    expect((await run([FIXTURES, "--facility", "12"])).status).toBe(2);
    expect((await run(["/no/such/folder", "--facility", "2213000001"])).status).toBe(2);
  });

  it("exits 2 for a facility it does not know, naming the reason, on a fresh embedded database", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ss2-cli-"));
    const r = await run([FIXTURES, "--facility", "2213000001"], { PGLITE_DIR: path.join(dir, "db") }, ["DATABASE_URL", "TSUNAGU_MIGRATION_DATABASE_URL"]);
    expect(r.stderr).toContain("refused: UNKNOWN_FACILITY");
    expect(r.status).toBe(2);
  }, 120_000);
});
