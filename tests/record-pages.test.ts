import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDatabase } from "./helpers/db";
import { testActor } from "./helpers/actor";
import type { Actor } from "../lib/auth/actor";
import type { Db } from "../lib/db/client";
import { setClockForTests } from "../lib/clock";
import {
  AccessDeniedError,
  DocumentNotFoundError,
  InvalidInputError,
  getDocument,
  getLabFlowsheet,
  getLabTrend,
  getMedicationHistory,
  getMonthlyRecordMap,
  getPatientView,
} from "../lib/record";

/**
 * The integrated view's other pages (lab trends, medication history, documents) against the real
 * database, with a frozen "today" so "current" and "30 days ago" are exact.
 */
let ctx: Awaited<ReturnType<typeof freshDatabase>>;
let db: Db;

const TODAY = new Date("2026-06-15T03:00:00Z"); // 12:00 JST
const daysAgo = (n: number) => new Date(TODAY.getTime() - n * 86_400_000);
const HBA1C = "3D046000001906202";
const LDL = "3F077000002327101";
const LITHIUM = "3J065000002302201";

const actorAt = (facilityId: string, profession: Actor["profession"]) => testActor(facilityId, profession, { name: `u-${facilityId}-${profession}` });
const doctorA = actorAt("fA", "DOCTOR");
const pharmacistA = actorAt("fA", "PHARMACIST");
const doctorB = actorAt("fB", "DOCTOR");

beforeAll(async () => {
  ctx = await freshDatabase();
  db = ctx.db;
  setClockForTests(TODAY);
  for (const [id, code] of [["fA", "2210000001"], ["fB", "2210000002"]] as const) {
    await db.facility.create({ data: { id, code, name: `施設${id}`, kind: "HOSPITAL" } });
  }
  for (const a of [doctorA, pharmacistA, doctorB]) {
    await db.user.create({ data: { id: a.userId, loginId: a.userId, name: a.name, profession: a.profession, facilityId: a.facilityId, passwordHash: "x", credentialVerifiedAt: daysAgo(900) } });
  }
  await db.patient.create({ data: { id: "q1", familyName: "川口", givenName: "葵", familyNameKana: "カワグチ", givenNameKana: "アオイ", sex: "FEMALE", birthDate: new Date("1960-05-05") } });
  // q1 consents to fA only, withholding psychiatric records.
  await db.consent.create({ data: { patientId: "q1", id: "c1", facilityId: "fA", scope: "FULL", method: "WRITTEN", identityVerification: "MYNUMBER_CARD", withheldCategories: ["PSYCHIATRIC"], capturedById: doctorA.userId } });

  const lab = (id: string, facilityId: string, at: Date, code: string, display: string, value: number, extra: object = {}) =>
    db.labResult.create({ data: { patientId: "q1", id, facilityId, occurredAt: at, codeSystem: "JLAC10", code, display, valueNumeric: value, unit: "%", refLow: 4.6, refHigh: 6.2, ...extra } });
  await lab("hb-1", "fA", daysAgo(100), HBA1C, "HbA1c", 7.4, { flag: "H" });
  await lab("hb-2", "fB", daysAgo(40), HBA1C, "HbA1c", 7.0, { flag: "H" });
  await lab("hb-3", "fB", daysAgo(12), HBA1C, "HbA1c", 6.8, { flag: "H" });
  await lab("ldl-1", "fA", daysAgo(3), LDL, "LDL", 150, { unit: "mg/dL", refLow: 65, refHigh: 163 }); // done here: not "elsewhere" for fA
  await lab("li-1", "fB", daysAgo(5), LITHIUM, "リチウム", 0.8, { sensitivity: "PSYCHIATRIC" });
  await db.checkup.create({
    data: { patientId: "q1", id: "ck-1", facilityId: "fB", occurredAt: daysAgo(200), items: { create: [{ id: "ck-1-hb", codeSystem: "urn:oid:1.2.392.200119.6.1005", code: HBA1C, display: "HbA1c（NGSP値）", valueNumeric: 7.6, unit: "%", refHigh: 5.5, flag: "H" }] } },
  });

  await db.document.create({ data: { patientId: "q1", id: "doc-ref", facilityId: "fB", occurredAt: daysAgo(20), kind: "REFERRAL", title: "診療情報提供書", authorName: "佐々木 医師", recipient: "施設fA 内科", body: "紹介目的: 糖尿病管理" } });
  await db.document.create({ data: { patientId: "q1", id: "doc-psy", facilityId: "fB", occurredAt: daysAgo(18), kind: "DISCHARGE_SUMMARY", title: "精神科 退院時サマリー", body: "…", sensitivity: "PSYCHIATRIC" } });

  const rx = (id: string, facilityId: string, at: Date, yj: string, display: string, days: number, extra: object = {}) =>
    db.prescription.create({ data: { patientId: "q1", id, facilityId, kind: "PRESCRIPTION", occurredAt: at, ...extra, items: { create: [{ id: `${id}-1`, codeSystem: "urn:oid:1.2.392.100495.20.1.73", code: yj, yjCode: yj, display, days, usageText: "1日1回朝食後" }] } } });
  await rx("rx-amlodin", "fA", daysAgo(10), "2171022F2041", "アムロジン錠5mg", 28);
  await rx("rx-norvasc", "fB", daysAgo(5), "2171022F2025", "ノルバスク錠5mg", 30);
  await rx("rx-loxo", "fB", daysAgo(2), "1149019F1560", "ロキソニン錠60mg", 7);
  await rx("rx-zoloft", "fB", daysAgo(4), "1179046F1024", "ジェイゾロフト錠25mg", 28, { sensitivity: "PSYCHIATRIC" });
  await rx("rx-old", "fA", daysAgo(3 * 365), "2149040F3022", "ブロプレス錠8", 28);
  await rx("rx-stopped", "fA", daysAgo(6), "2123016F2020", "メインテート錠2.5mg", 28, { status: "STOPPED", stoppedAt: daysAgo(3) });
  await db.allergy.create({ data: { patientId: "q1", id: "alg-nsaid", facilityId: "fB", occurredAt: daysAgo(300), kind: "DRUG", code: "NSAIDS", display: "非ステロイド性抗炎症薬（NSAIDs）", severity: "MODERATE" } });
});
afterAll(async () => {
  setClockForTests(null);
  await ctx?.close();
});

