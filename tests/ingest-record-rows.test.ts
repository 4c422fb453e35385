import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDatabase } from "./helpers/db";
import type { Db } from "../lib/db/client";
import { importSsmix2Tree } from "../lib/ingest/ssmix2-tree";
import { importFhirPath } from "../lib/ingest/fhir-files";
import { writeLedger } from "../lib/ingest/ledger";
import { RecordRows } from "../lib/ingest/record-rows";
import { BENCH_FACILITY_CODE, writeFhirFolder, writeSsmix2Tree, type BenchPatient } from "../bench/import-data";
import { encodeIso2022jp } from "../bench/iso2022jp";
import { Prisma } from "../lib/db/generated/client";
import { chainOfSql, verifyChain } from "../lib/audit";
import { chainOf } from "../lib/audit/chains";

/**
 * An imported document's rows are written by hand-written SQL in its ledger entry's statement
 * (lib/ingest/record-rows), not by Prisma: they must be the rows Prisma would have written, and a
 * resend must replace exactly the rows the document filed before, never another document's.
 */
let ctx: Awaited<ReturnType<typeof freshDatabase>>;
let db: Db;
const FAC = "fac-rows";
const patient: BenchPatient = { localId: "800000001", birth: "1950-03-04", sex: "FEMALE", insuredNumber: "101" };
const PID = "tp-rows";
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "ingest-rows-"));

beforeAll(async () => {
  ctx = await freshDatabase();
  db = ctx.db;
  await db.facility.create({ data: { id: FAC, code: BENCH_FACILITY_CODE, name: "行病院", kind: "HOSPITAL" } });
  await db.patient.create({ data: { id: PID, familyName: "患者", givenName: "花子", familyNameKana: "カンジャ", givenNameKana: "ハナコ", sex: "FEMALE", birthDate: new Date("1950-03-04T00:00:00Z"), insuredBranch: "01" } });
  await db.patientLink.create({ data: { patientId: PID, id: "lk-rows", facilityId: FAC, localPatientId: patient.localId, branchNumber: "01" } });
});
afterAll(async () => {
  await ctx?.close();
  fs.rmSync(scratch, { recursive: true, force: true });
});

/** The first file under `dir` (depth first) whose path passes `test`. */
function firstFile(dir: string, test: (file: string) => boolean): string {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    const found = e.isDirectory() ? firstFile(p, test) : test(p) ? p : "";
    if (found) return found;
  }
  return "";
}

/** A row without what differs between the twins: its id, when it was written, and where it came from. */
const without = (r: Record<string, unknown>) => Object.fromEntries(Object.entries(r).filter(([k]) => k !== "id" && k !== "recordedAt" && k !== "sourceRef"));

