import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDatabase } from "./helpers/db";
import { seedIngestNetwork } from "./helpers/ingest-network";
import { testActor } from "./helpers/actor";
import type { Db } from "../lib/db/client";
import { getMedicationHistory, getTimelinePage } from "../lib/record";
import { importSsmix2Tree } from "../lib/ingest/ssmix2-tree";
import { encodeIso2022jp } from "../bench/iso2022jp";
import { CODE_SYSTEM } from "../lib/terminology/code-systems";

/**
 * SS-MIX2 files as other hospitals' storages write them — valid, but not as the NHO samples are: PID-3
 * listing several ids, PID-7 with a time, kana before kanji, LF between segments and spaces after
 * them, a byte-order mark, OBX-5 as SN, CWE and repeated TX, HH flags, NTE comments, 不均等投与 as one TQ1 per time of day, a PRB onset with a
 * time. Each is filed under its own patient with its values whole, and a clinician sees them.
 */
let ctx: Awaited<ReturnType<typeof freshDatabase>>;
let db: Db;
const doctorB = testActor("fB", "DOCTOR", { userId: "dr-b", name: "dr-b" });
const run = (root: string) => importSsmix2Tree(db, "2213000001", root, { by: "test" });

beforeAll(async () => {
  ctx = await freshDatabase();
  db = ctx.db;
  await seedIngestNetwork(db, { sender: { id: "fS", code: "2213000001", name: "登呂病院" }, format: "ssmix2" });
});
afterAll(async () => ctx?.close());

const MSH = (type: string, id: string) => `MSH|^~\\&|HIS|SEND|GW|RCV|20240401103059||${type}|${id}|P|2.5||||||~ISO IR87||ISO 2022-1994|SS-MIX2_1.20^SS-MIX2^1.2.392.200250.2.1.100.1.2.120^ISO`;
/** Another hospital's PID: the insured number listed before the patient id, kana before kanji, a birth time. */
const PID = "PID|0001||06123456^^^^HC~9999013^^^^PI||カンジャ^タロウ^^^^^L^P~患者^太郎^^^^^L^I||194804050930|M|||^^^^422-8033^JPN^H^静岡県静岡市登呂１－３－５";

/** One file of a fresh storage tree, written as the hospital's system did: ISO-2022-JP, LF only, spaces after segments; a Windows tool's byte-order mark if asked. */
function storage(date: string, kind: string, order: string, segments: string[], bom = false) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "ss2v-"));
  const dir = path.join(root, "999/901/9999013", date, kind);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, `9999013_${date}_${kind}_${order}_20240401103059000_01_1`), Buffer.concat([Buffer.from(bom ? [0xef, 0xbb, 0xbf] : []), encodeIso2022jp(segments.map((s) => `${s}  `).join("\n") + "\n")]));
  return root;
}