const auditedWhat = async (userId: string) =>
  (await db.auditEvent.findMany({ where: { actorId: userId }, orderBy: { seq: "desc" }, take: 1 }))[0]?.detail as { what?: string } | undefined;

describe("getLabTrend", () => {
  it("draws one test across facilities, lab results and checkup items together, oldest first", async () => {
    const v = await getLabTrend(doctorA, "q1", { code: HBA1C });
    expect(v.selected?.code).toBe(HBA1C);
    expect(v.points.map((p) => [p.source, p.facilityId, p.value])).toEqual([
      ["checkup", "fB", 7.6],
      ["lab", "fA", 7.4],
      ["lab", "fB", 7.0],
      ["lab", "fB", 6.8],
    ]);
    expect(v.selected).toMatchObject({ refLow: 4.6, refHigh: 6.2, count: 4 });
    // every value is above 6.2: each point says so, whether or not its source sent an H flag
    expect(v.points.map((p) => p.status)).toEqual(["high", "high", "high", "high"]);
    expect((await auditedWhat(doctorA.userId))?.what).toBe("lab-trend");
  });

  it("points out the same test done at another facility within 30 days, not one done here", async () => {
    const hb = await getLabTrend(doctorA, "q1", { code: HBA1C });
    // flagged as the summary and the timeline flag it: a clinician sees it was high without opening it
    expect(hb.recentElsewhere).toMatchObject({ facilityId: "fB", value: "6.8", flag: "H", daysAgo: 12 });
    const ldl = await getLabTrend(doctorA, "q1", { code: LDL });
    expect(ldl.points).toHaveLength(1);
    expect(ldl.recentElsewhere).toBeNull();
    const view = await getPatientView(doctorA, "q1");
    expect(view.summary.recentElsewhere.map((r) => [r.code, r.facilityId, r.daysAgo])).toEqual([[HBA1C, "fB", 12]]);
  });

  it("never offers or draws a withheld test, even when asked for its code", async () => {
    const v = await getLabTrend(doctorA, "q1");
    expect(v.tests.map((t) => t.code).sort()).toEqual([HBA1C, LDL].sort());
    expect(v.selected?.code).toBe(HBA1C); // the most frequent by default
    const asked = await getLabTrend(doctorA, "q1", { code: LITHIUM });
    expect(asked.selected).toBeNull();
    expect(asked.points).toEqual([]);
  });

  it("a pharmacist sees lab results but not checkup items", async () => {
    const v = await getLabTrend(pharmacistA, "q1", { code: HBA1C });
    expect(v.points.map((p) => p.source)).toEqual(["lab", "lab", "lab"]);
  });

  it("rejects a malformed code and refuses a facility without consent", async () => {
    await expect(getLabTrend(doctorA, "q1", { code: "'; drop table" })).rejects.toBeInstanceOf(InvalidInputError);
    await expect(getLabTrend(doctorB, "q1", { code: HBA1C })).rejects.toBeInstanceOf(AccessDeniedError);
  });
});

