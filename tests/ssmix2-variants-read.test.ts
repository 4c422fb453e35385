import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { parseHl7, type Hl7Message } from "../lib/interop/hl7v2/message";
import { decodeHl7Bytes } from "../lib/interop/hl7v2/decode";
import { hl7Date } from "../lib/interop/hl7v2/datetime";
import { readPid } from "../lib/interop/ssmix2/patient";
import { parseRange, readLabResults } from "../lib/interop/ssmix2/labs";
import { readPrescriptionItems } from "../lib/interop/ssmix2/prescriptions";

/**
 * The message readers on what other senders write, each checked against the standard it follows
 * (HL7 v2.5 data types; JAHIS 臨床検査・処方データ交換規約; NHO's SS-MIX2 support documents on results
 * with comparators): nothing valid is read as someone else, as another value, or as nothing.
 */
const MSH = "MSH|^~\\&|HIS|S|GW|R|20240401103059||OUL^R22^OUL_R22|1|P|2.5||||||~ISO IR87||ISO2022-1994";
const message = (...segments: string[]): Hl7Message => {
  const p = parseHl7([MSH, ...segments].join("\r"));
  if (!p.ok) throw new Error(p.reason);
  return p.message;
};
const obx = (type: string, value: string) => readLabResults(message("PID|1||1", "OBR|1|9", `OBX|1|${type}|3H015000002327101^Ｋ^JC10||${value}|mmol/l|||||F`))[0]!;

describe("PID as other senders fill it", () => {
  it("takes the PI-typed id from a PID-3 list, whatever its position; an untyped list's first", () => {
    expect(readPid(message("PID|1||06123456^^^^HC~9999013^^^^PI"))?.localId).toBe("9999013");
    expect(readPid(message("PID|1||9999013~06123456"))?.localId).toBe("9999013");
  });
  it("reads kanji and kana in either order, and never an alphabetic name as the kanji one", () => {
    expect(readPid(message("PID|1||1||KANJA^TARO^^^^^L^A~カンジャ^タロウ^^^^^L^P~患者^太郎^^^^^L^I"))).toMatchObject({ familyName: "患者", givenName: "太郎", familyNameKana: "カンジャ", givenNameKana: "タロウ" });
  });
  it("reads PID-7 with a time or a zone as the birth date written, and PID-8 despite spaces after the segment", () => {
    expect(readPid(message("PID|1||1||||194804050930|M   "))).toMatchObject({ birthDate: "1948-04-05", sex: "MALE" });
    expect(hl7Date("19480405000000.0+0900")).toBe("1948-04-05");
    expect(hl7Date("194804312359")).toBeNull();
  });
});

describe("the bytes", () => {
  it("skips a UTF-8 byte-order mark before a 7-bit file, and still refuses UTF-8 text after it", () => {
    const bom = [0xef, 0xbb, 0xbf];
    expect(decodeHl7Bytes(new Uint8Array([...bom, ...Buffer.from(`${MSH}\rPID|1||1`)]))).toEqual({ ok: true, text: `${MSH}\rPID|1||1` });
    expect(decodeHl7Bytes(new Uint8Array([...bom, ...Buffer.from(`${MSH}\rPID|1||1||患者`)]))).toMatchObject({ ok: false, reason: "NOT_ISO_2022_JP" });
  });
});

