import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDatabase } from "./helpers/db";
import { seedIngestNetwork } from "./helpers/ingest-network";
import { testActor } from "./helpers/actor";
import type { Db } from "../lib/db/client";
import { getDocument, getMedicationHistory, getPatientView, getTimelinePage } from "../lib/record";
import { importSsmix2Tree, IngestRefusedError } from "../lib/ingest/ssmix2-tree";
import { confirmCandidate, IdentityReviewError, listCandidates, rejectCandidate } from "../lib/ingest/identity-review";
import { verifyChain } from "../lib/audit";
import { CODE_SYSTEM } from "../lib/terminology/code-systems";
import { encodeIso2022jp } from "../bench/iso2022jp";

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
  // the hospital's patient 9999013 is already linked to a Tsunagu patient, who consents to fB
  await seedIngestNetwork(db, { sender: { id: "fS", code: "2213000001", name: "登呂病院" }, viewOnly: { code: "2213000002", name: "閲覧のみ医院", kind: "CLINIC" }, format: "ssmix2" });
});
afterAll(async () => ctx?.close());


const byFile = <T extends { file: string }>(xs: readonly T[]) => [...xs].sort((a, b) => a.file.localeCompare(b.file) || JSON.stringify(a).localeCompare(JSON.stringify(b)));

describe("importing the SS-MIX2 fixtures", () => {
  it("files the prescriptions of the linked patient and rejects every file that names someone else", async () => {
    const s = await importSsmix2Tree(db, "2213000001", FIXTURES, { by: "test" });
    expect(s.filesRead).toBe(22);
    // ADT-00 (identity), the admission and discharge (ADT-22/52), OMP-01/02 and their 実施 (OMP-11/12)
    // name 9999013 and are filed; the transfer (ADT-42) and the lab order (OML-01) are counted, not filed
    expect(s.counts).toMatchObject({ created: 7, rejected: 13, held: 0, not_imported: 2 });
    // two prescriptions, two dispenses, one stay, the discharge that completed it, and ADT-00's allergy,
    // height, weight and blood type, three telephones, a contact (NK1) and the insurance (IN1)
    expect(s.records).toBe(15);
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
    expect(s.notImported).toEqual({ "kind ADT-42: a transfer within a stay; the record keeps no ward or department history": 1, "kind OML-01: a lab order, not a result": 1 });
    expect(Object.values(s.notImported).reduce((a, b) => a + b, 0)).toBe(s.counts.not_imported);
    expect(await db.labResult.count({ where: { sourceRef: { contains: "/OML-11/" } } })).toBe(0); // OML-11 names another patient: none of its results are filed
    // the id matches but the birth date does not (README: three birth dates): filed, and an administrator is told
    expect(s.warnings.map((w) => [w.file.split("/")[4], w.warning])).toEqual([
      ["OMP-11", "BIRTH_DATE: PID-7 says 1965-04-15, the patient's is 1948-04-05"],
      ["OMP-12", "BIRTH_DATE: PID-7 says 1965-04-15, the patient's is 1948-04-05"],
      ["ADT-52", "BIRTH_DATE: PID-7 says 1970-04-05, the patient's is 1948-04-05"],
    ]);
  });

  it("files ADT-00's AL1 allergy and its OBX height, weight and blood type, as of the file", async () => {
    const fromAdt00 = { patientId: "tp1", sourceRef: { contains: "/ADT-00/" } };
    const allergies = await db.allergy.findMany({ where: fromAdt00 });
    // AL1|1|DA^薬剤アレルギー^HL70127|1^ペニシリン^99XYZ: no severity, no date (発症日不明)
    expect(allergies.map((a) => [a.kind, a.codeSystem, a.code, a.display, a.severity, a.occurredPrecision])).toEqual([["DRUG", "99XYZ", "1", "ペニシリン", "UNKNOWN", "NONE"]]);
    const labs = await db.labResult.findMany({ where: fromAdt00, orderBy: { id: "asc" } });
    expect(labs.map((l) => [l.codeSystem, l.code, l.display, l.valueNumeric, l.valueText, l.unit, l.occurredAt.toISOString()])).toEqual([
      [CODE_SYSTEM.JLAC10, "9N001000000000001", "身長", 167.8, null, "cm", "2011-12-20T13:44:47.000Z"],
      [CODE_SYSTEM.JLAC10, "9N006000000000001", "体重", 63.5, null, "kg", "2011-12-20T13:44:47.000Z"],
      [CODE_SYSTEM.JLAC10, "5H010000009199911", "血液型-ABO式", null, "A", null, "2011-12-20T13:44:47.000Z"],
    ]);
  });

  it("files ADT-00's telephones (PID-13/14), contact (NK1) and insurance (IN1), as the sender wrote them", async () => {
    const contacts = await db.patientContact.findMany({ where: { patientId: "tp1", sourceRef: { contains: "/ADT-00/" } }, orderBy: { position: "asc" } });
    expect(contacts.map((c) => [c.facilityId, c.kind, c.code, c.text, c.name, c.nameKana, c.phone, c.workPhone, c.address, c.insurerNumber, c.insuredRelation, c.validFrom])).toEqual([
      // PID-13: ^PRN^PH^…^054-000-0000~^EMR^PH^…^03-5999-9999; PID-14: ^WPN^PH^…^03-3599-9993
      ["fS", "PHONE", "PRN", null, null, null, "054-000-0000", null, null, null, null, null],
      ["fS", "PHONE", "EMR", null, null, null, "03-5999-9999", null, null, null, null, null],
      ["fS", "PHONE", "WPN", null, null, null, "03-3599-9993", null, null, null, null, null],
      // NK1|1|患者^太郎…|SEL^本人^HL70063|^^^^422-8033^JPN^H^静岡県静岡市登呂１−３−５~…|…054-000-0000|…03-3599-9993|…|鹿ノ門商事株式会社^D
      ["fS", "NEXT_OF_KIN", "SEL", "本人", "患者 太郎", "カンジャ タロウ", "054-000-0000", "03-3599-9993", "〒422-8033 静岡県静岡市登呂１－３－５", null, null, null],
      // IN1|1|67^国民健康保険退職者^JHSD0001|67999991|…|20091201|…|SEL^本人^HL70063
      ["fS", "INSURANCE", "67", "国民健康保険退職者", null, null, null, null, null, "67999991", "SEL", "2009-12-01"],
    ]);
  });

  it("shows the contacts to a clinician with full consent, with the facility they came from; a pharmacist not the family's; none under an emergency-only consent", async () => {
    const view = await getPatientView(doctorB, "tp1");
    expect(Object.keys(view.summary.contacts)).toEqual(["fS"]);
    expect(view.summary.contacts.fS!.map((c) => [c.kind, c.code, c.phone])).toEqual([
      ["PHONE", "PRN", "054-000-0000"],
      ["PHONE", "EMR", "03-5999-9999"],
      ["PHONE", "WPN", "03-3599-9993"],
      ["NEXT_OF_KIN", "SEL", "054-000-0000"],
      ["INSURANCE", "67", null],
    ]);
    // a pharmacist at the same facility: the patient's own telephones and the insurance, not the family's contacts
    const pharmacist = await getPatientView(testActor("fB", "PHARMACIST", { userId: "ph-b", name: "ph-b" }), "tp1");
    expect(pharmacist.summary.contacts.fS!.map((c) => c.kind)).toEqual(["PHONE", "PHONE", "PHONE", "INSURANCE"]);
    await db.facility.create({ data: { id: "fE", code: "2213000004", name: "救急病院", kind: "HOSPITAL" } });
    await db.consent.create({ data: { patientId: "tp1", id: "c-e", facilityId: "fE", scope: "EMERGENCY", method: "WRITTEN", identityVerification: "MYNUMBER_CARD", capturedById: "dr-b" } });
    const emergencyOnly = await getPatientView(testActor("fE", "DOCTOR", { userId: "dr-e", name: "dr-e" }), "tp1");
    expect(emergencyOnly.scope).toBe("EMERGENCY");
    expect(emergencyOnly.summary.contacts).toEqual({});
  });

  it("files the admission as an inpatient stay that the discharge completes", async () => {
    const stays = await db.encounter.findMany({ where: { patientId: "tp1" } });
    // ADT-22: admitted 2011-11-20 16:00 JST (PV1-44), 診療科 01 (PV1-10); ADT-52: discharged 2011-12-20 12:00 JST (PV1-45)
    expect(stays.map((e) => [e.facilityId, e.class, e.occurredAt.toISOString(), e.endedAt?.toISOString(), e.department, e.reason, e.sensitivity])).toEqual([
      ["fS", "INPATIENT", "2011-11-20T07:00:00.000Z", "2011-12-20T03:00:00.000Z", "01", null, "NORMAL"],
    ]);
    expect(stays[0]!.sourceRef).toMatch(/\/ADT-22\//);
  });

  it("shows the stay as a clinician reads it: 内科 for 診療科 01, and the discharge beside the admission", async () => {
    const page = await getTimelinePage(doctorB, "tp1", { limit: 100, kinds: ["encounter"] });
    const stay = page.entries.find((e) => e.tag === "INPATIENT")!;
    expect(stay.summary).toBe("内科");
    expect(stay.endedAt).toBe("2011-12-20T03:00:00.000Z");
    expect(stay.detail).toEqual([
      ["department", "内科 (01)"],
      ["reason", null],
      ["discharged", "2011-12-20 12:00"],
    ]);
  });

  it("files OMP-11/12 (RAS^O17) as dispenses: the 処方実施 has no order of its own here, the 注射実施 fills OMP-02's", async () => {
    const rx = await db.prescription.findMany({ where: { patientId: "tp1" }, include: { items: { orderBy: { id: "asc" } } }, orderBy: { occurredAt: "asc" } });
    const dispenses = rx.filter((r) => r.kind === "DISPENSE").sort((a, b) => a.sourceRef!.localeCompare(b.sourceRef!));
    const omp02 = rx.find((r) => r.kind === "PRESCRIPTION" && r.sourceRef?.includes("/OMP-02/"))!;
    expect(dispenses.map((d) => [d.sourceRef!.split("/")[4], d.occurredAt.toISOString(), d.status, d.prescriberName, d.department, d.fillsId])).toEqual([
      // ORC-2 123456789012345 is OMP-02's order (an injection), never OMP-01's 000000011000185: not linked
      ["OMP-11", "2011-06-30T23:30:00.000Z", "COMPLETED", "医師 一郎", "内科", null],
      // the same order number as OMP-02 (filed after it: the file is older), linked when OMP-02 came
      ["OMP-12", "2011-06-30T23:05:21.000Z", "COMPLETED", "医師 一郎", "内科", omp02.id],
    ]);
    expect(dispenses.map((d) => d.items.map((i) => [i.codeSystem, i.code, i.hotCode, i.display, i.dose, i.doseUnit, i.usageText, i.days]))).toEqual([
      [
        [CODE_SYSTEM.HOT9, "108665201", "108665201", "ダーゼン錠（５mg)", 1, "錠", null, null],
        [CODE_SYSTEM.HOT9, "110626901", "110626901", "パンスポリンＴ錠（１００mg)", 2, "錠", null, null],
      ],
      [
        [CODE_SYSTEM.HOT9, "620007329", "620007329", "ソリタ－Ｔ３号輸液５００ｍＬ", 1, "本", "102ml/hr", null],
        [CODE_SYSTEM.HOT9, "620002559", "620002559", "アドナ注（静脈用）50mg", 1, "アンプル", "102ml/hr", null],
      ],
    ]);
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
    const snapshot = async () => ({
      rx: await db.prescription.findMany({ orderBy: { id: "asc" } }),
      items: await db.prescriptionItem.count(),
      stays: await db.encounter.findMany({ orderBy: { id: "asc" } }),
    });
    const before = await snapshot();
    const s = await importSsmix2Tree(db, "2213000001", FIXTURES, { by: "test" });
    expect(s.counts).toMatchObject({ created: 0, replaced: 0, unchanged: 7 });
    expect(await snapshot()).toEqual(before);
    expect(await db.auditEvent.count({ where: { action: "RECORDS_IMPORTED", patientId: "tp1" } })).toBe(7);
    expect((await verifyChain(db)).ok).toBe(true);
  });

  it("gives the same outcome with patients in parallel lanes (each patient's files still in order)", async () => {
    const seen: string[] = [];
    const s = await importSsmix2Tree(db, "2213000001", FIXTURES, { by: "test", parallel: 3, onFile: (o) => seen.push(o.file) });
    expect(s.filesRead).toBe(22);
    expect(s.counts).toMatchObject({ created: 0, replaced: 0, unchanged: 7, rejected: 13, held: 0, not_imported: 2 });
    // one patient's files are reported in the order of their timestamps, as in a sequential run
    const stamps = seen.filter((f) => f.startsWith("999/901/9999013/")).map((f) => f.split("/").pop()!.split("_")[4]!);
    expect(stamps).toEqual([...stamps].sort());
  });

  it("gives the same outcome with the files read ahead, as from a network share, and reports the broken samples the same", async () => {
    const seen: string[] = [];
    await importSsmix2Tree(db, "2213000001", FIXTURES, { by: "test" }); // whatever ran before, both runs below find the tree filed
    const sync = await importSsmix2Tree(db, "2213000001", FIXTURES, { by: "test", parallel: 3, reads: "sync" });
    const ahead = await importSsmix2Tree(db, "2213000001", FIXTURES, { by: "test", parallel: 3, reads: "ahead", onFile: (o) => seen.push(o.file) });
    expect(ahead.filesRead).toBe(22);
    expect(ahead.counts).toEqual(sync.counts);
    // lanes finish in their own order on PostgreSQL: the same rejections, whatever their order
    expect(byFile(ahead.rejected)).toEqual(byFile(sync.rejected));
    const stamps = seen.filter((f) => f.startsWith("999/901/9999013/")).map((f) => f.split("/").pop()!.split("_")[4]!);
    expect(stamps).toEqual([...stamps].sort());
  });

  it("warns, without refusing, when a matching id's birth date disagrees with the patient", async () => {
    const s = await importSsmix2Tree(db, "2213000001", FIXTURES, { by: "test" });
    // of the seven filed files, only OMP-11/12 and ADT-52 disagree with tp1 (their birth dates)
    expect(s.warnings.map((w) => w.file.split("/")[4])).toEqual(["OMP-11", "OMP-12", "ADT-52"]);
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "ss2-"));
    const src = path.join(FIXTURES, "999/901/9999013/20110701/OMP-01");
    const name = fs.readdirSync(src)[0]!;
    const text = fs.readFileSync(path.join(src, name), "latin1").replace("|19480405|M|", "|19480406|M|");
    fs.mkdirSync(path.join(tmp, "999/901/9999013/20110701/OMP-01"), { recursive: true });
    fs.writeFileSync(path.join(tmp, "999/901/9999013/20110701/OMP-01", name.replace("20110701224603984", "20110701224603985")), text, "latin1");
    const w = await importSsmix2Tree(db, "2213000001", tmp, { by: "test" });
    expect(w.counts).toMatchObject({ replaced: 1 });
    expect(w.warnings.map((x) => x.warning)).toEqual(["BIRTH_DATE: PID-7 says 1948-04-06, the patient's is 1948-04-05"]);
    // the clinician sees it too, beside the facility's records: each differing birth date once
    const view = await getPatientView(doctorB, "tp1");
    expect(view.summary.sourceMismatches).toEqual({ fS: { birthDates: ["1948-04-06", "1965-04-15", "1970-04-05"], sexes: [] } });
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
    // no link, no filing: the seven files naming 9999013 wait for an administrator, nothing is guessed
    const s = await importSsmix2Tree(db, "2213000001", FIXTURES, { by: "test" });
    expect(s.counts.held).toBe(7);
    expect(s.held.every((h) => h.reason.startsWith("NO_LINK: no patient is linked to facility 2213000001 id 9999013"))).toBe(true);
    expect(await db.prescription.count()).toBe(before);
    await expect(importSsmix2Tree(db, "2213000002", FIXTURES, { by: "test" })).rejects.toEqual(new IngestRefusedError("FACILITY_NOT_DISCLOSING"));
    await expect(importSsmix2Tree(db, "9999999999", FIXTURES, { by: "test" })).rejects.toBeInstanceOf(IngestRefusedError);
  });
});