describe("getLabFlowsheet (検査結果一覧)", () => {
  const day = (n: number) => new Date(daysAgo(n).getTime()).toISOString().slice(0, 10); // 03:00Z is 12:00 JST: same day

  it("puts tests in rows by panel and days in columns, newest first, each cell with its facility and status", async () => {
    const v = await getLabFlowsheet(doctorA, "q1");
    expect(v.days).toEqual([day(3), day(12), day(40), day(100), day(200)]);
    expect(v.panels.map((p) => p.panel)).toEqual(["lipids", "glucose"]);
    const hba1c = v.panels.find((p) => p.panel === "glucose")!.rows[0]!;
    expect(hba1c.code).toBe(HBA1C);
    expect(hba1c.cells[day(12)]).toEqual([{ value: "6.8", status: "high", facilityId: "fB", source: "lab", range: null }]);
    // the checkup's own range (≤ 5.5) is named, since the row's is the latest lab's 4.6–6.2
    expect(hba1c.cells[day(200)]).toEqual([{ value: "7.6", status: "high", facilityId: "fB", source: "checkup", range: "≤5.5" }]);
    expect(hba1c.cells[day(3)]).toBeUndefined();
    const ldl = v.panels.find((p) => p.panel === "lipids")!.rows[0]!;
    expect(ldl.cells[day(3)]).toEqual([{ value: "150", status: "normal", facilityId: "fA", source: "lab", range: null }]);
    expect(v.olderBefore).toBeNull();
    expect((await auditedWhat(doctorA.userId))?.what).toBe("lab-flowsheet");
  });

  it("never shows a withheld test, nor a day that only it had", async () => {
    const v = await getLabFlowsheet(doctorA, "q1");
    expect(v.panels.flatMap((p) => p.rows.map((r) => r.code))).not.toContain(LITHIUM);
    expect(v.days).not.toContain(day(5));
  });

  it("shows a pharmacist the lab results but not the checkup items, and pages to older days", async () => {
    const v = await getLabFlowsheet(pharmacistA, "q1");
    expect(v.days).not.toContain(day(200));
    const older = await getLabFlowsheet(doctorA, "q1", { before: day(40) });
    expect(older.days).toEqual([day(100), day(200)]);
  });

  it("rejects a malformed day and refuses a facility without consent", async () => {
    await expect(getLabFlowsheet(doctorA, "q1", { before: "yesterday" })).rejects.toBeInstanceOf(InvalidInputError);
    await expect(getLabFlowsheet(doctorB, "q1")).rejects.toBeInstanceOf(AccessDeniedError);
  });
});

