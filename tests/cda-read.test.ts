import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { readCda, readTime } from "../lib/interop/cda/read";
import { sectionsOf } from "../lib/format/document-sections";

/**
 * The CDA reader (lib/interop/cda), pure. There are no public CDA documents in ../shared/fixtures (its
 * SS-MIX2 samples are standardized storage only), so the samples in tests/fixtures/cda were written for
 * these tests (see their README): a referral and a discharge summary, each in UTF-8 and Shift_JIS.
 */
const SAMPLES = path.resolve(__dirname, "fixtures/cda");
const sample = (name: string) => fs.readFileSync(path.join(SAMPLES, name));
const read = (bytes: Uint8Array | string) => readCda(typeof bytes === "string" ? Buffer.from(bytes, "utf8") : bytes);
const ok = (bytes: Uint8Array | string) => {
  const r = read(bytes);
  if (!r.ok) throw new Error(r.reason);
  return r.doc;
};
const rejected = (bytes: Uint8Array | string) => {
  const r = read(bytes);
  return r.ok ? null : r.reason;
};

describe("a referral letter (診療情報提供書)", () => {
  it("reads the header and the sections of the UTF-8 letter, typed with JAHIS's JMIX code", () => {
    const d = ok(sample("referral.utf8.xml"));
    expect(d.encoding).toBe("utf-8");
    expect(d.code).toEqual({ system: "1.2.392.200119.5.3.1", code: "MD0020730", display: "診療情報提供書" });
    expect(d.kind).toBe("REFERRAL");
    expect(d.title).toBe("診療情報提供書");
    expect(d.effectiveTime).toMatchObject({ precision: "SECOND", text: "2016-01-02T10:30:00+09:00" });
    expect(d.effectiveTime!.at.toISOString()).toBe("2016-01-02T01:30:00.000Z");
    expect([d.authorName, d.department, d.organization, d.recipient]).toEqual(["登呂 一郎", "循環器内科", "登呂病院", "駿河クリニック 駿河 花子"]);
    expect(d.patient).toMatchObject({ familyName: "患者", givenName: "太郎", familyNameKana: "カンジャ", givenNameKana: "タロウ", birthDate: "1948-04-05", sex: "MALE" });
    expect(d.patient.ids).toEqual([
      { root: "1.2.392.100495.20.3.51.12213000001", extension: "9999013" },
      { root: "1.2.392.100495.20.3.61", extension: "06139999" },
    ]);
    expect(d.icd10).toEqual(["I20.8"]);
    // headed as the letters are shown: a list as items, paragraphs and <br/> as lines, a table's rows
    expect(sectionsOf(d.body)).toEqual([
      { title: "紹介目的", text: "労作性狭心症の経過観察と内服継続をお願いいたします。" },
      { title: "傷病名", text: "・労作性狭心症（I20.8）\n・高血圧症" },
      { title: "現病歴", text: "2015年12月より労作時の胸部圧迫感あり。\n冠動脈造影にて右冠動脈 90%狭窄を認め、PCIを施行しました。\n術後経過は良好です。" },
      { title: "検査結果", text: "項目 / 値\nLDL-C / 98 mg/dL\nHbA1c / 5.9 %" },
      { title: "アレルギー・不適応反応", text: "ペニシリン系抗菌薬（発疹）&造影剤なし" },
    ]);
    expect(d.sections.map((s) => [s.title, s.depth])).toEqual([["紹介目的", 0], ["傷病名", 0], ["現病歴", 0], ["検査結果", 1], ["アレルギー・不適応反応", 0]]);
  });

  it("reads the same letter in Shift_JIS, by its XML declaration, typed with LOINC 57133-1", () => {
    const sjis = sample("referral.sjis.xml");
    // really Shift_JIS bytes: 患 is 0x8A 0xB3
    expect(sjis.includes(Buffer.from([0x8a, 0xb3]))).toBe(true);
    const d = ok(sjis);
    expect(d.encoding).toBe("shift_jis");
    expect([d.code?.code, d.code?.display, d.kind]).toEqual(["57133-1", "紹介状", "REFERRAL"]);
    const utf8 = ok(sample("referral.utf8.xml"));
    expect(d.body).toBe(utf8.body);
    expect(d.patient).toEqual(utf8.patient);
  });
});

