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