describe("identity review of held files", () => {
  it("raises one candidate per unlinked facility id, showing its ADT-00's identity and what the other held files said otherwise", async () => {
    const [c, ...more] = await listCandidates(db);
    expect(more).toEqual([]);
    // the earliest held file is OMP-11 (20110701113813225), which says 1965-04-15; the patient master
    // (ADT-00) says 1948-04-05 and replaces it as the identity shown; the other dates stay beside it
    expect(c).toMatchObject({ facilityId: "fS", localPatientId: "9999013", status: "PENDING", heldFiles: 7, firstFile: expect.stringContaining("/OMP-11/"), suggestedPatientId: "tp1" });
    expect(c!.identity).toMatchObject({ familyName: "患者", givenNameKana: "タロウ", birthDate: "1948-04-05", sex: "MALE", from: expect.stringContaining("/ADT-00/"), fromMaster: true, otherBirthDates: ["1965-04-15", "1970-04-05"] });
    expect(await db.patientLink.count({ where: { facilityId: "fS" } })).toBe(0); // nothing linked on a suggestion
  });

  it("confirming links it with its provenance (audited), after which the import files again", async () => {
    const [c] = await listCandidates(db);
    await expect(confirmCandidate(db, c!.id, { by: "reviewer", patientId: "no-such" })).rejects.toEqual(new IdentityReviewError("NO_PATIENT"));
    // ADT-00 matches tp1 exactly (the suggestion), but other held files say 1965-04-15 and 1970-04-05,
    // and they will be filed under her too: a birth date that differs anywhere needs the reviewer's reason
    await expect(confirmCandidate(db, c!.id, { by: "reviewer" })).rejects.toEqual(new IdentityReviewError("IDENTITY_DIFFERS"));
    await expect(confirmCandidate(db, c!.id, { by: "reviewer", patientId: "tp1" })).rejects.toEqual(new IdentityReviewError("IDENTITY_DIFFERS"));
    expect(await db.patientLink.count({ where: { facilityId: "fS" } })).toBe(0);
    await confirmCandidate(db, c!.id, { by: "reviewer", patientId: "tp1", override: { reason: "ADT-00 の生年月日 1948-04-05 と一致。OMP-11 の生年月日は送信側の誤り" } });
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
    expect(again.counts.held).toBe(7);
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
    const list = async () => (await db.allergy.findMany({ where: { patientId: "tp1", facilityId: "fS", sourceRef: { contains: "/ADT-61/" } }, orderBy: { id: "asc" } })).map((a) => [a.kind, a.display, a.severity, a.reaction]);
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

describe("stays, dispenses and their cancels", () => {
  /** A storage tree of edited copies of the fixtures (ASCII edits only: the ISO-2022-JP bytes stay as they are). */
  function tree(files: { kind: string; from: string; date: string; stamp: string; order?: string; flag?: 0 | 1; edit?: (t: string) => string }[]) {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "ss2-"));
    for (const f of files) {
      const src = path.join(FIXTURES, "999/901/9999013", f.from, f.kind);
      const name = fs.readdirSync(src)[0]!;
      const [, , , order, , dept] = name.split("_");
      const dir = path.join(tmp, "999/901/9999013", f.date, f.kind);
      fs.mkdirSync(dir, { recursive: true });
      const text = (f.edit ?? ((t) => t))(fs.readFileSync(path.join(src, name), "latin1"));
      fs.writeFileSync(path.join(dir, ["9999013", f.date, f.kind, f.order ?? order, f.stamp, dept, String(f.flag ?? 1)].join("_")), text, "latin1");
    }
    return tmp;
  }
  const run = (root: string) => importSsmix2Tree(db, "2213000001", root, { by: "test" });
  const stays = async (patientId = "tp1") => (await db.encounter.findMany({ where: { patientId }, orderBy: { occurredAt: "asc" } })).map((e) => [e.occurredAt.toISOString(), e.endedAt?.toISOString() ?? null]);
  const FIXTURE_STAY = ["2011-11-20T07:00:00.000Z", "2011-12-20T03:00:00.000Z"];
  // PV1-19 (visit number) and PV1-44 / PV1-45, set in the fixtures' PV1 by position
  const admitV1 = (t: string) => t.replace(/\|{27}201111201600/, `||V1${"|".repeat(25)}201201051000`);
  const dischargeV1 = (t: string) => t.replace(/\^I\|{19}01\|{9}201112201200/, `^I||V1${"|".repeat(17)}01${"|".repeat(9)}201201101100`);
  const files = {
    admit: { kind: "ADT-22", from: "20111120", date: "20120105", stamp: "20120105100000000", edit: admitV1 },
    discharge: { kind: "ADT-52", from: "20111220", date: "20120110", stamp: "20120110110000000", edit: dischargeV1 },
    cancelDischarge: { kind: "ADT-52", from: "20111220", date: "20120111", stamp: "20120111000000000", edit: (t: string) => dischargeV1(t).replace("ADT^A03^", "ADT^A13^") },
    cancelAdmit: { kind: "ADT-22", from: "20111120", date: "20120112", stamp: "20120112000000000", edit: (t: string) => admitV1(t).replace("ADT^A01^", "ADT^A11^") },
  };

  it("withholds a psychiatric admission sent as its SS-MIX2 code (PV1-10 02), and not its internal-medicine twin (01)", async () => {
    // its own day and visit (V7), so the stays the tests below count are untouched once it is deleted
    const admit = { kind: "ADT-22", from: "20111120", date: "20120301" };
    const on = (dept: string) => (t: string) => t.replace(/\^I\|\|\|01\|/, `^I|||${dept}|`).replace(/\|{27}201111201600/, `||V7${"|".repeat(25)}201203011000`);
    const stay = () => db.encounter.findFirst({ where: { patientId: "tp1", occurredAt: new Date("2012-03-01T01:00:00.000Z") } });
    expect((await run(tree([{ ...admit, stamp: "20120301100000000", edit: on("02") }]))).counts).toMatchObject({ created: 1 });
    expect([(await stay())?.department, (await stay())?.sensitivity]).toEqual(["02", "PSYCHIATRIC"]);
    expect((await run(tree([{ ...admit, stamp: "20120301100000001", edit: on("01") }]))).counts).toMatchObject({ replaced: 1 });
    expect([(await stay())?.department, (await stay())?.sensitivity]).toEqual(["01", "NORMAL"]);
    expect((await run(tree([{ ...admit, stamp: "20120301100000002", flag: 0 }]))).counts).toMatchObject({ deleted: 1 });
  });

  it("a file and its deletion (flag 0) in one import leave nothing: the deletion sees the file filed just before it, in the same batch", async () => {
    // its own day and visit (V8), so the stays the tests below count are untouched
    const admit = { kind: "ADT-22", from: "20111120", date: "20120401", edit: (t: string) => t.replace(/\|{27}201111201600/, `||V8${"|".repeat(25)}201204011000`) };
    const s = await run(tree([{ ...admit, stamp: "20120401100000000" }, { ...admit, stamp: "20120401100000001", flag: 0 }]));
    expect(s.counts).toMatchObject({ created: 1, deleted: 1 });
    expect(s.warnings.filter((w) => w.warning.startsWith("DELETE_UNKNOWN"))).toEqual([]);
    expect(await db.encounter.count({ where: { patientId: "tp1", occurredAt: new Date("2012-04-01T01:00:00.000Z") } })).toBe(0);
    expect(await db.ingestDocument.findFirst({ where: { sourceKey: "ss2|9999013|2012-04-01|ADT-22|-" } })).toMatchObject({ status: "DELETED", records: [] });
  });

  it("completes the stay of the same visit number (PV1-19), not the latest one", async () => {
    const s = await run(tree([files.admit, files.discharge]));
    expect(s.counts).toMatchObject({ created: 2 });
    expect(await stays()).toEqual([FIXTURE_STAY, ["2012-01-05T01:00:00.000Z", "2012-01-10T02:00:00.000Z"]]);
    const ledger = await db.ingestDocument.findFirst({ where: { facilityId: "fS", sourceKey: "ss2|9999013|2012-01-10|ADT-52|-" } });
    expect(ledger?.records).toEqual([{ table: "EncounterEnd", id: expect.stringMatching(/-enc$/), at: "2012-01-10T02:00:00.000Z", visit: "V1" }]);
  });

  it("a discharge cancel (ADT^A13) reopens the stay; an admission cancel (A11) removes it; re-reading changes nothing", async () => {
    const c1 = await run(tree([files.cancelDischarge]));
    expect(c1.counts).toMatchObject({ created: 1 });
    expect(c1.warnings.map((w) => w.warning)).toEqual(["BIRTH_DATE: PID-7 says 1970-04-05, the patient's is 1948-04-05"]);
    expect(await stays()).toEqual([FIXTURE_STAY, ["2012-01-05T01:00:00.000Z", null]]);
    expect(await db.ingestDocument.findFirst({ where: { sourceKey: "ss2|9999013|2012-01-10|ADT-52|-" } })).toMatchObject({ status: "CANCELLED", records: [] });
    const c2 = await run(tree([files.cancelAdmit]));
    expect(c2.counts).toMatchObject({ created: 1 });
    expect(await stays()).toEqual([FIXTURE_STAY]);
    const audit = await db.auditEvent.findFirst({ where: { action: "RECORDS_IMPORTED", patientId: "tp1" }, orderBy: { seq: "desc" } });
    expect(audit?.detail).toMatchObject({ kind: "ADT-22", cancelled: expect.stringContaining("/20120105/ADT-22/") });
    // every file again, in order: all unchanged, the cancelled stay stays cancelled
    const again = await run(tree([files.admit, files.discharge, files.cancelDischarge, files.cancelAdmit]));
    expect(again.counts).toMatchObject({ unchanged: 4, created: 0, replaced: 0 });
    expect(await stays()).toEqual([FIXTURE_STAY]);
    // a cancel of something never filed is reported, not guessed
    const stray = await run(tree([{ ...files.cancelAdmit, date: "20120201", stamp: "20120201000000000", edit: (t: string) => files.cancelAdmit.edit(t).replace("||V1|", "||V9|") }]));
    expect(stray.warnings.map((w) => w.warning)).toEqual(["CANCEL_UNKNOWN: ADT^A11 cancels a ADT-22 never imported (visit V9)"]);
  });

  it("never completes another patient's stay: a discharge with no open stay of its own patient files nothing", async () => {
    await db.patient.create({ data: { id: "tp2", familyName: "別人", givenName: "次郎", familyNameKana: "ベツジン", givenNameKana: "ジロウ", sex: "MALE", birthDate: new Date("1970-04-05") } });
    await db.encounter.create({ data: { patientId: "tp2", id: "enc-tp2", facilityId: "fS", class: "INPATIENT", occurredAt: new Date("2011-12-01T00:00:00Z") } });
    const s = await run(tree([{ ...files.discharge, edit: undefined, date: "20120301", stamp: "20120301000000000" }]));
    expect(s.counts).toMatchObject({ created: 1 });
    expect(s.records).toBe(0);
    expect(s.warnings.map((w) => w.warning)).toContain("DISCHARGE_UNMATCHED: no open admission of this patient here before 2011-12-20T03:00:00.000Z; nothing filed");
    expect(await stays("tp2")).toEqual([["2011-12-01T00:00:00.000Z", null]]);
    expect(await stays()).toEqual([FIXTURE_STAY]);
  });

  it("a resent admission keeps its discharge; deleting the discharge (flag 0) reopens the stay", async () => {
    const resend = await run(tree([{ kind: "ADT-22", from: "20111120", date: "20111120", stamp: "20111221000000000" }]));
    expect(resend.counts).toMatchObject({ replaced: 1 });
    expect(await stays()).toEqual([FIXTURE_STAY]);
    const del = await run(tree([{ kind: "ADT-52", from: "20111220", date: "20111220", stamp: "20111222000000000", flag: 0 }]));
    expect(del.counts).toMatchObject({ deleted: 1 });
    expect(await stays()).toEqual([[FIXTURE_STAY[0], null]]);
    // a cancel stored under the admission's own key (same 診療日, no order number) replaces it: the stay goes
    const cancel = await run(tree([{ kind: "ADT-22", from: "20111120", date: "20111120", stamp: "20111223000000000", edit: (t) => t.replace("ADT^A01^", "ADT^A11^") }]));
    expect(cancel.counts).toMatchObject({ replaced: 1 });
    expect(await stays()).toEqual([]);
    const audit = await db.auditEvent.findFirst({ where: { action: "RECORDS_IMPORTED", patientId: "tp1" }, orderBy: { seq: "desc" } });
    expect(audit?.detail).toMatchObject({ kind: "ADT-22", removed: 1, records: 0, cancelled: expect.stringContaining("/20111120/ADT-22/9999013_20111120_ADT-22_999999999999999_20111221000000000_") });
  });

  it("links a 処方実施 to the OMP-01 of its ORC-2 in either order, and unlinks it when that prescription is deleted", async () => {
    const order = "000000011000185"; // OMP-01's order; deleted by the flag-0 test above
    const omp11 = { kind: "OMP-11", from: "20110630", date: "20110701", stamp: "20110702100000000", order, edit: (t: string) => t.replace("ORC|NW|123456789012345|", `ORC|NW|${order}|`) };
    expect((await run(tree([omp11]))).counts).toMatchObject({ created: 1 });
    const dispense = () => db.prescription.findFirst({ where: { patientId: "tp1", kind: "DISPENSE", sourceRef: { contains: order } } });
    expect((await dispense())?.fillsId).toBeNull(); // no OMP-01 of that order is filed now
    const omp01 = { kind: "OMP-01", from: "20110701", date: "20110701", stamp: "20110703000000000" };
    expect((await run(tree([omp01]))).counts).toMatchObject({ replaced: 1 });
    const rx = await db.prescription.findFirst({ where: { patientId: "tp1", kind: "PRESCRIPTION", sourceRef: { contains: "/OMP-01/" } } });
    expect((await dispense())?.fillsId).toBe(rx!.id);
    expect((await run(tree([{ ...omp01, stamp: "20110704000000000", flag: 0 }]))).counts).toMatchObject({ deleted: 1 });
    expect((await dispense())?.fillsId).toBeNull();
  });

  it("links them when both come in one import, the 処方実施 first: one batch, whose writes are sent together", async () => {
    const order = "000000011000777";
    const omp11 = { kind: "OMP-11", from: "20110630", date: "20110801", stamp: "20110801100000000", order, edit: (t: string) => t.replace("ORC|NW|123456789012345|", `ORC|NW|${order}|`) };
    const omp01 = { kind: "OMP-01", from: "20110701", date: "20110801", stamp: "20110801110000000", order };
    expect((await run(tree([omp11, omp01]))).counts).toMatchObject({ created: 2 });
    const dispense = await db.prescription.findFirst({ where: { patientId: "tp1", kind: "DISPENSE", sourceRef: { contains: order } } });
    const rx = await db.prescription.findFirst({ where: { patientId: "tp1", kind: "PRESCRIPTION", sourceRef: { contains: order } } });
    expect(dispense?.fillsId).toBe(rx!.id);
    expect((await verifyChain(db)).ok).toBe(true);
  });

  it("rejects a file whose message is not its kind's", async () => {
    const s = await run(tree([{ kind: "ADT-52", from: "20111220", date: "20120401", stamp: "20120401000000000", edit: (t) => t.replace("ADT^A03^", "ADT^A08^") }]));
    expect(s.rejected.map((r) => r.reason)).toEqual(["MESSAGE_TYPE: a ADT-52 file holds ADT^A08, not ADT^A03 or ADT^A13"]);
  });
});

describe("examinations (OMG) as documents, and the kinds with no place", () => {
  /**
   * Copies of fixture files, each under patient 9999013 as the folder says: the OMG and OMD fixtures
   * name other patients in PID-3 (README), so only PID-3 is changed (ASCII); birth date and sex are theirs.
   */
  function copies(files: { date: string; kind: string; stamp?: string; flag?: 0 | 1; edit?: (t: string) => string; as?: string }[]) {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "ss2-"));
    for (const f of files) {
      const src = path.join(FIXTURES, "999/901/9999013", f.date, f.kind);
      const name = fs.readdirSync(src)[0]!;
      const kind = f.as ?? f.kind;
      const parts = name.split("_");
      parts[2] = kind;
      if (f.stamp) parts[4] = f.stamp;
      if (f.flag !== undefined) parts[6] = String(f.flag);
      const text = (f.edit ?? ((t) => t))(fs.readFileSync(path.join(src, name), "latin1").replace(/PID\|0001\|\|\d+(\^\^\^\^PI)?\|/, "PID|0001||9999013^^^^PI|"));
      fs.mkdirSync(path.join(tmp, "999/901/9999013", f.date, kind), { recursive: true });
      fs.writeFileSync(path.join(tmp, "999/901/9999013", f.date, kind, parts.join("_")), text, "latin1");
    }
    return tmp;
  }
  const run = (root: string) => importSsmix2Tree(db, "2213000001", root, { by: "test" });
  const OMG = ["OMG-01", "OMG-02", "OMG-03", "OMG-11", "OMG-12", "OMG-13"].map((kind) => ({ date: "20111220", kind }));
  const exams = () => db.document.findMany({ where: { patientId: "tp1", facilityId: "fS" }, orderBy: { kind: "asc" } });

  it("files OMG-11/12/13 as documents of their own kinds, and counts the three orders as not imported", async () => {
    const s = await run(copies(OMG));
    expect(s.counts).toMatchObject({ created: 3, not_imported: 3, rejected: 0 });
    expect(s.notImported).toEqual({
      "kind OMG-01: a radiology order, not what was performed (OMG-11)": 1,
      "kind OMG-02: an endoscopy order, not what was performed (OMG-12)": 1,
      "kind OMG-03: a physiology test order, not its result (OMG-13)": 1,
    });
    const docs = await exams();
    expect(docs.map((d) => [d.kind, d.title, d.occurredAt.toISOString(), d.authorName, d.sensitivity])).toEqual([
      // ordered by 産科: a fetal ultrasound is reproductive care, withheld from a facility the patient excludes it from
      ["RADIOLOGY_EXAM", "胎児.経皮的超音波検査", "2011-12-19T15:00:00.000Z", "助産師 愛子", "REPRODUCTIVE"],
      ["ENDOSCOPY_EXAM", "検査.上部.上部通常内視鏡", "2011-12-19T15:00:00.000Z", null, "NORMAL"],
      ["PHYSIOLOGY_REPORT", "標準１２誘導心電図", "2011-12-19T15:00:00.000Z", null, "NORMAL"],
    ]);
    const body = (kind: string) => docs.find((d) => d.kind === kind)!.body;
    expect(body("PHYSIOLOGY_REPORT")).toContain("【結果】標準１２誘導心電図\n心電図所見: 心筋虚血疑い\n心拍数: 67 bpm");
    expect(body("ENDOSCOPY_EXAM")).toContain("臨床病名: 胃潰瘍の疑い");
    expect(body("ENDOSCOPY_EXAM")).toContain("【実施】検査.上部.胃.上部通常内視鏡.生検採取");
    expect(body("ENDOSCOPY_EXAM")).toContain("薬品: セルシン5mg 1管");
    expect(body("RADIOLOGY_EXAM")).toContain("US 1.2.392.1114.20045.43233.5.300001");
    // the id matches, the rest is the other patients' (README): filed, with what an administrator should check
    expect(s.warnings.map((w) => `${w.file.split("/")[4]} ${w.warning}`)).toEqual([
      "OMG-11 BIRTH_DATE: PID-7 says 1982-09-11, the patient's is 1948-04-05",
      "OMG-11 SEX: PID-8 says FEMALE, the patient's is MALE",
      "OMG-12 BIRTH_DATE: PID-7 says 1950-12-14, the patient's is 1948-04-05",
    ]);
  });

  it("shows each in the 統合ビュー's timeline as a document a consented doctor can open", async () => {
    const page = await getTimelinePage(doctorB, "tp1", { limit: 100, kinds: ["document"] });
    const ecg = page.entries.find((e) => e.tag === "PHYSIOLOGY_REPORT")!;
    expect(ecg).toMatchObject({ kind: "document", summary: "標準１２誘導心電図", facilityId: "fS", occurredAt: "2011-12-19T15:00:00.000Z" });
    expect(page.entries.map((e) => e.tag)).toEqual(expect.arrayContaining(["RADIOLOGY_EXAM", "ENDOSCOPY_EXAM", "PHYSIOLOGY_REPORT"]));
    const opened = await getDocument(doctorB, "tp1", ecg.id);
    expect(opened.document).toMatchObject({ kind: "PHYSIOLOGY_REPORT", title: "標準１２誘導心電図" });
    expect(opened.document.body).toContain("QTc 時間 Bazzet: 433 msec");
  });

  it("changes nothing on a re-import; a newer file replaces the document, a condition-flag-0 file deletes it", async () => {
    const before = await exams();
    expect((await run(copies(OMG))).counts).toMatchObject({ unchanged: 3, created: 0, replaced: 0, not_imported: 3 });
    expect(await exams()).toEqual(before);
    const ecg = { date: "20111220", kind: "OMG-13" };
    const newer = await run(copies([{ ...ecg, stamp: "20111221000000000", edit: (t) => t.replace("|67|bpm|", "|71|bpm|") }]));
    expect(newer.counts).toMatchObject({ replaced: 1 });
    const replaced = (await exams()).filter((d) => d.kind === "PHYSIOLOGY_REPORT");
    expect(replaced.map((d) => d.body.includes("心拍数: 71 bpm"))).toEqual([true]);
    const del = await run(copies([{ ...ecg, stamp: "20111222000000000", flag: 0 }]));
    expect(del.counts).toMatchObject({ deleted: 1 });
    expect((await exams()).map((d) => d.kind)).toEqual(["RADIOLOGY_EXAM", "ENDOSCOPY_EXAM"]);
  });

  it("rejects an exam file whose message is not its kind's", async () => {
    const s = await run(copies([{ date: "20111220", kind: "OMG-13", stamp: "20111223000000000", edit: (t) => t.replace("ORU^R01^ORU_R01", "OMI^Z23^OMI_Z23") }]));
    expect(s.rejected.map((r) => r.reason)).toEqual(["MESSAGE_TYPE: a OMG-13 file holds OMI^Z23, not ORU^R01"]);
  });

  it("an ADT-00 that deletes the patient's information (ADT^A23) removes the allergy and measurements the last one filed", async () => {
    const fromAdt00 = { patientId: "tp1", sourceRef: { contains: "/ADT-00/" } };
    const adt00 = { date: "-", kind: "ADT-00" };
    expect((await run(copies([{ ...adt00, stamp: "20111221000000000" }]))).counts).toMatchObject({ replaced: 1 });
    expect((await db.allergy.findMany({ where: fromAdt00 })).map((a) => a.display)).toEqual(["ペニシリン"]);
    expect(await db.labResult.count({ where: fromAdt00 })).toBe(3);
    expect(await db.patientContact.count({ where: fromAdt00 })).toBe(5);
    const deletion = await run(copies([{ ...adt00, stamp: "20111222000000000", edit: (t) => t.replace("ADT^A08^", "ADT^A23^") }]));
    expect(deletion.counts).toMatchObject({ replaced: 1 });
    expect(deletion.records).toBe(0);
    expect(await db.allergy.count({ where: fromAdt00 })).toBe(0);
    expect(await db.labResult.count({ where: fromAdt00 })).toBe(0);
    expect(await db.patientContact.count({ where: fromAdt00 })).toBe(0);
  });

  it("files an ADT-12 外来受付 as an outpatient visit, and counts diet orders, leaves and transfers with their reasons", async () => {
    // the admission fixture, sent as an outpatient's reception (ADT^A04) at 診療科 01
    const reception = { date: "20111120", kind: "ADT-22", as: "ADT-12", edit: (t: string) => t.replace("ADT^A01^", "ADT^A04^").replace("PV1|0001|I|32^302^1^^^N|", "PV1|0001|O|01^^^^^C|") };
    const s = await run(copies([reception, { date: "20111013", kind: "OMD" }, { date: "20111220", kind: "ADT-42", as: "ADT-31" }, { date: "20111220", kind: "ADT-42", as: "ADT-32" }]));
    expect(s.counts).toMatchObject({ created: 1, not_imported: 3, rejected: 0 });
    expect(s.notImported).toEqual({
      "kind OMD: a diet order; the record has no place for diets": 1,
      "kind ADT-31: a leave (外出・外泊) within a stay; the record keeps no ward or department history": 1,
      "kind ADT-32: a return from leave (外出・外泊) within a stay; the record keeps no ward or department history": 1,
    });
    const visits = await db.encounter.findMany({ where: { patientId: "tp1", class: "OUTPATIENT" } });
    // PV1-44 is the arrival for A04: 2011-11-20 16:00 JST
    expect(visits.map((e) => [e.facilityId, e.occurredAt.toISOString(), e.endedAt, e.department, e.sourceRef?.split("/")[4]])).toEqual([["fS", "2011-11-20T07:00:00.000Z", null, "01", "ADT-12"]]);
    const wrong = await run(copies([{ ...reception, stamp: "20111221000000000", edit: (t: string) => t }]));
    expect(wrong.rejected.map((r) => r.reason)).toEqual(["MESSAGE_TYPE: a ADT-12 file holds ADT^A01, not ADT^A04"]);
  });
});

