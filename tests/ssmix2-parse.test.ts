import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { decodeHl7Bytes } from "../lib/interop/hl7v2/decode";
import { parseHl7, repetitions, segmentsNamed, unescapeValue, valueAt, type Hl7Message } from "../lib/interop/hl7v2/message";
import { parseStoragePath } from "../lib/interop/ssmix2/storage";
import { readVisit } from "../lib/interop/ssmix2/visits";
import { examBody, examTitle, readExam } from "../lib/interop/ssmix2/exams";
import { readAdministrations } from "../lib/interop/ssmix2/administrations";

/**
 * The byte and structure layer of the SS-MIX2 importer on the real fixtures (../shared/fixtures,
 * unmodified): every file decodes or is rejected with its reason, and the values read are the ones the
 * sending systems wrote — names in kanji and kana, lab values with JLAC10 codes and units.
 */
const ROOT = path.resolve(__dirname, "../../shared/fixtures/ssmix2/sampleData");
const walk = (d: string): string[] => fs.readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(d, e.name)) : [path.join(d, e.name)]));
const files = walk(ROOT).map((f) => path.relative(ROOT, f).split(path.sep).join("/")).sort();

function read(rel: string): Hl7Message {
  const d = decodeHl7Bytes(fs.readFileSync(path.join(ROOT, rel)));
  if (!d.ok) throw new Error(`${rel}: ${d.reason}`);
  const p = parseHl7(d.text);
  if (!p.ok) throw new Error(`${rel}: ${p.reason}`);
  return p.message;
}
const one = (m: Hl7Message, name: string) => segmentsNamed(m, name)[0]!;
const fileOf = (kind: string, folder = "999/901/9999013") => files.find((f) => f.startsWith(folder) && f.split("/")[4] === kind)!;

describe("SS-MIX2 fixtures: bytes and structure", () => {
  it("finds all 22 fixture files", () => {
    expect(files).toHaveLength(22);
  });

  it("decodes every file but one, and rejects that one (two bytes that are not text) with its offset", () => {
    const results = files.map((f) => [f, decodeHl7Bytes(fs.readFileSync(path.join(ROOT, f)))] as const);
    const failed = results.filter(([, d]) => !d.ok);
    expect(failed.map(([f, d]) => [f.split("/")[4], d])).toEqual([["ADT-31", { ok: false, reason: "NOT_ISO_2022_JP", offset: 0 }]]);
    for (const [f, d] of results) if (d.ok) expect(parseHl7(d.text).ok, f).toBe(true);
  });

  it("reads the patient's name in kanji and kana from PID-5's two repetitions, decoded before splitting", () => {
    const m = read(fileOf("ADT-00"));
    const pid = one(m, "PID");
    expect(valueAt(m, pid, 3)).toBe("9999013");
    expect(repetitions(m, pid, 5)).toBe(2);
    expect([valueAt(m, pid, 5, 1), valueAt(m, pid, 5, 2), valueAt(m, pid, 5, 8)]).toEqual(["患者", "太郎", "I"]);
    expect([valueAt(m, pid, 5, 1, 1, 1), valueAt(m, pid, 5, 2, 1, 1), valueAt(m, pid, 5, 8, 1, 1)]).toEqual(["カンジャ", "タロウ", "P"]);
    expect([valueAt(m, pid, 7), valueAt(m, pid, 8)]).toEqual(["19480405", "M"]);
    expect([valueAt(m, pid, 11, 5), valueAt(m, pid, 11, 8)]).toEqual(["422-8033", "静岡県静岡市登呂１－３－５"]);
    const msh = one(m, "MSH");
    expect([valueAt(m, msh, 1), valueAt(m, msh, 2), valueAt(m, msh, 9, 1), valueAt(m, msh, 9, 2)]).toEqual(["|", "^~\\&", "ADT", "A08"]);
  });

  it("reads OML-11's lab results: JLAC10 code, name, value, unit and range, for another patient id", () => {
    const m = read(fileOf("OML-11"));
    expect(valueAt(m, one(m, "PID"), 3)).toBe("0001000052"); // not the folder's 9999013 (the filing policy rejects it)
    const obx = segmentsNamed(m, "OBX").map((s) => [valueAt(m, s, 3, 1), valueAt(m, s, 3, 2), valueAt(m, s, 5), valueAt(m, s, 6, 1), valueAt(m, s, 7)]);
    expect(obx).toEqual([
      ["3A016000002327102", "A/G比", "1.7", "", "1.2-2.0"],
      ["3A010000002327101", "総蛋白", "7.2", "g/dl", "6.70-8.3"],
      ["3A015000002327101", "アルブミン", "4.9", "g/dl", "3.7-5.5"],
    ]);
  });

  it("reads every file's PID-3, which is the folder's patient in 9 of the 19 files under 9999013", () => {
    const under = files.filter((f) => f.startsWith("999/901/9999013/"));
    expect(under).toHaveLength(19);
    const ids = under.map((f) => valueAt(read(f), one(read(f), "PID"), 3));
    expect(ids.filter((id) => id === "9999013")).toHaveLength(9);
    expect(new Set(ids)).toEqual(new Set(["9999013", "12345678", "1234567890", "10345678", "3330000333", "0001000052"]));
  });
});