describe("getMedicationHistory", () => {
  it("warns of the same ingredient from two facilities and of a drug the patient is allergic to, with the sources", async () => {
    const v = await getMedicationHistory(pharmacistA, "q1");
    expect(v.duplicates).toMatchObject([{ type: "SAME_INGREDIENT", key: "2171022", sources: ["fA", "fB"] }]);
    expect(v.duplicates[0]!.drugs.map((d) => d.display).sort()).toEqual(["アムロジン錠5mg", "ノルバスク錠5mg"]);
    expect(v.conflicts).toMatchObject([{ drug: { display: "ロキソニン錠60mg", prescribers: ["fB"] }, allergy: "非ステロイド性抗炎症薬（NSAIDs）", kind: "DRUG" }]);
    expect((await auditedWhat(pharmacistA.userId))?.what).toBe("medication-history");
  });

  it("lists the period's prescriptions newest first, never a withheld one; the whole record on request", async () => {
    const year = await getMedicationHistory(pharmacistA, "q1");
    expect(year.rows.map((r) => r.display)).toEqual(["ロキソニン錠60mg", "ノルバスク錠5mg", "メインテート錠2.5mg", "アムロジン錠5mg"]);
    const all = await getMedicationHistory(pharmacistA, "q1", { years: "0" });
    expect(all.rows.map((r) => r.display)).toContain("ブロプレス錠8");
    expect(all.rows.map((r) => r.display)).not.toContain("ジェイゾロフト錠25mg");
    expect(all.strips.map((s) => s.display)).not.toContain("ジェイゾロフト錠25mg");
  });

  it("draws a strip per product: current ones marked, a stopped prescription ends the day before the stop", async () => {
    const v = await getMedicationHistory(doctorA, "q1");
    const amlodipine = v.strips.filter((s) => s.ingredient === "2171022");
    expect(amlodipine.map((s) => [s.display, s.prescribers, s.windows.length, s.current])).toEqual([
      ["ノルバスク錠5mg", ["fB"], 1, true],
      ["アムロジン錠5mg", ["fA"], 1, true],
    ]);
    const stopped = v.strips.find((s) => s.display === "メインテート錠2.5mg")!;
    expect(stopped.current).toBe(false);
    expect(stopped.windows[0]).toMatchObject({ start: "2026-06-09", end: "2026-06-11" });
  });

  it("rejects a period it does not offer", async () => {
    await expect(getMedicationHistory(doctorA, "q1", { years: "7" })).rejects.toBeInstanceOf(InvalidInputError);
  });
});

describe("getDocument", () => {
  it("opens a referral letter with its source facility and author", async () => {
    const v = await getDocument(doctorA, "q1", "doc-ref");
    expect(v.document).toMatchObject({ kind: "REFERRAL", facilityId: "fB", authorName: "佐々木 医師", recipient: "施設fA 内科", body: "紹介目的: 糖尿病管理" });
    expect((await auditedWhat(doctorA.userId))?.what).toBe("document");
  });

  it("a withheld document is not found rather than revealed; a pharmacist is refused for the profession, whether the document exists or not", async () => {
    await expect(getDocument(doctorA, "q1", "doc-psy")).rejects.toBeInstanceOf(DocumentNotFoundError);
    await expect(getDocument(doctorA, "q1", "no-such-doc")).rejects.toBeInstanceOf(DocumentNotFoundError);
    for (const id of ["doc-ref", "no-such-doc"]) await expect(getDocument(pharmacistA, "q1", id)).rejects.toMatchObject({ reason: "KIND_NOT_FOR_PROFESSION" });
  });

  it("refuses a facility without consent", async () => {
    await expect(getDocument(doctorB, "q1", "doc-ref")).rejects.toBeInstanceOf(AccessDeniedError);
  });
});