describe("the extended storage (拡張ストレージ)", () => {
  const VITALS = "L-OBSERVATIONS^OBSERVATIONS^99ZL01";
  const SUMMARY = "^退院時サマリー^^18842-5^退院時サマリー^LN";
  /** A vital-signs message as NHO's specification lays it out (ORU^R30, JLAC10 OBX, OBX-14 the time measured). */
  const vitals = (pulse: string) =>
    [
      "MSH|^~\\&|HIS|SEND|GW|RCV|20160102000100.158||ORU^R30^ORU_R30|V0001|P|2.5||||||~ISO IR87||ISO2022-1994",
      "PID|0001||9999013^^^^PI||患者^太郎^^^^^L^I~カンジャ^タロウ^^^^^L^P||19480405|M",
      "PV1|0001|I|07E^03^01^^^N",
      "ORC|SC|000000020160101|||CM||||201601010800",
      "OBR|1|000000020160101||01^バイタル^99ABC|||201601010800",
      "OBX|1|NM|9A751000000000001^収縮期血圧（1回目）^JC10||118|mm(hg)^mmHg^ISO+|<130||||F|||201601010800",
      `OBX|2|NM|9P300000000000001^脈拍^JC10||${pulse}|(hb)^回／１分^ISO+|50-90|${Number(pulse) > 90 ? "H" : ""}|||F|||201601011500`,
    ].join("\r");
  const content = (kind: string, date: string, key: string, stamp: string, flag = 1) => `999/901/9999013/${date}/${kind}/9999013_${date}_${kind}_${key}_${stamp}_${flag}`;
  function tree(files: Record<string, string | Buffer>) {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "ss2x-"));
    for (const [rel, body] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(tmp, rel)), { recursive: true });
      fs.writeFileSync(path.join(tmp, rel), typeof body === "string" ? encodeIso2022jp(body) : body);
    }
    return tmp;
  }
  const run = (root: string) => importSsmix2Tree(db, "2213000001", root, { by: "test" });
  const day1 = content(VITALS, "20160101", "000000020160101", "201601011500321");
  const vitalRows = async () => (await db.labResult.findMany({ where: { patientId: "tp1", sourceRef: { contains: VITALS } }, orderBy: { id: "asc" } })).map((l) => [l.code, l.display, l.valueNumeric, l.unit, l.refHigh, l.flag, l.occurredAt.toISOString()]);

  it("files main_document.hl7's vital signs as lab results, and counts or rejects what it cannot read, each with its reason", async () => {
    const s = await run(
      tree({
        [`${day1}/main_document.hl7`]: vitals("98"),
        [`${day1}/chart.png`]: Buffer.from([0x89, 0x50, 0x4e, 0x47]),
        [`${content(SUMMARY, "20160102", "000000000000001", "20160102100000000")}/main_document.xml`]: "<ClinicalDocument/>",
        // a content folder named for another patient, and a main document that is not ISO-2022-JP
        [`${content(VITALS, "20160103", "000000020160103", "20160103150000000").replace("/9999013_", "/9999014_")}/main_document.hl7`]: vitals("70"),
        [`${content(VITALS, "20160104", "000000020160104", "20160104150000000")}/main_document.hl7`]: Buffer.from([0x4d, 0x53, 0x48, 0xff, 0xfe]),
      }),
    );
    expect(s.filesRead).toBe(5);
    expect(s.counts).toMatchObject({ created: 1, not_imported: 1, rejected: 3 });
    expect(s.notImported).toEqual({ "extended storage: a file that goes with its content folder's main document (image, style sheet…), not a record": 1 });
    expect(s.rejected.map((r) => r.reason)).toEqual([
      "ID_MISMATCH: content folder names patient 9999014, folder is patient 9999013",
      // a CDA main document with nothing in it (the CDA documents themselves: below)
      "NO_BODY: /ClinicalDocument/component has no structuredBody",
      "NOT_ISO_2022_JP at byte 3",
    ]);
    expect(await vitalRows()).toEqual([
      ["9A751000000000001", "収縮期血圧（1回目）", 118, "mm(hg)", 130, null, "2015-12-31T23:00:00.000Z"],
      ["9P300000000000001", "脈拍", 98, "(hb)", 90, "H", "2016-01-01T06:00:00.000Z"],
    ]);
  });

  it("changes nothing on a re-import; a newer content folder of the same key replaces, a flag-0 one deletes", async () => {
    const before = await vitalRows();
    expect((await run(tree({ [`${day1}/main_document.hl7`]: vitals("98") }))).counts).toMatchObject({ unchanged: 1 });
    expect(await vitalRows()).toEqual(before);
    const newer = content(VITALS, "20160101", "000000020160101", "20160101160000000");
    expect((await run(tree({ [`${newer}/main_document.hl7`]: vitals("72") }))).counts).toMatchObject({ replaced: 1 });
    expect((await vitalRows()).map((r) => r[2])).toEqual([118, 72]);
    const gone = content(VITALS, "20160101", "000000020160101", "20160101170000000", 0);
    expect((await run(tree({ [`${gone}/main_document.hl7`]: vitals("72") }))).counts).toMatchObject({ deleted: 1 });
    expect(await vitalRows()).toEqual([]);
  });

  describe("CDA main documents (main_document.xml)", () => {
    // written for these tests (tests/fixtures/cda/README.md): ../shared/fixtures has no public CDA document
    const cda = (name: string) => fs.readFileSync(path.resolve(__dirname, "fixtures/cda", name));
    const REFERRAL = "^紹介状^^57133-1^紹介状^LN";
    const JSPEED = "L-JSPEED^災害時JSPEED記録^99ZL01^74465-6^災害時JSPEED記録^LN";
    const referral = content(REFERRAL, "20160102", "REF0001", "20160102103000000");
    const summary = content(SUMMARY, "20160120", "000000000000002", "20160120153000000");
    const letters = () => db.document.findMany({ where: { patientId: "tp1", sourceRef: { endsWith: "/main_document.xml" } }, orderBy: [{ occurredAt: "asc" }, { sourceRef: "asc" }] });

    it("files a referral and a discharge summary, UTF-8 and Shift_JIS, as documents of their kinds; rejects a wrong patient, broken XML and an XXE, each with its reason", async () => {
      const utf8 = cda("referral.utf8.xml").toString("utf8");
      const secret = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "xxe-")), "secret.txt");
      fs.writeFileSync(secret, "TOP-SECRET-PASSWORD");
      const s = await run(
        tree({
          [`${referral}/main_document.xml`]: cda("referral.utf8.xml"),
          [`${referral}/referral.xsl`]: Buffer.from("<xsl:stylesheet/>"),
          [`${content(REFERRAL, "20160103", "REF0002", "20160103090000000")}/main_document.xml`]: cda("referral.sjis.xml"),
          [`${summary}/main_document.xml`]: cda("discharge-summary.sjis.xml"),
          [`${content(SUMMARY, "20160121", "000000000000003", "20160121090000000")}/main_document.xml`]: cda("discharge-summary.utf8.xml"),
          [`${content(JSPEED, "20160122", "JS0001", "20160122090000000")}/main_document.xml`]: Buffer.from(utf8.replace(/<code code="MD0020730"[^>]*\/>/, '<code code="74465-6" codeSystem="2.16.840.1.113883.6.1" displayName="災害時JSPEED記録"/>').replace("<title>診療情報提供書</title>", "")),
          // the letter names another patient inside, broken XML, and a DOCTYPE naming a local file
          [`${content(REFERRAL, "20160104", "REF0003", "20160104090000000")}/main_document.xml`]: Buffer.from(utf8.replace('extension="9999013"', 'extension="9999014"')),
          [`${content(REFERRAL, "20160105", "REF0004", "20160105090000000")}/main_document.xml`]: Buffer.from(utf8.replace("診療情報提供書</title>", "診療情報提供書</titel>")),
          [`${content(REFERRAL, "20160106", "REF0005", "20160106090000000")}/main_document.xml`]: Buffer.from(`<?xml version="1.0"?>\n<!DOCTYPE ClinicalDocument [<!ENTITY xxe SYSTEM "file://${secret}">]>\n${utf8.split("\n").slice(2).join("\n").replace("労作性狭心症の経過観察", "&xxe;")}`),
        }),
      );
      expect(s.filesRead).toBe(9);
      expect(s.counts).toMatchObject({ created: 5, rejected: 3, not_imported: 1 });
      expect(s.notImported).toEqual({ "extended storage: a file that goes with its content folder's main document (image, style sheet…), not a record": 1 });
      expect(s.rejected.map((r) => [r.file.split("/")[5]!.split("_")[3], r.reason])).toEqual([
        ["REF0003", "PATIENT_MISMATCH: /ClinicalDocument/recordTarget/patientRole/id (line 12) says 9999014, the storage folder is patient 9999013"],
        ["REF0004", "XML_NOT_WELL_FORMED: Unexpected close tag at /ClinicalDocument/title (line 8)"],
        ["REF0005", "XML_DTD_FORBIDDEN: a DOCTYPE (document type declaration): a CDA document has none, and its entities are never read (line 2)"],
      ]);
      expect(JSON.stringify(s)).not.toContain("TOP-SECRET");
      expect(s.warnings.map((w) => `${w.file.split("/")[5]!.split("_")[3]} ${w.warning}`)).toEqual([
        "000000000000003 BIRTH_DATE: recordTarget/patientRole/patient/birthTime says 1948-04-06, the patient's is 1948-04-05",
        "JS0001 DOCUMENT_TYPE: code 74465-6 (2.16.840.1.113883.6.1 災害時JSPEED記録) has no kind in the record; filed as a 診療文書 with its code",
      ]);

      const docs = await letters();
      expect(docs.map((d) => [d.kind, d.title, d.occurredAt.toISOString(), d.authorName, d.recipient, d.codeSystem, d.code, d.codeDisplay, d.sensitivity])).toEqual([
        ["REFERRAL", "診療情報提供書", "2016-01-02T01:30:00.000Z", "登呂 一郎", "駿河クリニック 駿河 花子", "1.2.392.200119.5.3.1", "MD0020730", "診療情報提供書", "NORMAL"],
        ["REFERRAL", "診療情報提供書", "2016-01-02T01:30:00.000Z", "登呂 一郎", "駿河クリニック 駿河 花子", "2.16.840.1.113883.6.1", "57133-1", "紹介状", "NORMAL"],
        // a type the record has no kind for: kept with its code, titled by its name
        ["CLINICAL_DOCUMENT", "災害時JSPEED記録", "2016-01-02T01:30:00.000Z", "登呂 一郎", "駿河クリニック 駿河 花子", "2.16.840.1.113883.6.1", "74465-6", "災害時JSPEED記録", "NORMAL"],
        ["DISCHARGE_SUMMARY", "退院時サマリー", "2016-01-20T06:30:00.000Z", "登呂 次郎", null, "2.16.840.1.113883.6.1", "18842-5", "退院時サマリー", "NORMAL"],
        // its ICD-10 F32.9 makes it psychiatric care: withheld where the patient withholds that
        ["DISCHARGE_SUMMARY", "退院時サマリー", "2016-01-20T06:30:00.000Z", "登呂 次郎", null, "2.16.840.1.113883.6.1", "18842-5", "退院時サマリー", "PSYCHIATRIC"],
      ]);
      // the Shift_JIS letter reads exactly as the UTF-8 one
      expect(docs.filter((d) => d.kind === "REFERRAL").map((d) => d.body)).toEqual([docs[0]!.body, docs[0]!.body]);
      const audit = await db.auditEvent.findFirst({ where: { action: "RECORDS_IMPORTED", patientId: "tp1" }, orderBy: { seq: "desc" } });
      expect(audit?.detail).toMatchObject({ format: "SS-MIX2 CDA", kind: JSPEED, status: "created", records: 1 });
    });

    it("shows the letter in the 統合ビュー's timeline, and opens it with its sections", async () => {
      const page = await getTimelinePage(doctorB, "tp1", { limit: 100, kinds: ["document"] });
      const letter = page.entries.find((e) => e.tag === "REFERRAL" && e.occurredAt === "2016-01-02T01:30:00.000Z");
      expect(letter).toMatchObject({ kind: "document", summary: "診療情報提供書", facilityId: "fS" });
      expect(page.entries.filter((e) => e.tag === "DISCHARGE_SUMMARY" && e.occurredAt === "2016-01-20T06:30:00.000Z")).not.toHaveLength(0);
      const opened = await getDocument(doctorB, "tp1", letter!.id);
      expect(opened.document).toMatchObject({ kind: "REFERRAL", authorName: "登呂 一郎", recipient: "駿河クリニック 駿河 花子" });
      expect(opened.document.body.split("\n").filter((l) => l.startsWith("【"))).toEqual(["【紹介目的】", "【傷病名】", "【現病歴】", "【検査結果】", "【アレルギー・不適応反応】"]);
      expect(opened.document.body).toContain("【現病歴】\n2015年12月より労作時の胸部圧迫感あり。\n冠動脈造影にて右冠動脈 90%狭窄を認め、PCIを施行しました。");
    });

    it("holds the letter of a patient no link names, for the identity review, as any SS-MIX2 file", async () => {
      const kind = REFERRAL;
      const folder = `999/909/9999099/20160107/${kind}/9999099_20160107_${kind}_REF0009_20160107090000000_1`;
      const s = await run(tree({ [`${folder}/main_document.xml`]: Buffer.from(cda("referral.utf8.xml").toString("utf8").replace('extension="9999013"', 'extension="9999099"')) }));
      expect(s.counts).toMatchObject({ held: 1, created: 0 });
      expect(s.held.map((h) => h.reason)).toEqual([expect.stringMatching(/^NO_LINK: no patient is linked to facility 2213000001 id 9999099; identity candidate /)]);
      expect(await db.document.count({ where: { sourceRef: { startsWith: "999/909/9999099/" } } })).toBe(0);
    });

    it("changes nothing on a re-import; a newer content folder replaces the letter, flag 2 is superseded, flag 0 deletes it", async () => {
      const before = await letters();
      expect((await run(tree({ [`${summary}/main_document.xml`]: cda("discharge-summary.sjis.xml") }))).counts).toMatchObject({ unchanged: 1 });
      expect(await letters()).toEqual(before);
      const edited = (text: string) => Buffer.from(cda("discharge-summary.utf8.xml").toString("utf8").replace("F32.9", "I21.9").replace("うつ病エピソード", text).replace("19480406", "19480405"));
      const newer = content(SUMMARY, "20160120", "000000000000002", "20160125090000000");
      expect((await run(tree({ [`${newer}/main_document.xml`]: edited("急性心筋梗塞（訂正）") }))).counts).toMatchObject({ replaced: 1 });
      const summaries = async () => (await letters()).filter((d) => d.sourceRef?.includes("_000000000000002_")).map((d) => d.body.split("\n")[1]);
      expect(await summaries()).toEqual(["急性心筋梗塞（訂正）"]);
      const older = content(SUMMARY, "20160120", "000000000000002", "20160126090000000", 2);
      expect((await run(tree({ [`${older}/main_document.xml`]: edited("書きかけ") }))).counts).toMatchObject({ superseded: 1 });
      expect(await summaries()).toEqual(["急性心筋梗塞（訂正）"]);
      const gone = content(SUMMARY, "20160120", "000000000000002", "20160127090000000", 0);
      expect((await run(tree({ [`${gone}/main_document.xml`]: edited("急性心筋梗塞（訂正）") }))).counts).toMatchObject({ deleted: 1 });
      expect(await summaries()).toEqual([]);
    });
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
    expect(r.stderr).toContain("usage: npm run import -- <SS-MIX2 storage root | FHIR .json file | folder of FHIR .json files> --facility <10-digit 医療機関コード>");
    expect((await run([FIXTURES, "--facility", "12"])).status).toBe(2);
    const missing = await run(["/no/such/folder", "--facility", "2213000001"]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain("no such file or folder: /no/such/folder");
  });

  it("exits 2 for a facility it does not know, naming the reason, on a fresh embedded database", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ss2-cli-"));
    const r = await run([FIXTURES, "--facility", "2213000001"], { PGLITE_DIR: path.join(dir, "db") }, ["DATABASE_URL", "TSUNAGU_MIGRATION_DATABASE_URL"]);
    expect(r.stderr).toContain("refused: UNKNOWN_FACILITY");
    expect(r.status).toBe(2);
  }, 120_000);
});