describe("SS-MIX2 storage layout", () => {
  it("reads every well-placed fixture's key from its folder and name", () => {
    const adt00 = parseStoragePath(fileOf("ADT-00"));
    expect(adt00).toEqual({ ok: true, key: { patientId: "9999013", date: null, kind: "ADT-00", orderNo: null, timestamp: "20111220224447339", department: null, flag: 1 } });
    const omp01 = parseStoragePath(fileOf("OMP-01"));
    expect(omp01).toMatchObject({ ok: true, key: { date: "2011-07-01", kind: "OMP-01", orderNo: "000000011000185", department: "01", flag: 1 } });
    expect(parseStoragePath(fileOf("OMD"))).toMatchObject({ ok: true, key: { kind: "OMD" } });
    for (const f of files.filter((x) => x.startsWith("999/"))) expect(parseStoragePath(f).ok, f).toBe(true);
  });

  it("rejects a file named as another patient's other kind inside an ADT-31 folder, naming the disagreement", () => {
    expect(parseStoragePath(fileOf("ADT-31", "000/000/0000001"))).toEqual({ ok: false, reason: "ID_MISMATCH", detail: "file names patient 9999013, folder is patient 0000001" });
    // the broken folder's OMP-11 files are well placed (their PID-3 is what disagrees), one a deletion
    const omp = files.filter((f) => f.startsWith("000/000/0000001/20000401/OMP-11/")).map((f) => parseStoragePath(f));
    expect(omp.map((p) => p.ok && p.key.flag).sort()).toEqual([0, 1]);
  });

  it("names each other disagreement: depth, parts, folders, date, kind, timestamp, flag", () => {
    const reason = (p: string) => {
      const r = parseStoragePath(p);
      return r.ok ? "ok" : r.reason;
    };
    expect(reason("999/901/9999013/-/ADT-00")).toBe("PATH_DEPTH");
    expect(reason("999/901/9999013/-/ADT-00/9999013_-_ADT-00_1")).toBe("FILE_NAME_PARTS");
    expect(reason("999/902/9999013/-/ADT-00/9999013_-_ADT-00_999999999999999_20111220224447339_-_1")).toBe("PATIENT_FOLDER");
    expect(reason("999/901/9999013/20110701/OMP-01/9999013_20110702_OMP-01_1_20110701224603984_01_1")).toBe("DATE_MISMATCH");
    expect(reason("999/901/9999013/20110701/OMP-01/9999013_20110701_OMP-02_1_20110701224603984_01_1")).toBe("KIND_MISMATCH");
    expect(reason("999/901/9999013/20110231/OMP-01/9999013_20110231_OMP-01_1_20110701224603984_01_1")).toBe("BAD_DATE");
    expect(reason("999/901/9999013/20110701/OMP-01/9999013_20110701_OMP-01_1_2011070122460_01_1")).toBe("BAD_TIMESTAMP");
    // NHO's standard-storage sample names its file with 15 digits (…_200802031630123_01_1): read, padded to 17
    const nho = parseStoragePath("012/345/0123456789/20080126/OML-11/0123456789_20080126_OML-11_081251234567800_200802031630123_01_1");
    expect(nho.ok && nho.key.timestamp).toBe("20080203163012300");
    expect(reason("999/901/9999013/20110701/OMP-01/9999013_20110701_OMP-01_1_20110701224603984_01_3")).toBe("BAD_FLAG");
    expect(reason("999\\901\\9999013\\20110701\\OMP-01\\9999013_20110701_OMP-01_1_20110701224603984_01_2")).toBe("ok");
  });

  it("reads the extended storage's content folders, with or without the 診療科 part, and names their disagreements", () => {
    const kind = "L-OBSERVATIONS^OBSERVATIONS^99ZL01";
    const at = (folder: string, file = "main_document.hl7") => parseStoragePath(`012/345/0123456789/20160101/${kind}/${folder}/${file}`);
    // the NHO's own sample leaves the 診療科 out, and gives a 15-digit timestamp
    expect(at(`0123456789_20160101_${kind}_000000020160101_201601011500321_1`)).toEqual({
      ok: true,
      key: { patientId: "0123456789", date: "2016-01-01", kind, orderNo: "000000020160101", timestamp: "20160101150032100", department: null, flag: 1, contentFile: "main_document.hl7" },
    });
    expect(at(`0123456789_20160101_${kind}_000000020160101_20160101150032100_01_0`, "image.png")).toMatchObject({ ok: true, key: { department: "01", flag: 0, contentFile: "image.png" } });
    const reason = (folder: string) => {
      const r = at(folder);
      return r.ok ? "ok" : r.reason;
    };
    expect(reason(`0123456788_20160101_${kind}_1_20160101150032100_1`)).toBe("ID_MISMATCH");
    expect(reason(`0123456789_20160102_${kind}_1_20160101150032100_1`)).toBe("DATE_MISMATCH");
    expect(reason(`0123456789_20160101_OML-11_1_20160101150032100_1`)).toBe("KIND_MISMATCH");
    expect(reason(`0123456789_20160101_${kind}_1_1`)).toBe("FILE_NAME_PARTS");
    expect(reason(`0123456789_20160101_${kind}_1_2016010115_1`)).toBe("BAD_TIMESTAMP");
    expect(reason(`0123456789_20160101_${kind}_1_20160101150032100_9`)).toBe("BAD_FLAG");
    expect(parseStoragePath("012/345/0123456789/20160101/x/y/z/main_document.hl7")).toMatchObject({ ok: false, reason: "PATH_DEPTH" });
  });
});