describe("a discharge summary (退院時サマリー)", () => {
  it("reads the Shift_JIS summary: a time to the minute without a zone is Japan's, a section titled by its code", () => {
    const d = ok(sample("discharge-summary.sjis.xml"));
    expect([d.kind, d.code?.code, d.title, d.authorName, d.organization, d.department]).toEqual(["DISCHARGE_SUMMARY", "18842-5", "退院時サマリー", "登呂 次郎", "登呂病院", null]);
    expect(d.effectiveTime).toMatchObject({ precision: "MINUTE", text: "2016-01-20T15:30+09:00" });
    expect(d.effectiveTime!.at.toISOString()).toBe("2016-01-20T06:30:00.000Z");
    expect(sectionsOf(d.body)).toEqual([
      { title: "入院時診断", text: "急性心筋梗塞" },
      { title: "入院中経過", text: "入院後、安静と内服調整にて症状は改善。\n第10病日に歩行リハビリ開始。\n退院可能と判断した。" },
      { title: "退院時処方", text: "・バイアスピリン錠100mg 1錠 1日1回朝食後 28日分" },
    ]);
  });

  it("reads the UTF-8 summary's ICD-10 diagnosis and its birth date as sent", () => {
    const d = ok(sample("discharge-summary.utf8.xml"));
    expect(d.icd10).toEqual(["F32.9"]);
    expect(d.patient.birthDate).toBe("1948-04-06");
  });
});

describe("document types", () => {
  const typed = (code: string) => fs.readFileSync(path.join(SAMPLES, "discharge-summary.utf8.xml"), "utf8").replace(/<code code="18842-5"[^>]*\/>/, code);
  it("knows the progress notes, and keeps a type it has no kind for with its system, code and name", () => {
    expect(ok(typed('<code code="11506-3" codeSystem="2.16.840.1.113883.6.1" displayName="経過記録"/>')).kind).toBe("PROGRESS_NOTE");
    expect(ok(typed('<code code="34108-1" codeSystem="2.16.840.1.113883.6.1"/>')).kind).toBe("PROGRESS_NOTE");
    const jspeed = ok(typed('<code code="74465-6" codeSystem="2.16.840.1.113883.6.1" displayName="災害時JSPEED記録"/>'));
    expect([jspeed.kind, jspeed.code]).toEqual([null, { system: "2.16.840.1.113883.6.1", code: "74465-6", display: "災害時JSPEED記録" }]);
    // the same LOINC code in another system is not that document type
    expect(ok(typed('<code code="18842-5" codeSystem="1.2.3.4"/>')).kind).toBeNull();
    expect(ok(typed("")).warnings).toEqual(["NO_CODE: /ClinicalDocument/code (line 2) names no document type"]);
  });
});

describe("times (HL7 v3 TS)", () => {
  it("keeps the precision and zone sent, and refuses a day that does not exist", () => {
    expect(readTime("2016")).toMatchObject({ precision: "YEAR", text: "2016" });
    expect(readTime("201601")).toMatchObject({ precision: "MONTH", text: "2016-01" });
    expect(readTime("20160102")).toMatchObject({ precision: "DAY", text: "2016-01-02" });
    expect(readTime("2016010209")).toMatchObject({ precision: "HOUR", text: "2016-01-02T09:00+09:00" });
    expect(readTime("20160102093015.5-0500")).toMatchObject({ precision: "SECOND", text: "2016-01-02T09:30:15.5-05:00" });
    expect(readTime("20160102093015.5-0500")!.at.toISOString()).toBe("2016-01-02T14:30:15.500Z");
    expect(readTime("20160230")).toBeNull();
    expect(readTime("20161301")).toBeNull();
    expect(readTime("2016-01-02")).toBeNull();
    expect(readTime("20160102+09")).toBeNull();
  });
});