describe("record map", () => {
  it("puts each record in its month in Japan time, whatever the server's time zone", async () => {
    await db.patient.create({ data: { id: "q2", familyName: "月末", givenName: "太郎", familyNameKana: "ゲツマツ", givenNameKana: "タロウ", sex: "MALE", birthDate: new Date("1980-01-01") } });
    await db.consent.create({ data: { patientId: "q2", id: "c2", facilityId: "fA", scope: "FULL", method: "WRITTEN", identityVerification: "MYNUMBER_CARD", capturedById: doctorA.userId } });
    const at = (id: string, iso: string) => db.labResult.create({ data: { patientId: "q2", id, facilityId: "fA", occurredAt: new Date(iso), codeSystem: "JLAC10", code: HBA1C, display: "HbA1c", valueNumeric: 6 } });
    await at("mar-last-minute", "2026-03-31T14:59:00Z"); // 23:59 JST on 31 March
    await at("apr-first-hour", "2026-03-31T15:30:00Z"); // 00:30 JST on 1 April
    await at("apr-morning", "2026-04-01T01:00:00Z"); // 10:00 JST on 1 April
    // A server set to another zone must not move them (the column holds UTC without a zone).
    await db.$executeRawUnsafe(`SET TIME ZONE 'America/New_York'`);
    try {
      const v = await getPatientView(doctorA, "q2");
      expect(v.summary.map.by).toBe("month");
      expect(v.summary.map.cells.map((c) => [c.period, c.count])).toEqual([
        ["2026-03", 1],
        ["2026-04", 2],
      ]);
    } finally {
      await db.$executeRawUnsafe(`SET TIME ZONE 'UTC'`);
    }
  });

  it("opens a record longer than two years by year, and gives its months when asked, under an audited read", async () => {
    await db.patient.create({ data: { id: "q3", familyName: "長期", givenName: "花子", familyNameKana: "チョウキ", givenNameKana: "ハナコ", sex: "FEMALE", birthDate: new Date("1960-01-01") } });
    await db.consent.create({ data: { patientId: "q3", id: "c3", facilityId: "fA", scope: "FULL", method: "WRITTEN", identityVerification: "MYNUMBER_CARD", capturedById: doctorA.userId } });
    // one lab a month for 30 months (2024-01 … 2026-06), two in the last month
    for (let i = 0; i < 30; i++) {
      await db.labResult.create({ data: { patientId: "q3", id: `m${i}`, facilityId: "fA", occurredAt: new Date(Date.UTC(2024, i, 10)), codeSystem: "JLAC10", code: HBA1C, display: "HbA1c", valueNumeric: 6 } });
    }
    await db.labResult.create({ data: { patientId: "q3", id: "m-extra", facilityId: "fA", occurredAt: new Date(Date.UTC(2026, 5, 12)), codeSystem: "JLAC10", code: HBA1C, display: "HbA1c", valueNumeric: 6 } });
    const v = await getPatientView(doctorA, "q3");
    expect(v.summary.map.by).toBe("year");
    expect(v.summary.map.cells.map((c) => [c.period, c.count])).toEqual([
      ["2024", 12],
      ["2025", 12],
      ["2026", 7],
    ]);
    const months = await getMonthlyRecordMap(doctorA, "q3");
    expect(months.by).toBe("month");
    expect(months.cells).toHaveLength(30);
    expect(months.cells.at(-1)).toMatchObject({ period: "2026-06", count: 2 });
    expect((await auditedWhat(doctorA.userId))?.what).toBe("record-map");
  });

  it("counts the months a record covers, not its length: 25 months open by year, and 24 (one emptied by a deletion) by month", async () => {
    await db.patient.create({ data: { id: "q4", familyName: "境界", givenName: "一郎", familyNameKana: "キョウカイ", givenNameKana: "イチロウ", sex: "MALE", birthDate: new Date("1970-01-01") } });
    await db.consent.create({ data: { patientId: "q4", id: "c4", facilityId: "fA", scope: "FULL", method: "WRITTEN", identityVerification: "MYNUMBER_CARD", capturedById: doctorA.userId } });
    // 25 distinct months over three years: every month of 2023 and 2024-01, then every other one from 2024-02 to 2025-12
    const months = Array.from({ length: 25 }, (_, i) => (i < 13 ? i : 13 + (i - 13) * 2));
    for (const [i, m] of months.entries()) {
      await db.labResult.create({ data: { patientId: "q4", id: `b${i}`, facilityId: "fA", occurredAt: new Date(Date.UTC(2023, m, 10)), codeSystem: "JLAC10", code: HBA1C, display: "HbA1c", valueNumeric: 6 } });
    }
    expect((await getPatientView(doctorA, "q4")).summary.map.by).toBe("year");
    // 2024-06 loses its only record; 2024 keeps others, so only the month's bit tells it is gone
    await db.labResult.delete({ where: { patientId_id: { patientId: "q4", id: "b15" } } });
    const v = await getPatientView(doctorA, "q4");
    expect(v.summary.map.by).toBe("month");
    expect(v.summary.map.cells).toHaveLength(24);
    expect(v.summary.map.cells.map((c) => c.period)).not.toContain("2024-06");
  });

  it("refuses the monthly map to a facility without consent, and audits the refusal", async () => {
    await expect(getMonthlyRecordMap(doctorB, "q3")).rejects.toBeInstanceOf(AccessDeniedError);
    const denied = await db.auditEvent.findFirst({ where: { actorId: doctorB.userId, patientId: "q3" }, orderBy: { seq: "desc" } });
    expect(denied?.action).toBe("RECORD_VIEW_DENIED");
  });
});