describe("OBX-5 by its value type", () => {
  it("SN: a comparator or a range is text, a plain number a number", () => {
    expect([obx("SN", "<^0.5"), obx("SN", ">=^100"), obx("SN", "^10^-^20"), obx("SN", "^^+"), obx("SN", "^2^+"), obx("SN", "=^4.2"), obx("SN", "^4.2")].map((r) => [r.valueNumeric, r.valueText])).toEqual([
      [null, "<0.5"],
      [null, ">=100"],
      [null, "10-20"],
      [null, "+"],
      [null, "2+"],
      [4.2, null],
      [4.2, null],
    ]);
  });
  it("NM: the first component, a list as text; CWE: what the code means, else the code; TX/FT: every repetition, escapes resolved", () => {
    expect([obx("NM", "7.2^").valueNumeric, obx("NM", "7.2~7.4").valueText]).toEqual([7.2, "7.2\n7.4"]);
    expect(obx("CWE", "NEG^陰性^99LAB").valueText).toBe("陰性");
    expect(obx("CWE", "NEG").valueText).toBe("NEG");
    expect(obx("CWE", "E^大腸菌^99LAB~K^肺炎桿菌^99LAB").valueText).toBe("大腸菌、肺炎桿菌");
    expect(obx("TX", "一行目~二行目").valueText).toBe("一行目\n二行目");
    expect([obx("ST", "陰性^").valueText, obx("ST", "1^2").valueText]).toEqual(["陰性", "1^2"]);
    expect(obx("FT", "A\\.br\\B").valueText).toBe("A\nB");
  });
  it("ST as NHO writes SN (spaces for ^): the value without the padding", () => {
    expect(obx("ST", "  +-").valueText).toBe("+-");
  });
  it("OBX-6: the unit's identifier, else its text", () => {
    const unit = (u: string) => readLabResults(message("PID|1||1", `OBX|1|NM|x^y^JC10||9|${u}|||||F`))[0]!.unit;
    expect(["mg/dL^mg/dL^ISO+", "^ｇ／ｄＬ^99LAB", ""].map(unit)).toEqual(["mg/dL", "ｇ／ｄＬ", null]);
  });
  it("OBX-8: HL7 0078's critical HH/LL/AA are the record's H/L/A; another code is kept as sent", () => {
    const flag = (f: string) => readLabResults(message("PID|1||1", `OBX|1|NM|x^y^JC10||9|mg||${f}|||F`))[0]!.flag;
    expect(["HH", "LL", "AA", "h", "N", ">", ""].map(flag)).toEqual(["H", "L", "A", "H", "N", ">", null]);
  });
  it("names the organism a susceptibility result is for (OBR-26 親結果, as NHO's 細菌検査 example sends it)", () => {
    const r = readLabResults(
      message(
        "PID|1||1",
        `OBR|3|1||6C205000001776200^薬剤感受性検査-MIC^JC10${"|".repeat(22)}6B010000001774214&培養同定菌名&JC10^1^2001&E.coli&JANIS`,
        "OBX|1|ST|6C205604701776205^PIPC(ピペラシリン)^JC10||< 2|ug/mL^μg/mL^ISO+||S|||F",
        `OBR|4|1||6C205000001776200^薬剤感受性検査-MIC^JC10${"|".repeat(22)}6B010000001774214&培養同定菌名&JC10^2^1301&S.aureus&JANIS`,
        "OBX|1|NM|6C205604701776205^PIPC(ピペラシリン)^JC10||32|ug/mL^μg/mL^ISO+||R|||F",
      ),
    );
    expect(r.map((x) => [x.display, x.valueNumeric, x.valueText, x.flag])).toEqual([
      ["PIPC(ピペラシリン)（E.coli）", null, "< 2", "S"],
      ["PIPC(ピペラシリン)（S.aureus）", 32, null, "R"],
    ]);
  });
  it("keeps an NTE comment with the result before it, never with the order's", () => {
    const [k, na] = readLabResults(message("PID|1||1", "OBR|1|9", "NTE|1|L|至急", "OBX|1|NM|K^K^JC10||5.9|mmol/l||H|||F", "NTE|1|L|溶血あり", "NTE|2|L|再検済み", "OBX|2|NM|NA^NA^JC10||140|mmol/l|||||F"));
    expect([k!.valueNumeric, k!.comment]).toEqual([5.9, "溶血あり\n再検済み"]);
    expect(na!.comment).toBeNull();
  });
  it("reads ranges written with the wave dash or the minus sign that UTF-8 Japanese text uses, or with 以下/未満/以上", () => {
    expect(parseRange("3.5〜5.0")).toEqual({ low: 3.5, high: 5 });
    expect(parseRange("3.5−5.0")).toEqual({ low: 3.5, high: 5 });
    expect([parseRange("30以下"), parseRange("０．５未満"), parseRange("40以上")]).toEqual([{ low: null, high: 30 }, { low: null, high: 0.5 }, { low: 40, high: null }]);
  });
  it("never reads a censored value as a number, and always keeps its digits (property)", () => {
    fc.assert(
      fc.property(fc.constantFrom("<", ">", "<=", ">=", "<>"), fc.double({ min: 0, max: 1e6, noNaN: true }).map((n) => String(Math.round(n * 100) / 100)), (cmp, n) => {
        const r = obx("SN", `${cmp}^${n}`);
        expect(r.valueNumeric).toBeNull();
        expect(r.valueText).toBe(`${cmp}${n}`);
      }),
      { numRuns: 200 },
    );
  });
  it("never throws on any value type and value, and a value is never lost: a number or a text (property)", () => {
    const piece = fc.string({ maxLength: 12 }).map((s) => s.replace(/[|\r\n]/g, ""));
    fc.assert(
      fc.property(fc.constantFrom("NM", "SN", "ST", "TX", "FT", "CWE", "CE", "XX", ""), fc.array(piece, { minLength: 1, maxLength: 5 }), (type, parts) => {
        const value = parts.join("^");
        const r = obx(type, value);
        if (value.replace(/[\^~&\\\s]/g, "") !== "") expect(r.valueNumeric !== null || r.valueText !== null).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});

describe("TQ1 as JAHIS 処方データ交換規約 repeats it", () => {
  const items = (...tq1: string[]) => readPrescriptionItems(message("PID|1||1", "ORC|NW|1||1", "RXE||610443047^プレドニン錠５ｍｇ^HOT9|||TAB^錠^MR9P", ...tq1, "RXR|PO^口^HL70162"));
  it("one timing: its 用法, and its amount when RXE-3 gives none", () => {
    expect(items("TQ1|1|1^TAB&錠&MR9P|1013044400000000&内服・経口・１日３回朝昼夕食後&JAMISDP01|||5^d")[0]).toMatchObject({ dose: 1, usageCode: "1013044400000000", usageText: "内服・経口・１日３回朝昼夕食後", days: 5 });
  });
  it("several timings with the same amount: that dose, every timing named", () => {
    expect(items("TQ1|1|1^TAB&錠&MR9P|A&朝食後&JAMISDP01|||5^d", "TQ1|2|1^TAB&錠&MR9P|B&夕食後&JAMISDP01|||5^d")[0]).toMatchObject({ dose: 1, usageCode: null, usageText: "朝食後 1錠 / 夕食後 1錠", days: 5 });
  });
});