describe("another hospital's lab results (OML-11)", () => {
  const lab = storage("20240401", "OML-11", "000000024000001", [
    MSH("OUL^R22^OUL_R22", "L1"),
    PID,
    "SPM|1|000000001||023^血清^JC10|||||||||||||202404010900",
    "OBR|1|000000024000001|000000001|E001^生化学^99O03|||20240401",
    "OBX|1|SN|5C070000002302301^ＣＲＰ^JC10||<^0.30|mg/dl^mg/dl^ISO+|0.00-0.30|N|||F",
    "OBX|2|SN|5E083000002302301^抗体価^JC10||^1^:^128||||||F",
    "OBX|3|CWE|5E071000002313311^ＨＢｓ抗原^JC10||NEG^陰性^99LAB||(-)|N|||F",
    "OBX|4|TX|9Z900000000000000^所見^99LAB||溶血あり~再検査を推奨||||||F",
    "OBX|5|NM|3H015000002327101^Ｋ^JC10||5.9|mmol/l^mmol/l^ISO+|3.5-5.0|HH|||F",
    "NTE|1|L|溶血あり",
  ], true);

  it("files it (byte-order mark and all) under the patient PID-3's PI names, with no birth-date warning for PID-7's time", async () => {
    const s = await run(lab);
    expect(s.rejected).toEqual([]);
    expect(s.counts).toMatchObject({ created: 1 });
    expect(s.warnings).toEqual([]);
  });

  it("keeps every value as it was sent: a value below the limit is <0.30, never the number 0.30", async () => {
    const rows = await db.labResult.findMany({ where: { patientId: "tp1", facilityId: "fS" }, orderBy: { id: "asc" } });
    expect(rows.map((r) => [r.display, r.valueNumeric, r.valueText, r.unit, r.flag])).toEqual([
      ["ＣＲＰ", null, "<0.30", "mg/dl", "N"],
      ["抗体価", null, "1:128", null, null],
      ["ＨＢｓ抗原", null, "陰性", null, "N"],
      ["所見", null, "溶血あり\n再検査を推奨", null, null],
      ["Ｋ", 5.9, "溶血あり", "mmol/l", "H"],
    ]);
  });

  it("shows them so in the timeline, a critical HH as high and the NTE comment beside its value", async () => {
    const page = await getTimelinePage(doctorB, "tp1", { limit: 50, kinds: ["lab"] });
    const detail = page.entries.flatMap((e) => e.detail ?? []).map(([label, value]) => [label, Array.isArray(value) ? value.map((p) => (typeof p === "string" ? p : "flag" in p ? p.flag : "")).join("") : value]);
    expect(detail).toEqual(
      expect.arrayContaining([
        ["ＣＲＰ", expect.stringMatching(/^<0\.30 mg\/dl/)],
        ["抗体価", expect.stringMatching(/^1:128/)],
        ["ＨＢｓ抗原", expect.stringMatching(/^陰性/)],
        ["Ｋ", expect.stringMatching(/^5\.9 mmol\/l \(溶血あり\) \(H\)/)],
      ]),
    );
  });
});

describe("another hospital's storage", () => {
  it("reads a file named with a 15-digit timestamp (as NHO's own standard-storage sample), and counts a Windows folder's Thumbs.db as not imported", async () => {
    const root = storage("20240405", "OML-11", "000000024000007", [MSH("OUL^R22^OUL_R22", "L4"), PID, "OBR|1|000000024000007", "OBX|1|NM|3H015000002327101^Ｋ^JC10||4.0|mmol/l|||||F"]);
    const dir = path.join(root, "999/901/9999013/20240405/OML-11");
    const [name] = fs.readdirSync(dir);
    fs.renameSync(path.join(dir, name!), path.join(dir, name!.replace("_20240401103059000_", "_202404011030590_")));
    fs.writeFileSync(path.join(dir, "Thumbs.db"), Buffer.from([0xd0, 0xcf, 0x11, 0xe0]));
    const s = await run(root);
    expect(s.rejected).toEqual([]);
    expect(s.counts).toMatchObject({ created: 1, not_imported: 1 });
    expect(Object.keys(s.notImported)).toEqual(["a file the operating system keeps in folders (Thumbs.db, desktop.ini, .DS_Store), not a record"]);
  });
});