describe("what is refused, with the reason and where", () => {
  const utf8 = fs.readFileSync(path.join(SAMPLES, "referral.utf8.xml"), "utf8");

  it("refuses broken XML, naming the element and line", () => {
    // a close tag misspelt on line 8
    const broken = utf8.replace("診療情報提供書</title>", "診療情報提供書</titel>");
    expect(rejected(broken)).toBe("XML_NOT_WELL_FORMED: Unexpected close tag at /ClinicalDocument/title (line 8)");
    expect(rejected(utf8.slice(0, 2000))).toMatch(/^XML_NOT_WELL_FORMED: Unclosed root tag .*\(line \d+\)$/);
    expect(rejected("")).toBe("XML_EMPTY: the file is empty");
    expect(rejected("<ClinicalDocument><component><structuredBody><component><section><text>&#99999999;</text></section></component></structuredBody></component></ClinicalDocument>")).toMatch(/^XML_NOT_WELL_FORMED: .* at \/ClinicalDocument\/component\/structuredBody\/component\/section\/text \(line 1\)$/);
  });

  it("refuses bytes that are not the encoding declared, and an encoding it does not know", () => {
    expect(rejected(Buffer.concat([Buffer.from('<?xml version="1.0" encoding="UTF-8"?><ClinicalDocument>'), Buffer.from([0x8a, 0xb3]), Buffer.from("</ClinicalDocument>")]))).toBe("XML_BAD_BYTES: the file is not valid utf-8 (the encoding its XML declaration names)");
    expect(rejected('<?xml version="1.0" encoding="x-klingon"?><ClinicalDocument/>')).toBe("XML_UNKNOWN_ENCODING: the XML declaration names encoding x-klingon, which is not one this reader knows");
  });

  it("refuses a document that is not CDA, or has no body to read", () => {
    expect(rejected("<Bundle/>")).toBe("NOT_CDA: the root element is Bundle, not ClinicalDocument (line 1)");
    expect(rejected("<ClinicalDocument/>")).toBe("NO_BODY: /ClinicalDocument/component has no structuredBody");
    const pdf = utf8.replace(/<structuredBody>[\s\S]*<\/structuredBody>/, '<nonXMLBody><text mediaType="application/pdf" representation="B64">JVBERi0=</text></nonXMLBody>');
    expect(rejected(pdf)).toMatch(/^NON_XML_BODY: \/ClinicalDocument\/component\/nonXMLBody \(line \d+\) holds application\/pdf/);
    const empty = utf8.replace(/<structuredBody>[\s\S]*<\/structuredBody>/, "<structuredBody><component><section><title>空</title><text>  </text></section></component></structuredBody>");
    expect(rejected(empty)).toMatch(/^NO_BODY: \/ClinicalDocument\/component\/structuredBody \(line \d+\) has no section with text$/);
  });

  it("never reads a file named by an external entity (XXE), nor expands entities", () => {
    const secret = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "xxe-")), "secret.txt");
    fs.writeFileSync(secret, "TOP-SECRET-PASSWORD");
    const xxe = `<?xml version="1.0"?>\n<!DOCTYPE ClinicalDocument [<!ENTITY xxe SYSTEM "file://${secret}">]>\n${utf8.split("\n").slice(2).join("\n").replace("労作性狭心症の経過観察", "&xxe;")}`;
    const reason = rejected(xxe)!;
    expect(reason).toMatch(/^XML_DTD_FORBIDDEN: a DOCTYPE .* \(line 2\)$/);
    expect(reason).not.toContain("TOP-SECRET");
    // an entity used without its declaration is an error too, never a lookup
    const bare = utf8.replace("労作性狭心症の経過観察", "&xxe;");
    expect(rejected(bare)).toMatch(/^XML_NOT_WELL_FORMED: Invalid character entity at \/ClinicalDocument\/component\/structuredBody\/component\/section\/text \(line \d+\)$/);
    // billion laughs: refused at its DOCTYPE, before any expansion
    const lol = `<!DOCTYPE lolz [<!ENTITY lol "lol">${Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i || ""};`.repeat(10)}">`).join("")}]><ClinicalDocument>&lol9;</ClinicalDocument>`;
    expect(rejected(lol)).toMatch(/^XML_DTD_FORBIDDEN/);
  });

  it("refuses nesting deeper than any document, without overflowing the stack", () => {
    expect(rejected(`<ClinicalDocument>${"<a>".repeat(100_000)}`)).toMatch(/^XML_TOO_DEEP: elements nest deeper than 256 levels/);
  });
});

describe("the reader on garbage", () => {
  const base = fs.readFileSync(path.join(SAMPLES, "referral.utf8.xml"));
  const garbage = fc.oneof(
    fc.uint8Array({ maxLength: 2000 }),
    // the sample cut short, or with bytes overwritten
    fc.nat({ max: base.length }).map((n) => base.subarray(0, n)),
    fc.tuple(fc.nat({ max: base.length - 1 }), fc.uint8Array({ minLength: 1, maxLength: 40 })).map(([at, bytes]) => {
      const b = Buffer.from(base);
      b.set(bytes.subarray(0, b.length - at), at);
      return b;
    }),
    // markup-shaped strings: tags, entities, declarations, CDATA
    fc.array(fc.constantFrom("<", ">", "</", "/>", "&", ";", "&#", "&#x", "110000", "<![CDATA[", "]]>", "<!DOCTYPE", "<?xml", "?>", '"', "=", "ClinicalDocument", "section", "text", "component", "structuredBody", "\u0000", "患者", " "), { maxLength: 200 }).map((xs) => Buffer.from(xs.join(""))),
  );

  it("never throws: every input is a document or a reason", () => {
    fc.assert(
      fc.property(garbage, (bytes) => {
        const r = readCda(bytes);
        expect(r.ok ? typeof r.doc.body : typeof r.reason).toBe("string");
      }),
      { numRuns: 500 },
    );
  });
});
