import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { decodeHl7Bytes } from "../lib/interop/hl7v2/decode";
import { parseHl7, type Hl7Message } from "../lib/interop/hl7v2/message";
import { hl7Date, hl7Time } from "../lib/interop/hl7v2/datetime";
import { readPid } from "../lib/interop/ssmix2/patient";
import { parseRange, readLabResults } from "../lib/interop/ssmix2/labs";
import { readPrescriptionItems } from "../lib/interop/ssmix2/prescriptions";
import { readAllergies, readProblems } from "../lib/interop/ssmix2/problems";
import { readVisit } from "../lib/interop/ssmix2/visits";
import { readAdministrations } from "../lib/interop/ssmix2/administrations";
import { examBody, examTitle, readExam } from "../lib/interop/ssmix2/exams";

/** What the SS-MIX2 fixtures say, read by the message readers: identity, lab results, prescriptions. */
const ROOT = path.resolve(__dirname, "../../shared/fixtures/ssmix2/sampleData/999/901/9999013");
const messageOf = (dateAndKind: string): Hl7Message => {
  const dir = path.join(ROOT, dateAndKind);
  const d = decodeHl7Bytes(fs.readFileSync(path.join(dir, fs.readdirSync(dir)[0]!)));
  if (!d.ok) throw new Error(d.reason);
  const p = parseHl7(d.text);
  if (!p.ok) throw new Error(p.reason);
  return p.message;
};

describe("readPid", () => {
  it("reads ADT-00's patient: id, kanji and kana names, birth date, sex, address", () => {
    expect(readPid(messageOf("-/ADT-00"))).toEqual({
      localId: "9999013",
      familyName: "患者",
      givenName: "太郎",
      familyNameKana: "カンジャ",
      givenNameKana: "タロウ",
      birthDate: "1948-04-05",
      sex: "MALE",
      address: "静岡県静岡市登呂１－３－５",
      postalCode: "422-8033",
    });
  });
  it("reads the other patients the folder holds as they are: OMG-11 is a woman, 患者 花子", () => {
    expect(readPid(messageOf("20111220/OMG-11"))).toMatchObject({ localId: "3330000333", givenName: "花子", givenNameKana: "ハナコ", sex: "FEMALE", birthDate: "1982-09-11" });
    expect(readPid(messageOf("20111220/OML-11"))).toMatchObject({ localId: "0001000052", birthDate: "1970-04-05" });
  });
});

describe("readLabResults (OML-11, OUL^R22)", () => {
  it("reads each OBX with its JLAC10 code, value, unit, range and the specimen's time in Japan", () => {
    const results = readLabResults(messageOf("20111220/OML-11"));
    expect(results.map((r) => [r.codeSystem, r.code, r.display, r.valueNumeric, r.unit, r.refLow, r.refHigh, r.status])).toEqual([
      ["JC10", "3A016000002327102", "A/G比", 1.7, null, 1.2, 2.0, "F"],
      ["JC10", "3A010000002327101", "総蛋白", 7.2, "g/dl", 6.7, 8.3, "F"],
      ["JC10", "3A015000002327101", "アルブミン", 4.9, "g/dl", 3.7, 5.5, "F"],
    ]);
    expect(results[0]!.observedAt?.toISOString()).toBe("2011-12-19T06:00:00.000Z"); // 15:00 JST
    expect(results[0]).toMatchObject({ placerOrder: "000000011000354", setId: "1", specimen: "血清", refText: "1.2-2.0" });
  });
  it("reads reference ranges as written by Japanese laboratories", () => {
    expect(parseRange("6.70-8.3")).toEqual({ low: 6.7, high: 8.3 });
    expect(parseRange("３．７～５．５")).toEqual({ low: 3.7, high: 5.5 });
    expect(parseRange("<=30")).toEqual({ low: null, high: 30 });
    expect(parseRange("40-")).toEqual({ low: 40, high: null });
    expect(parseRange("陰性")).toEqual({ low: null, high: null });
  });
});