describe("the rows a document files, written with its ledger entry", () => {
  it("are the rows Prisma's createMany writes: dates, enums, floats, text, nulls, and defaults for what is left out", async () => {
    const at = new Date("2024-02-29T23:59:58.123Z");
    const base = { patientId: PID, facilityId: FAC, sourceRef: "x" };
    const text = `引用符 " と ' とバックスラッシュ \\ と改行\n、絵文字 🩺`;
    const condition = { ...base, occurredAt: at, occurredPrecision: null, endedAt: null, codeSystem: "urn:oid:1.2.392.200119.4.101.6", code: "20057233", display: text, icd10: "I10", suspected: true, major: undefined, outcome: null, sensitivity: "PSYCHIATRIC" as const };
    const lab = { ...base, occurredAt: at, codeSystem: "JC10", code: "3A010000002327101", display: "総蛋白", valueNumeric: 0.1 + 0.2, valueText: null, unit: "g/dl", refLow: -1e-7, refHigh: 1234567.891, refText: null, flag: "H", sensitivity: "NORMAL" as const, uninformed: true };
    const allergy = { ...base, occurredAt: at, occurredPrecision: "YEAR", kind: "DRUG" as const, codeSystem: null, code: null, display: "ペニシリン", reaction: undefined, severity: undefined };
    const rx = { ...base, occurredAt: at, kind: "PRESCRIPTION" as const, prescriberName: "医師一郎", department: null, sensitivity: "NORMAL" as const };
    const item = { patientId: PID, rp: 2, codeSystem: "HOT9", code: "103835401", display: "ムコダイン錠２５０ｍｇ", hotCode: "103835401", yjCode: null, dose: 1.5, doseUnit: "錠", usageCode: null, usageText: "1日3回毎食後", days: 14, asNeeded: undefined };

    await db.condition.createMany({ data: [{ ...condition, id: "p-dx" }] });
    await db.labResult.createMany({ data: [{ ...lab, id: "p-lab" }] });
    await db.allergy.createMany({ data: [{ ...allergy, id: "p-alg" }] });
    await db.prescription.createMany({ data: [{ ...rx, id: "p-rx" }] });
    await db.prescriptionItem.createMany({ data: [{ ...item, id: "p-rx-01", prescriptionId: "p-rx" }] });

    const rows = new RecordRows();
    rows.add("Condition", [{ ...condition, id: "s-dx" }]);
    rows.add("LabResult", [{ ...lab, id: "s-lab" }]);
    rows.add("Allergy", [{ ...allergy, id: "s-alg" }]);
    // the item before its prescription: one statement, so its foreign key is checked when both exist
    rows.add("PrescriptionItem", [{ ...item, id: "s-rx-01", prescriptionId: "s-rx" }]);
    rows.add("Prescription", [{ ...rx, id: "s-rx" }]);
    expect(rows.size).toBe(5);
    await db.$transaction((tx) => writeLedger(tx, { facilityId: FAC, sourceKey: "rows-test", patientId: PID, localPatientId: patient.localId, sourceFile: "rows-test", sourceTimestamp: "1", status: "CURRENT", records: [], rows }));

    const pair = async <T extends Record<string, unknown>>(find: (id: string) => Promise<T | null>, a: string, b: string) => {
      const [p, s] = [await find(a), await find(b)];
      expect(p).not.toBeNull();
      expect(without(s!)).toEqual(without(p!));
      return s!;
    };
    const dx = await pair((id) => db.condition.findUnique({ where: { patientId_id: { patientId: PID, id } } }), "p-dx", "s-dx");
    expect(dx).toMatchObject({ display: text, occurredAt: at, major: false, suspected: true, sensitivity: "PSYCHIATRIC" });
    expect(dx.recordedAt).toBeInstanceOf(Date);
    const lr = await pair((id) => db.labResult.findUnique({ where: { patientId_id: { patientId: PID, id } } }), "p-lab", "s-lab");
    expect(lr).toMatchObject({ valueNumeric: 0.1 + 0.2, refLow: -1e-7, uninformed: true });
    expect(await pair((id) => db.allergy.findUnique({ where: { patientId_id: { patientId: PID, id } } }), "p-alg", "s-alg")).toMatchObject({ severity: "UNKNOWN", active: true, reaction: null });
    await pair((id) => db.prescription.findUnique({ where: { patientId_id: { patientId: PID, id } } }), "p-rx", "s-rx");
    const it2 = await pair(async (id) => {
      const r = await db.prescriptionItem.findUnique({ where: { patientId_id: { patientId: PID, id } } });
      return r && { ...r, prescriptionId: r.prescriptionId.slice(2) };
    }, "p-rx-01", "s-rx-01");
    expect(it2).toMatchObject({ asNeeded: false, days: 14, dose: 1.5 });
  });

  it("lands whole or not at all: a bad row rolls back the other rows and the ledger entry", async () => {
    const rows = new RecordRows();
    rows.add("LabResult", [{ patientId: PID, id: "bad-1", facilityId: FAC, occurredAt: new Date(), codeSystem: "JC10", code: "1", display: "ok" }]);
    rows.add("Condition", [{ patientId: PID, id: "bad-2", facilityId: "no-such-facility", occurredAt: new Date(), codeSystem: "x", code: "1", display: "x" }]);
    await expect(db.$transaction((tx) => writeLedger(tx, { facilityId: FAC, sourceKey: "bad", patientId: PID, localPatientId: patient.localId, sourceFile: "bad", sourceTimestamp: "1", status: "CURRENT", records: [], rows }))).rejects.toThrow();
    expect(await db.labResult.count({ where: { id: "bad-1" } })).toBe(0);
    expect(await db.ingestDocument.count({ where: { sourceKey: "bad" } })).toBe(0);
  });

  it("a resent SS-MIX2 file replaces exactly the rows it filed before, and a second read changes nothing", async () => {
    const root = path.join(scratch, "ss");
    const files = await writeSsmix2Tree(root, [patient]);
    const first = await importSsmix2Tree(db, BENCH_FACILITY_CODE, root, { by: "test" });
    expect(first.counts).toMatchObject({ created: files, rejected: 0, held: 0 });
    const labs = () => db.labResult.findMany({ where: { patientId: PID, facilityId: FAC, sourceRef: { not: "x" } }, orderBy: { id: "asc" } });
    const before = await labs();

    // the first OML-11 again, made later: its last OBX gone and its first result changed
    const rel = firstFile(root, (p) => p.includes("OML-11"));
    const old = path.relative(root, rel);
    const segments = new TextDecoder("iso-2022-jp").decode(fs.readFileSync(rel)).split("\r").filter(Boolean);
    const obx = segments.filter((s) => s.startsWith("OBX|"));
    expect(obx.length).toBe(3);
    const edited = segments.filter((s) => s !== obx[2]).map((s) => (s === obx[0] ? s.split("|").map((f, i) => (i === 5 ? "9.9" : f)).join("|") : s));
    const parts = path.basename(old).split("_");
    parts[4] = String(BigInt(parts[4]!) + 1n).padStart(parts[4]!.length, "0");
    const resendRoot = path.join(scratch, "ss-resend");
    const renamed = path.join(path.dirname(old), parts.join("_"));
    fs.mkdirSync(path.join(resendRoot, path.dirname(old)), { recursive: true });
    fs.writeFileSync(path.join(resendRoot, renamed), encodeIso2022jp(edited.join("\r") + "\r"));

    const resend = await importSsmix2Tree(db, BENCH_FACILITY_CODE, resendRoot, { by: "test" });
    expect(resend.counts).toMatchObject({ replaced: 1, created: 0, rejected: 0 });
    const after = await labs();
    const others = (rows: typeof before) => rows.filter((r) => r.sourceRef !== old && r.sourceRef !== renamed);
    expect(others(after)).toEqual(others(before));
    expect(after.filter((r) => r.sourceRef === old)).toEqual([]);
    const now = after.filter((r) => r.sourceRef === renamed);
    const was = before.filter((r) => r.sourceRef === old);
    expect(was.length).toBe(3);
    expect(now.map((r) => [r.code, r.valueNumeric])).toEqual([[was[0]!.code, 9.9], [was[1]!.code, was[1]!.valueNumeric]]);

    const again = await importSsmix2Tree(db, BENCH_FACILITY_CODE, resendRoot, { by: "test" });
    expect(again.counts).toMatchObject({ unchanged: 1 });
    expect(await labs()).toEqual(after);
  });

  it("a resent FHIR Bundle replaces exactly the rows it filed before", async () => {
    const dir = path.join(scratch, "fhir");
    const n = await writeFhirFolder(dir, [patient]);
    const first = await importFhirPath(db, BENCH_FACILITY_CODE, dir, { by: "test" });
    expect(first.counts).toMatchObject({ created: n, rejected: 0 });
    const all = () => Promise.all([db.labResult.findMany({ where: { patientId: PID, sourceRef: { endsWith: ".json" } }, orderBy: { id: "asc" } }), db.condition.findMany({ where: { patientId: PID, sourceRef: { endsWith: ".json" } }, orderBy: { id: "asc" } }), db.document.findMany({ where: { patientId: PID, sourceRef: { endsWith: ".json" } }, orderBy: { id: "asc" } })]);
    const [labsBefore, conditionsBefore, docsBefore] = await all();
    expect(docsBefore.length).toBe(1);

    const file = firstFile(dir, (p) => p.endsWith("-obs1.json"));
    const bundle = JSON.parse(fs.readFileSync(file, "utf8")) as { entry: { resource: { resourceType: string } }[] };
    const observations = bundle.entry.filter((e) => e.resource.resourceType === "Observation");
    // the document's rows, by their ids (made from its key, so the same in a resend; lib/ingest/records recordId)
    const mine = labsBefore.filter((r) => r.sourceRef?.endsWith(path.basename(file)));
    expect(mine.length).toBe(observations.length);
    const prefix = mine[0]!.id.slice(0, mine[0]!.id.lastIndexOf("-") + 1);
    const isMine = (r: { id: string }) => r.id.startsWith(prefix);
    bundle.entry = bundle.entry.filter((e) => e !== observations.at(-1));
    const resendDir = path.join(scratch, "fhir-resend");
    fs.mkdirSync(resendDir, { recursive: true });
    fs.writeFileSync(path.join(resendDir, path.basename(file)), JSON.stringify(bundle));

    const resend = await importFhirPath(db, BENCH_FACILITY_CODE, resendDir, { by: "test" });
    expect(resend.counts).toMatchObject({ replaced: 1, rejected: 0 });
    const [labsAfter, conditionsAfter, docsAfter] = await all();
    expect(conditionsAfter).toEqual(conditionsBefore);
    expect(docsAfter).toEqual(docsBefore);
    expect(labsAfter.filter((r) => !isMine(r))).toEqual(labsBefore.filter((r) => !isMine(r)));
    expect(labsAfter.filter(isMine).map((r) => [r.id, r.code, r.valueNumeric])).toEqual(mine.slice(0, -1).map((r) => [r.id, r.code, r.valueNumeric]));
  });

  it("audits every filed document once, in its patient's chain, and the chains still verify", async () => {
    const events = await db.auditEvent.findMany({ where: { action: "RECORDS_IMPORTED", patientId: PID }, orderBy: { seq: "asc" } });
    const filed = await db.ingestDocument.findMany({ where: { patientId: PID, facilityId: FAC, sourceKey: { notIn: ["rows-test"] } } });
    // every document once, a resend again, a file read again and unchanged not at all
    const files = events.map((e) => (e.detail as { file: string }).file);
    for (const d of filed) expect(files).toContain(d.sourceFile);
    expect(events.length).toBe(filed.length + 2);
    expect(new Set(events.map((e) => e.chain))).toEqual(new Set([chainOf(PID)]));
    expect(await verifyChain(db)).toMatchObject({ ok: true });
  });
});

describe("the audit chain of a patient, computed in SQL", () => {
  it("is chainOf's, for every id (the lock an import takes with its first statement is the chain its event joins)", async () => {
    const ids = [null, "tp1", PID, "患者-001", "bp-800000001", ...Array.from({ length: 300 }, (_, i) => `p-${i * 7919}`)];
    const rows = await db.$queryRaw<{ chain: number }[]>`SELECT ${chainOfSql(Prisma.sql`t.id`)} AS chain FROM unnest(${ids}::text[]) WITH ORDINALITY AS t(id, n) ORDER BY t.n`;
    expect(rows.map((r) => Number(r.chain))).toEqual(ids.map((id) => chainOf(id)));
  });
});