describe("another hospital's prescriptions and diagnoses", () => {
  it("keeps each time of day of a 不均等投与 (one TQ1 each), and gives no single dose", async () => {
    const rx = storage("20240401", "OMP-01", "000000024000002", [
      MSH("RDE^O11^RDE_O11", "P1"),
      PID,
      "ORC|NW|000000024000002||1|||||20240401103045",
      "RXE||610443047^プレドニン錠５ｍｇ^HOT9|||TAB^錠^MR9P|||||21|TAB^錠^MR9P",
      "TQ1|1|2^TAB&錠&MR9P|1011000400000000&内服・経口・１日１回朝食後&JAMISDP01|||7^d",
      "TQ1|2|1^TAB&錠&MR9P|1011000600000000&内服・経口・１日１回昼食後&JAMISDP01|||7^d",
      "RXR|PO^口^HL70162",
    ]);
    expect((await run(rx)).counts).toMatchObject({ created: 1 });
    const v = await getMedicationHistory(doctorB, "tp1", { years: 0 });
    const row = v.rows.find((r) => r.code === "610443047")!;
    expect([row.dose, row.usageText, row.days]).toEqual([null, "内服・経口・１日１回朝食後 2錠 / 内服・経口・１日１回昼食後 1錠", 7]);
  });

  it("reads a drug coded in YJ or HOT13 as that drug (its YJ code, which the prescription checks read)", async () => {
    const rx = storage("20240403", "OMP-01", "000000024000004", [
      MSH("RDE^O11^RDE_O11", "P2"),
      PID,
      "ORC|NW|000000024000004||1|||||20240403103045",
      "RXE||2171022F2025^ノルバスク錠５ｍｇ^YJ|1||TAB^錠^MR9P|||||28|TAB^錠^MR9P",
      "TQ1|1||1011000400000000&内服・経口・１日１回朝食後&JAMISDP01|||28^d",
      "ORC|NW|000000024000004||2|||||20240403103045",
      "RXE||1032994010101^ノルバスク錠５ｍｇ^HOT13|1||TAB^錠^MR9P|||||28|TAB^錠^MR9P",
      "TQ1|1||1011000400000000&内服・経口・１日１回朝食後&JAMISDP01|||28^d",
    ]);
    expect((await run(rx)).counts).toMatchObject({ created: 1 });
    const items = await db.prescriptionItem.findMany({ where: { patientId: "tp1", prescription: { sourceRef: { contains: "000000024000004" } } }, orderBy: { id: "asc" } });
    expect(items.map((i) => [i.codeSystem, i.code, i.hotCode, i.yjCode])).toEqual([
      [CODE_SYSTEM.YJ, "2171022F2025", null, "2171022F2025"],
      [CODE_SYSTEM.HOT13, "1032994010101", "1032994010101", "2171022F2025"],
    ]);
  });

  it("files a contraindication (IAM-2 MC) or an untyped allergy as a drug allergy, with a warning; a HOT-coded one as a drug; every reaction", async () => {
    const allergies = storage("-", "ADT-61", "999999999999999", [
      MSH("ADT^A60^ADT_A60", "A1"),
      PID,
      "IAM|1|MC^禁忌^HL70127|^ヨード造影剤^99XYZ|SV^重度^HL70128|発疹~呼吸困難|A^追加^HL70323",
      "IAM|2|MA^その他^HL70127|100795402^ロキソニン錠６０ｍｇ^HOT9|MO^中等度^HL70128|喘息発作|A^追加^HL70323",
      "IAM|3|PA^植物^HL70127|^ラテックス^99XYZ|MI^軽度^HL70128|かゆみ|A^追加^HL70323",
    ]);
    const s = await run(allergies);
    expect(s.counts).toMatchObject({ created: 1 });
    expect(s.warnings.map((w) => w.warning)).toEqual(['ALLERGY_KIND: ヨード造影剤 has allergy type "MC" (IAM-2 / AL1-2), not drug, food or environment; filed as a drug allergy']);
    const rows = await db.allergy.findMany({ where: { patientId: "tp1", sourceRef: { contains: "/ADT-61/" } }, orderBy: { id: "asc" } });
    expect(rows.map((a) => [a.kind, a.display, a.severity, a.reaction])).toEqual([
      ["DRUG", "ヨード造影剤", "SEVERE", "発疹、呼吸困難"],
      ["DRUG", "ロキソニン錠６０ｍｇ", "MODERATE", "喘息発作"],
      ["ENVIRONMENT", "ラテックス", "MILD", "かゆみ"],
    ]);
  });

  it("files a drug sent only by its name (no code) by that name, and says so; reports an uncoded result instead of dropping it", async () => {
    const rx = storage("20240404", "OMP-01", "000000024000005", [
      MSH("RDE^O11^RDE_O11", "P3"),
      PID,
      "ORC|NW|000000024000005||1|||||20240404103045",
      "RXE||^院内製剤　亜鉛華軟膏^99XYZ|1||G^グラム^MR9P",
      "TQ1|1||^１日２回　患部に塗布^JAMISDP01",
      "ORC|NW|000000024000005||2|||||20240404103045",
      "RXE||^院内製剤　白色ワセリン混合^99XYZ|1||G^グラム^MR9P",
    ]);
    const s = await run(rx);
    expect(s.counts).toMatchObject({ created: 1 });
    expect(s.warnings.map((w) => w.warning)).toEqual([
      "UNCODED: a drug (RXE-2 / RXC-2)「院内製剤　亜鉛華軟膏」has no code; filed by its name",
      "UNCODED: a drug (RXE-2 / RXC-2)「院内製剤　白色ワセリン混合」has no code; filed by its name",
    ]);
    const items = await db.prescriptionItem.findMany({ where: { patientId: "tp1", prescription: { sourceRef: { contains: "000000024000005" } } }, orderBy: { id: "asc" } });
    expect(items.map((i) => [i.codeSystem, i.code, i.display])).toEqual([
      ["", "", "院内製剤　亜鉛華軟膏"],
      ["", "", "院内製剤　白色ワセリン混合"],
    ]);
    // two drugs, not one: a drug named only in words is its own product (its own strip in the history)
    const v = await getMedicationHistory(doctorB, "tp1", { years: 0 });
    expect(v.strips.filter((x) => x.display.startsWith("院内製剤")).map((x) => x.display).sort()).toEqual(["院内製剤　亜鉛華軟膏", "院内製剤　白色ワセリン混合"]);

    const lab = storage("20240404", "OML-11", "000000024000006", [MSH("OUL^R22^OUL_R22", "L3"), PID, "OBR|1|000000024000006", "OBX|1|ST|^院内検査　迅速コメント^||陰性||||||F"]);
    expect((await run(lab)).warnings.map((w) => w.warning)).toEqual(["UNCODED_RESULT: OBX 1 「院内検査　迅速コメント」has no test code (OBX-3); not filed"]);
  });

  it("reads a diagnosis established and resolved with their times (PRB-7 and PRB-9 are TS), and one sent only as words", async () => {
    const dx = storage("-", "PPR-01", "999999999999999", [
      MSH("PPR^ZD1^PPR_ZD1", "D1"),
      PID,
      "PRB|AD|20240401|20054174^胃炎^MDCDX2|24000001|||202403011030||202403201500|K297^^I10",
      "PRB|AD|20240401|^腰痛症^|24000002|||20240301",
    ]);
    const s = await run(dx);
    expect(s.counts).toMatchObject({ created: 1 });
    // a diagnosis sent only as words (未コード化) is filed by them, and the administrator is told
    expect(s.warnings.map((w) => w.warning)).toEqual(["UNCODED: a diagnosis (PRB-3)「腰痛症」has no code; filed by its name"]);
    expect(await db.condition.findFirst({ where: { patientId: "tp1", display: "腰痛症" } })).toMatchObject({ codeSystem: "", code: "" });
    const c = await db.condition.findFirstOrThrow({ where: { patientId: "tp1", code: "20054174" } });
    expect([c.occurredAt.toISOString(), c.occurredPrecision, c.endedAt?.toISOString()]).toEqual(["2024-02-29T15:00:00.000Z", null, "2024-03-19T15:00:00.000Z"]);
  });

  it("still rejects a file whose PI id is another patient, even when it also lists the folder's id", async () => {
    const other = storage("20240402", "OML-11", "000000024000003", [
      MSH("OUL^R22^OUL_R22", "L2"),
      "PID|0001||9999013^^^^HC~1234567^^^^PI||患者^次郎^^^^^L^I||19500101|M",
      "OBR|1|000000024000003",
      "OBX|1|NM|3H015000002327101^Ｋ^JC10||4.1|mmol/l|||||F",
    ]);
    const s = await run(other);
    expect(s.rejected.map((r) => r.reason)).toEqual(["PID_MISMATCH: PID-3 says 1234567, the storage folder is patient 9999013"]);
    expect(await db.labResult.count({ where: { sourceRef: { contains: "000000024000003" } } })).toBe(0);
  });
});