describe("HL7 v2 escapes and delimiters", () => {
  const d = { field: "|", component: "^", repetition: "~", escape: "\\", subcomponent: "&" };
  it("resolves the standard escapes, and keeps an unknown one as written", () => {
    expect(unescapeValue("A\\F\\B\\S\\C\\T\\D\\R\\E\\E\\", d)).toBe("A|B^C&D~E\\");
    expect(unescapeValue("line1\\.br\\line2", d)).toBe("line1\nline2");
    expect(unescapeValue("\\X41\\\\X4243\\", d)).toBe("ABC");
    expect(unescapeValue("\\Q\\", d)).toBe("\\Q\\");
  });
  it("takes the delimiters from MSH, whatever they are", () => {
    const p = parseHl7("MSH#*@!%#APP\rPID#1##ID1*X@ID2");
    expect(p.ok).toBe(true);
    const m = (p as { ok: true; message: Hl7Message }).message;
    const pid = one(m, "PID");
    expect([valueAt(m, pid, 3, 1), valueAt(m, pid, 3, 2), valueAt(m, pid, 3, 1, 1, 1)]).toEqual(["ID1", "X", "ID2"]);
  });
  it("splits segments on CR, LF or CRLF, and drops the MLLP end block", () => {
    const text = decodeHl7Bytes(new TextEncoder().encode("MSH|^~\\&|A\r\nPID|1\nOBX|1\r\x1c\r"));
    expect(text.ok).toBe(true);
    const p = parseHl7((text as { ok: true; text: string }).text);
    expect(p.ok && p.message.segments.map((s) => [s.name, s.line])).toEqual([["MSH", 1], ["PID", 2], ["OBX", 3]]);
  });
});