describe("readPrescriptionItems (OMP-02, an injection order)", () => {
  it("lists each drug of each RXE from its RXC components, with its HOT9 code and amount, the route and the rate — not the order type 一般", () => {
    const items = readPrescriptionItems(messageOf("20110701/OMP-02"));
    expect(items.map((i) => [i.orderNo, i.rp, i.codeSystem, i.code, i.display, i.dose, i.doseUnit, i.route, i.usageText])).toEqual(
      [1, 2, 3].flatMap(() => [
        ["123456789012345", null, "HOT9", "620007329", "ソリタ－Ｔ３号輸液５００ｍＬ", 1, "本", "静脈内", "５時間一定速度で 102 ml/hr"],
        ["123456789012345", null, "HOT9", "620002559", "アドナ注（静脈用）50mg", 1, "アンプル", "静脈内", "５時間一定速度で 102 ml/hr"],
      ]),
    );
    expect(items.map((i) => i.position)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(items.some((i) => i.display === "一般")).toBe(false);
  });
});

describe("readPrescriptionItems (OMP-01, RDE^O11)", () => {
  it("reads each RXE with its HOT9 code, dose, 用法 and days, route, prescriber and order number", () => {
    const items = readPrescriptionItems(messageOf("20110701/OMP-01"));
    expect(items.map((i) => [i.codeSystem, i.code, i.display, i.dose, i.doseUnit, i.usageCode, i.usageText, i.days, i.route, i.rp])).toEqual([
      ["HOT9", "108665201", "ダーゼン錠（５mg)", 1, "錠", "1013044400000000", "内服・経口・１日３回朝昼夕食後", 5, "口", 1],
      ["HOT9", "110626901", "パンスポリンＴ錠（１００mg)", 2, "錠", "1013044400000000", "内服・経口・１日３回朝昼夕食後", 5, "口", 1],
      ["HOT9", "100607002", "アレピアチン１０倍散", 50, "ミリグラム", "1012040400000000", "内服・経口・１日２回朝夕食後", 14, "口", 2],
    ]);
    expect(items[0]).toMatchObject({ orderNo: "000000011000185", position: 1, prescriberName: "医師 一郎", department: "内科" });
    expect(items[0]!.orderedAt?.toISOString()).toBe("2011-07-01T01:30:45.000Z");
  });
});

describe("readProblems (PPR-01) and readAllergies (ADT-61)", () => {
  it("reads the diagnosis with its MEDIS code, ICD-10, onset, resolution, outcome and 主診断", () => {
    expect(readProblems(messageOf("-/PPR-01"))).toEqual([
      { action: "AD", codeSystem: "MDCDX2", code: "20054174", display: "胃炎", fullName: "胃炎", icd10: "K297", instanceId: "123456789012345", onset: "2011-08-31", resolved: "2011-09-15", outcome: "回復せず", suspected: false, principal: true },
    ]);
  });
  it("reads each allergy: type, allergen code and name, severity, reaction, onset", () => {
    expect(readAllergies(messageOf("-/ADT-61")).map((a) => [a.type, a.codeSystem, a.code, a.display, a.severity, a.reaction, a.action, a.onset ?? a.onsetText])).toEqual([
      ["LA", "JC10", "5A1002216023023", "スギ", "MI", "目のかゆみ", "A", "199601"],
      ["FA", "JC10", "5A1002411023006", "ソバ", "MO", "湿疹", "A", "小学校低学年の頃"],
      ["EA", "JC10", "5A1102700023023", "ハウスダスト", "MI", "くしゃみ", "A", "200302"],
      ["DA", "HOT9", "106824501", "アリナミン", "MO", "のどの渇きが止まらない", "A", "20070710"],
    ]);
  });
  it("reads ADT-00's AL1 allergy as an allergy too (no severity, reaction or date given)", () => {
    expect(readAllergies(messageOf("-/ADT-00"))).toEqual([{ type: "DA", codeSystem: "99XYZ", code: "1", display: "ペニシリン", severity: "", reaction: null, action: "", onset: null, onsetText: null, setId: "1" }]);
  });
});

describe("readVisit (ADT-22/42/52)", () => {
  it("reads ADT-22's admission: ADT^A01, inpatient, ward 32 room 302 bed 1, 診療科 01, admitted 2011-11-20 16:00 JST", () => {
    expect(readVisit(messageOf("20111120/ADT-22"))).toEqual({
      messageType: "ADT",
      trigger: "A01",
      cancels: null,
      patientClass: "I",
      location: "32-302-1",
      priorLocation: null,
      department: "01",
      attending: "医師一郎",
      visitNumber: null,
      admittedAt: new Date("2011-11-20T07:00:00.000Z"),
      dischargedAt: null,
      dischargeDisposition: null,
      reason: null,
      recordedAt: new Date("2011-12-20T12:00:00.000Z"), // EVN-2 201112202100
      eventAt: null,
    });
  });
  it("reads ADT-42's transfer (A02) from room 302 to 305, 診療科 10, at EVN-6", () => {
    expect(readVisit(messageOf("20111220/ADT-42"))).toMatchObject({ trigger: "A02", cancels: null, location: "32-305-1", priorLocation: "32-302-1", department: "10", eventAt: new Date("2011-12-20T11:00:00.000Z") });
  });
  it("reads ADT-52's discharge (A03): discharged 2011-12-20 12:00 JST (PV1-45), disposition 01, 診療科 08", () => {
    expect(readVisit(messageOf("20111220/ADT-52"))).toMatchObject({
      trigger: "A03",
      cancels: null,
      location: "41-460-2",
      department: "08",
      attending: "医師 一郎",
      visitNumber: null,
      admittedAt: null,
      dischargedAt: new Date("2011-12-20T03:00:00.000Z"),
      dischargeDisposition: "01",
      eventAt: new Date("2011-12-20T03:00:00.000Z"),
    });
  });
  it("knows a cancel by its trigger event, and what it cancels", () => {
    const cancel = parseHl7("MSH|^~\\&|HIS|S|GW|R|20111221||ADT^A11^ADT_A09|1|P|2.5\rEVN||20111221\rPID|1||9999013\rPV1|1|I|||||||||||||||||V123") as { ok: true; message: Hl7Message };
    expect(readVisit(cancel.message)).toMatchObject({ trigger: "A11", cancels: "A01", visitNumber: "V123" });
    expect(readVisit((parseHl7("MSH|^~\\&|HIS\rPID|1||1") as { ok: true; message: Hl7Message }).message)).toBeNull(); // no PV1
  });
});

describe("readAdministrations (OMP-11/12, RAS^O17)", () => {
  it("reads OMP-11's 処方実施: each RXA's HOT9 code, amount and unit, when and by whom, the order it carries out", () => {
    const given = readAdministrations(messageOf("20110630/OMP-11"));
    expect(given.map((a) => [a.codeSystem, a.code, a.display, a.amount, a.unit, a.route, a.completion, a.startedAt?.toISOString()])).toEqual([
      ["HOT9", "108665201", "ダーゼン錠（５mg)", 1, "錠", "口", "CP", "2011-06-30T23:30:00.000Z"],
      ["HOT9", "110626901", "パンスポリンＴ錠（１００mg)", 2, "錠", "口", "CP", "2011-06-30T23:30:00.000Z"],
    ]);
    expect(given[0]).toMatchObject({ orderNo: "123456789012345", group: "1", position: 1, prescriberName: "医師 一郎", department: "内科", administeredBy: "看護 花子", rate: null, note: null });
    expect(given[0]!.orderedAt?.toISOString()).toBe("2011-06-30T05:15:00.000Z");
  });
  it("reads OMP-12's 注射実施: the infusion and the ampoule, 08:05–13:05 JST at 102ml/hr, IV, with the order line of OMP-02", () => {
    const given = readAdministrations(messageOf("20110701/OMP-12"));
    expect(given.map((a) => [a.code, a.display, a.amount, a.unit, a.rate, a.note, a.route, a.startedAt?.toISOString(), a.endedAt?.toISOString()])).toEqual([
      ["620007329", "ソリタ－Ｔ３号輸液５００ｍＬ", 1, "本", "102ml/hr", "左手に実施", "静脈内", "2011-06-30T23:05:21.000Z", "2011-07-01T04:05:43.000Z"],
      ["620002559", "アドナ注（静脈用）50mg", 1, "アンプル", "102ml/hr", "左手に実施", "静脈内", "2011-06-30T23:05:21.000Z", "2011-07-01T04:05:43.000Z"],
    ]);
    // ORC-2 and ORC-4 are OMP-02's first order line (123456789012345, 123456789012345_01_001)
    expect(given[0]).toMatchObject({ orderNo: "123456789012345", group: "123456789012345_01_001" });
    expect(readPrescriptionItems(messageOf("20110701/OMP-02"))[0]).toMatchObject({ orderNo: "123456789012345" });
  });
  it("reads PID-7 of the 実施 and the discharge as they are: 1965-04-15 and 1970-04-05, not ADT-00's 1948-04-05", () => {
    expect(readPid(messageOf("20110630/OMP-11"))).toMatchObject({ localId: "9999013", birthDate: "1965-04-15" });
    expect(readPid(messageOf("20110701/OMP-12"))).toMatchObject({ localId: "9999013", birthDate: "1965-04-15" });
    expect(readPid(messageOf("20111220/ADT-52"))).toMatchObject({ localId: "9999013", birthDate: "1970-04-05" });
    expect(readPid(messageOf("20111220/OML-01"))).toMatchObject({ localId: "9999013", birthDate: "1970-04-05" });
  });
});

describe("readExam (OMG-11/12 OMI^Z23, OMG-13 ORU^R01)", () => {
  it("reads OMG-11's radiology 実施: the ultrasound ordered by 産科, the fetal item performed by the midwife, the DICOM study", () => {
    const e = readExam(messageOf("20111220/OMG-11"));
    expect(e).toMatchObject({ messageType: "OMI^Z23", orderNo: "2011122000300", orderedBy: "医師 太郎", department: "産科", exam: { codeSystem: "JJ1017", code: "99A000000000000", display: "経皮的超音波検査" } });
    expect(e.performedAt?.toISOString()).toBe("2011-12-19T15:00:00.000Z"); // OBR-7 20111220, in Japan
    // the ordered child item stands aside for the ZE1 that says what was performed, and by whom
    expect(e.parts.map((p) => [p.role, p.item.display, p.performer])).toEqual([
      ["ORDER", "経皮的超音波検査", null],
      ["ORDER", "経皮的超音波検査", null],
      ["PERFORMED", "胎児.経皮的超音波検査", "助産師 愛子"],
    ]);
    // the same study in three IPC segments: listed once
    expect(e.images).toEqual([{ accession: "A201112200030001", studyUid: "1.2.392.1114.20045.43233.5.300001", modality: "US" }]);
    expect(examTitle(e)).toBe("胎児.経皮的超音波検査");
  });

  it("reads OMG-12's endoscopy 実施: the order's findings, each performed item with its staff, times, drugs and devices", () => {
    const e = readExam(messageOf("20111220/OMG-12"));
    expect(e).toMatchObject({ messageType: "OMI^Z23", department: "内科", exam: { codeSystem: "LENDO", code: "11000000000", display: "検査.上部.-.-.-.-" } });
    const order = e.parts.find((p) => p.role === "ORDER" && p.observations.length)!;
    expect(order.observations.map((o) => [o.display, o.value])).toEqual([
      ["視覚障害", "重度"],
      ["外来所見", "12月19日強い上腹部痛を感じた。翌日になっても軽快しなかったため、来院。"],
      ["臨床病名", "胃潰瘍の疑い"],
      ["内視鏡検査理由", "臨床病名に対する精査"],
    ]);
    const performed = e.parts.filter((p) => p.role === "PERFORMED");
    // ZE1-3: what was performed, which for the biopsy order is the oesophagus and then the stomach
    expect(performed.map((p) => p.item.display)).toEqual(["検査.上部.-.-.上部通常内視鏡.-", "検査.上部.食道.-.上部通常内視鏡.生検採取", "検査.上部.胃.-.上部通常内視鏡.生検採取"]);
    expect(performed[0]!.observations.map((o) => [o.valueType, o.display, o.value])).toEqual([
      ["XCN", "正従業員の実施医師", "大江戸 信吉"],
      ["XCN", "派遣従業員の実施医師", "小江戸 義弘"],
      ["XCN", "正従業員の内視鏡技師", "尾張 玲子"],
      ["XCN", "正従業員の看護師", "名古屋 良子"],
      ["TS", "開始時間", "2011-11-20 14:45"],
      ["TS", "終了時間", "2011-11-20 15:10"],
      ["CWE", "実施加算項目", "色素内視鏡加算"],
      ["ZRD", "薬品", "セルシン5mg 1管"],
      ["ZRD", "薬品", "キシロカインスプレー 1回"],
      ["ZRD", "薬品", "インジゴカルミン 1回"],
      ["CWE", "内視鏡", "GIF-XQ240"],
    ]);
    expect(performed[2]!.observations.map((o) => o.value)).toContain("2011-12-20 14:59");
    expect(e.images.map((i) => i.accession)).toEqual(["A200801200010000", "A201112200010000"]);
    expect(examTitle(e)).toBe("検査.上部.上部通常内視鏡");
  });

  it("reads OMG-13's ECG result: the finding and every measurement with its unit", () => {
    const e = readExam(messageOf("20111220/OMG-13"));
    expect(e).toMatchObject({ messageType: "ORU^R01", orderNo: "2011122000089100", orderedBy: "医師 太郎", department: null, exam: { codeSystem: "JC10", code: "9A110", display: "標準１２誘導心電図" } });
    expect(e.parts).toHaveLength(1);
    const [result] = e.parts;
    expect(result!.role).toBe("RESULT");
    expect(result!.observations.slice(0, 2).map((o) => [o.code, o.display, o.value, o.status])).toEqual([
      ["9A100&IMP", "心電図所見", "心筋虚血疑い", "F"],
      ["32769", "心拍数", "67 bpm", "F"],
    ]);
    // a name in sub-components keeps every part: QTc by Bazett's formula, the R wave in V5
    expect(result!.observations.map((o) => `${o.display} ${o.value}`)).toEqual(
      expect.arrayContaining(["QTc 時間 Bazzet 433 msec", "R 振幅 V5 2.505 mV", "T 波軸 -14 degree"]),
    );
    expect(result!.observations).toHaveLength(12);
  });

  it("writes a report body in 【sections】 a clinician reads: the exam, who ordered it, what was found or done, the images", () => {
    expect(examBody(readExam(messageOf("20111220/OMG-13"))).split("\n").slice(0, 5)).toEqual([
      "【検査】標準１２誘導心電図（JC10 9A110）",
      "【依頼】医師 太郎",
      "【結果】標準１２誘導心電図",
      "心電図所見: 心筋虚血疑い",
      "心拍数: 67 bpm",
    ]);
    expect(examBody(readExam(messageOf("20111220/OMG-11"))).split("\n")).toEqual([
      "【検査】経皮的超音波検査（JJ1017 99A000000000000）",
      "【依頼】医師 太郎・産科",
      "【実施】胎児.経皮的超音波検査",
      "実施者: 助産師 愛子",
      "【画像】",
      "US 1.2.392.1114.20045.43233.5.300001 （受付番号 A201112200030001）",
    ]);
    // a preliminary value says so; a deleted one is not shown
    const edited = parseHl7("MSH|^~\\&|H|S|GW|R|20111220||ORU^R01|1|P|2.5\rPID|1||1\rOBR|1|9||9A110^心電図^JC10\rOBX|1|TX|9A100^所見^JC10||洞調律||||||P\rOBX|2|TX|9A100^所見^JC10||取消済||||||D") as { ok: true; message: Hl7Message };
    expect(examBody(readExam(edited.message))).toBe("【検査】心電図（JC10 9A110）\n【結果】心電図\n所見: 洞調律（暫定）");
  });
});

describe("HL7 times", () => {
  it("reads local Japan time without a zone, a stated zone, and refuses a day that does not exist", () => {
    expect(hl7Time("201112191500")?.toISOString()).toBe("2011-12-19T06:00:00.000Z");
    expect(hl7Time("20111220103059.123")?.toISOString()).toBe("2011-12-20T01:30:59.123Z");
    expect(hl7Time("201112191500+0000")?.toISOString()).toBe("2011-12-19T15:00:00.000Z");
    expect(hl7Time("2011")?.toISOString()).toBe("2010-12-31T15:00:00.000Z");
    expect(hl7Time("20110230")).toBeNull();
    expect(hl7Time("2011122425")).toBeNull();
    expect(hl7Date("19480405")).toBe("1948-04-05");
    expect(hl7Date("19480431")).toBeNull();
  });
  it("never throws on arbitrary text", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 40 }), fc.stringMatching(/^\d{4,14}(\.\d{1,4})?([+-]\d{4})?$/)), (s) => {
        const t = hl7Time(s);
        expect(t === null || !Number.isNaN(t.getTime())).toBe(true);
        hl7Date(s);
      }),
      { numRuns: 500 },
    );
  });
});