describe("HL7 v2 layer, fuzzed", () => {
  it("never throws on arbitrary bytes: each input decodes or is rejected with a reason", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), (bytes) => {
        const d = decodeHl7Bytes(bytes);
        if (d.ok) parseHl7(d.text);
        else expect(["EMPTY", "NOT_ISO_2022_JP", "INVALID_ISO_2022_JP"]).toContain(d.reason);
      }),
      { numRuns: 500 },
    );
  });

  it("never throws on arbitrary text, truncated fixtures or huge fields; values read back are strings", () => {
    const real = decodeHl7Bytes(fs.readFileSync(path.join(ROOT, fileOf("ADT-00")))) as { ok: true; text: string };
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 500 }), fc.nat({ max: real.text.length }).map((n) => real.text.slice(0, n)), fc.string({ minLength: 10_000, maxLength: 20_000 }).map((s) => `MSH|^~\\&|${s}\rPID|1||${s}`)), (text) => {
        const p = parseHl7(text);
        if (!p.ok) {
          expect(["NO_MSH", "BAD_DELIMITERS"]).toContain(p.reason);
        } else {
          for (const s of p.message.segments) for (let f = 0; f < Math.min(s.raw.length, 12); f++) expect(typeof valueAt(p.message, s, f, 1, 1, 0)).toBe("string");
        }
      }),
      { numRuns: 300 },
    );
  });

  it("reads a visit and administrations from garbage, truncated fixtures or mangled segments without throwing", () => {
    const texts = ["ADT-22", "ADT-52", "OMP-11", "OMP-12"].map((k) => (decodeHl7Bytes(fs.readFileSync(path.join(ROOT, fileOf(k)))) as { ok: true; text: string }).text);
    const segment = fc.tuple(fc.constantFrom("MSH", "EVN", "PID", "PV1", "PV2", "ORC", "RXA", "RXR"), fc.array(fc.string({ maxLength: 30 }), { maxLength: 50 })).map(([n, f]) => [n, ...f].join("|"));
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 500 }),
          fc.tuple(fc.constantFrom(...texts), fc.nat()).map(([t, n]) => t.slice(0, n % (t.length + 1))),
          fc.array(segment, { maxLength: 8 }).map((segs) => ["MSH|^~\\&|X|Y|Z|W|2011||ADT^A11", ...segs].join("\r")),
        ),
        (text) => {
          const p = parseHl7(text);
          if (!p.ok) return;
          const v = readVisit(p.message);
          if (v) {
            expect(typeof v.trigger).toBe("string");
            for (const d of [v.admittedAt, v.dischargedAt, v.eventAt, v.recordedAt]) expect(d === null || !Number.isNaN(d.getTime())).toBe(true);
          }
          for (const a of readAdministrations(p.message)) {
            expect(a.position).toBeGreaterThan(0);
            expect(a.amount === null || Number.isFinite(a.amount)).toBe(true);
          }
        },
      ),
      { numRuns: 400 },
    );
  });

  it("reads an examination from garbage, truncated OMG fixtures or mangled segments without throwing", () => {
    const texts = ["OMG-11", "OMG-12", "OMG-13"].map((k) => (decodeHl7Bytes(fs.readFileSync(path.join(ROOT, fileOf(k)))) as { ok: true; text: string }).text);
    const field = fc.oneof(fc.string({ maxLength: 30 }), fc.array(fc.constantFrom("^", "&", "~", "\\", "X", "1", "20111220"), { maxLength: 12 }).map((c) => c.join("")));
    const segment = fc.tuple(fc.constantFrom("ORC", "OBR", "ZE1", "OBX", "IPC", "PID"), fc.array(field, { maxLength: 30 })).map(([n, f]) => [n, ...f].join("|"));
    fc.assert(
      fc.property(
        fc.oneof(
          fc.tuple(fc.constantFrom(...texts), fc.nat()).map(([t, n]) => t.slice(0, n % (t.length + 1))),
          fc.array(segment, { maxLength: 10 }).map((segs) => ["MSH|^~\\&|X|Y|Z|W|2011||OMI^Z23", ...segs].join("\r")),
        ),
        (text) => {
          const p = parseHl7(text);
          if (!p.ok) return;
          const e = readExam(p.message);
          expect(typeof examBody(e)).toBe("string");
          const title = examTitle(e);
          expect(title === null || title.length > 0).toBe(true);
          expect(e.performedAt === null || !Number.isNaN(e.performedAt.getTime())).toBe(true);
        },
      ),
      { numRuns: 400 },
    );
  });

  it("never throws on arbitrary storage paths; a key it accepts names a folder that agrees with it", () => {
    fc.assert(
      fc.property(fc.array(fc.stringMatching(/^[0-9A-Z_\-]{0,20}$/), { maxLength: 8 }), (parts) => {
        const r = parseStoragePath(parts.join("/"));
        if (r.ok) expect(parts[2]).toBe(r.key.patientId);
      }),
      { numRuns: 500 },
    );
  });
});
