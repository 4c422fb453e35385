import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { CODE_SYSTEM, codeSystemName } from "../lib/terminology/code-systems";
import { canonicalSystem } from "../lib/interop/fhir/code-aliases";
import { fhirInstant } from "../lib/interop/fhir/dates";
import { narrativeText } from "../lib/interop/fhir/narrative";
import { type FhirDocument, type FhirIssue, readFhir } from "../lib/interop/fhir/read";

/** The FHIR readers over the real JP-CLINS examples (unmodified), and the rules they enforce. */
const DIR = path.resolve(__dirname, "../../shared/fixtures/jp-clins");
const FILES = fs.readdirSync(DIR).filter((f) => f.endsWith(".json")).sort();
const text = (file: string) => fs.readFileSync(path.join(DIR, file), "utf8");
/** A fresh parse each time: the rule tests edit their copy. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const load = (file: string): any => JSON.parse(text(file));

function doc(json: unknown): FhirDocument {
  const r = readFhir(json);
  if (!r.ok) throw new Error(`expected ok, got ${JSON.stringify(r.issues, null, 1)}`);
  return r.doc;
}
const read = (file: string) => doc(load(file));
function issuesOf(json: unknown): FhirIssue[] {
  const r = readFhir(json);
  if (r.ok) throw new Error("expected the file to be rejected");
  return r.issues;
}
const errors = (json: unknown) => issuesOf(json).filter((i) => i.severity === "error");
const jst = (s: string) => new Date(`${s}+09:00`);

const REFERRAL = "Bundle-Bundle-CLINS-Referral-Example-01.json";
const OBSERVATIONS = "Bundle-Bundle-CLINS-Observations-Example-01.json";
const INSURED_05 = { insurerNumber: "00012345", symbol: "あいう", number: "187", branch: "05" };

describe("every JP-CLINS fixture", () => {
  it("is read without an error: all 27 files", () => {
    expect(FILES).toHaveLength(27);
    for (const f of FILES) {
      const r = readFhir(load(f));
      expect(r.ok, f).toBe(true);
    }
  });
});

describe("the referral document Bundle", () => {
  const d = read(REFERRAL);

  it("is a document keyed by Bundle.identifier, never by fullUrl or id", () => {
    expect(d.shape).toBe("document");
    expect(d.key).toBe("http://jpfhir.jp/fhir/clins/bundle-identifier|1318814790^2024^0123-Referral-203949583949");
    expect(d.timestamp).toBe("2021-11-26T10:00:00+09:00");
    expect(d.deletes).toEqual([]);
  });

  it("names 牧野 爛漫, local id 000999739 of facility 1318814790, 枝番 05", () => {
    expect(d.patient).toEqual({
      at: "Bundle.entry[1].resource",
      localIds: [{ system: "urn:oid:1.2.392.100495.20.3.51.11318814790", value: "000999739", facilityCode: "1318814790" }],
      insured: INSURED_05,
      familyName: "牧野", givenName: "爛漫", familyNameKana: "マキノ", givenNameKana: "ランマン",
      birthDate: "1930-06-28", sex: "FEMALE",
    });
  });

  it("reads its 5 conditions with their MEDIS 病名管理番号, dates and status", () => {
    expect(d.conditions.map((c) => [c.at, c.codeSystem, c.code, c.display, c.occurredAt, c.active, c.outcome, c.identifier])).toEqual([
      ["Bundle.entry[8].resource", CODE_SYSTEM.MEDIS_DISEASE_KEY, "20065011", "上腹部痛", jst("2022-06-09T00:00:00"), true, null, "http://jpfhir.jp/fhir/core/IdSystem/resourceInstance-identifier|192837-01"],
      // code.text 腰痛 is what the doctor wrote; the coding's display is 腹痛症
      ["Bundle.entry[9].resource", CODE_SYSTEM.MEDIS_DISEASE_KEY, "20075383", "腰痛", jst("2022-05-01T00:00:00"), true, null, "http://jpfhir.jp/fhir/core/IdSystem/resourceInstance-identifier|192837-02"],
      ["Bundle.entry[10].resource", CODE_SYSTEM.MEDIS_DISEASE_KEY, "20065011", "上腹部痛", null, true, null, "http://jpfhir.jp/fhir/core/IdSystem/resourceInstance-identifier|192838"],
      ["Bundle.entry[11].resource", CODE_SYSTEM.MEDIS_DISEASE_KEY, "20058911", "狭心症", jst("2018-01-01T00:00:00"), false, "CURED", "http://jpfhir.jp/fhir/core/IdSystem/resourceInstance-identifier|192839-01"],
      // the 左 prefix modifier is in code.text
      ["Bundle.entry[12].resource", CODE_SYSTEM.MEDIS_DISEASE_KEY, "20080427", "左前腕骨折", jst("2021-01-01T00:00:00"), false, "CURED", "http://jpfhir.jp/fhir/core/IdSystem/resourceInstance-identifier|192839-02"],
    ]);
    expect(d.conditions.every((c) => !c.suspected && c.icd10 === null && c.major === false && c.endedAt === null)).toBe(true);
  });

  it("reads 3 allergies: さば and キーウイ (food), ヨードうがい液 (drug, severe)", () => {
    expect(d.allergies.map((a) => [a.kind, a.codeSystem, a.code, a.display, a.severity, a.reaction, a.active, a.tags, a.occurredAt])).toEqual([
      // no category: the JFAGY food code says food
      ["FOOD", CODE_SYSTEM.JFAGY_FOOD, "J9FC11310000", "さば", "UNKNOWN", null, true, ["LTS"], null],
      ["FOOD", CODE_SYSTEM.JFAGY_FOOD, "J9FA32540000", "キーウイ", "UNKNOWN", "食べると口の周りが痺れる感じ", true, ["LTS"], jst("2020-04-10T00:00:00")],
      // manifestation is a nullFlavor: the reaction is in note
      ["DRUG", "http://jpfhir.jp/fhir/core/CodeSystem/GCM/JP_JfagyMedicationAllergen_CS", "GCM2260701F1ZZZ", "ヨードうがい液", "SEVERE", "ポビドンヨード含嗽後に嘔吐と全身に発疹", true, ["LTS"], null],
    ]);
  });

  it("reads the Composition: 診療情報提供書, its author, its recipient and the sections' text", () => {
    const c = d.document!;
    expect(c).toMatchObject({ kind: "REFERRAL", title: "診療情報提供書", occurredAt: new Date("2020-08-21T12:12:20+09:00"), authorName: "大河内 勘三郎", recipient: "東京第一テスト病院" });
    expect(c.body).toContain("腹痛精査お願いします。");
    // in order, nested sections under their parent, headings on their own lines, tags gone
    expect(c.body.split("\n").slice(0, 8)).toEqual(["【紹介元情報】", "港診療所", "【紹介先情報】", "東京第一テスト病院", "【構造情報】", "【紹介目的】", "腹痛精査お願いします。", "【傷病名・主訴】"]);
    expect(c.body).toContain("【家族歴】\n母　胃がん");
    expect(c.body.endsWith("【臨床経過】\n添付参照")).toBe(true);
    expect(c.body).not.toMatch(/[<>]/);
  });

  it("lists every resource it does not file, with a reason", () => {
    expect(d.notImported.map((n) => [n.at, n.reason.split(":")[0]])).toEqual([
      ["Bundle.entry[2].resource", "Encounter"],
      ["Bundle.entry[3].resource", "Practitioner"],
      ["Bundle.entry[4].resource", "Practitioner"],
      ["Bundle.entry[5].resource", "Organization"],
      ["Bundle.entry[6].resource", "Organization"],
      ["Bundle.entry[7].resource", "Encounter"],
      ["Bundle.entry[16].resource", "Observation"], // 腹部所見, category exam: not a lab result
      ["Bundle.entry[17].resource", "DocumentReference"],
    ]);
    // 18 entries: the Composition, the Patient, 5 + 3 records and 8 not filed
    expect(load(REFERRAL).entry).toHaveLength(1 + 1 + 5 + 3 + d.notImported.length);
  });
});

describe("the Observations collection Bundle", () => {
  const r = readFhir(load(OBSERVATIONS));
  const d = doc(load(OBSERVATIONS));

  it("names the same hospital patient with 枝番 01, not 05", () => {
    expect(d.shape).toBe("collection");
    expect(d.key).toBe("http://jpfhir.jp/fhir/clins/bundle-identifier|1318814790^2024^0123-IDa-203949583949");
    expect(d.patient).toMatchObject({ localIds: [{ value: "000999739", facilityCode: "1318814790" }], insured: { ...INSURED_05, branch: "01" }, familyName: "牧野", givenNameKana: "ランマン", birthDate: "1930-06-28", sex: "FEMALE" });
  });

  it("reads 4 lab results with their JLAC10 codes, values and units", () => {
    const at = new Date("2021-07-05T11:19:41+09:00");
    expect(d.labs.map((l) => [l.codeSystem, l.code, l.display, l.valueNumeric, l.valueText, l.unit, l.occurredAt])).toEqual([
      [CODE_SYSTEM.JLAC10, "3A015000001827101", "アルブミン", 3.9, null, "mg/L", at],
      [CODE_SYSTEM.JLAC10, "3H015000002326101", "カリウム", 3.5, null, "mEq/L", at],
      [CODE_SYSTEM.JLAC10, "8A065000002391901", "eGFR", 75, null, "ml/min/1.73m2", at],
      [CODE_SYSTEM.JLAC10, "1A990000000190153", "尿蛋⽩(定性)", null, "(±)", null, at],
    ]);
  });

  it("warns that its 4 results share one identifier (they would overwrite each other)", () => {
    expect(r.ok && r.warnings.filter((w) => w.code === "conflict").map((w) => w.expression)).toEqual(["Bundle.entry[2].resource.identifier", "Bundle.entry[3].resource.identifier", "Bundle.entry[4].resource.identifier"]);
  });
});

describe("the lone MedicationRequests", () => {
  const med = (f: string) => {
    const d = read(`MedicationRequest-Example-JP-MedReq-${f}.json`);
    expect(d.shape).toBe("resource");
    return d.medications[0]!;
  };

  it("reads HOT, YJ, 用法, dose, days and times a day of each", () => {
    const rows = ["TID-01", "PO-TID-2days", "PO-BID-2d", "PO-SID-28days", "PO-SID-90-AMB", "PO-4timez-7days", "PO-AsNeeded-LimitMax"].map((f) => {
      const m = med(f);
      return [f, m.hotCode, m.yjCode, m.codeSystem, m.code, m.usageCode, m.usageText, m.dose, m.doseUnit, m.days, m.asNeeded, m.timesPerDay, m.rp, m.prescriberName];
    });
    expect(rows).toEqual([
      ["TID-01", "103831601", "2233002F1280", CODE_SYSTEM.HOT9, "103831601", "1013044400000000", "内服・経口・１日３回朝昼夕食後", 1, "錠", 7, false, 3, 1, null],
      ["PO-TID-2days", "104195801", "2316009F1022", CODE_SYSTEM.HOT9, "104195801", "1013044400000000", "1日3回 毎食後", 2, "錠", 2, false, 3, 1, "医療 太郎"],
      // named BID, but the file says 1日1回 夕食後 2錠
      ["PO-BID-2d", null, "3219100F1020", CODE_SYSTEM.YJ, "3219100F1020", "1011040000000000", "1日1回 夕食後", 2, "錠", 2, false, 1, 1, "医療 太郎"],
      // coded by 一般名 only
      ["PO-SID-28days", null, null, CODE_SYSTEM.GENERAL_NAME, "1124030F2ZZZ", "1011100000000000", "1日1回 就寝前", 1, "錠", 28, false, 1, 2, "医学 一郎"],
      // requester.display is 田中　宏; the contained Practitioner's name is read
      ["PO-SID-90-AMB", "121431401", "2171022F6276", CODE_SYSTEM.HOT9, "121431401", "1011000400000000", "1日1回 朝食後", 1, "錠", 90, false, 1, 1, "田中 宏"],
      // boundsDuration says 8 days; the supply (and the text) 7
      ["PO-4timez-7days", "123812902", "1141007F3023", CODE_SYSTEM.HOT9, "123812902", "1014144400000000", "1日4回 毎食後と就寝前", 1, "錠", 7, false, 4, 1, "診療 和子"],
      // no dose stated: the instruction as written, with its limit of 3 a day
      ["PO-AsNeeded-LimitMax", null, "1141007F1063", CODE_SYSTEM.YJ, "1141007F1063", "1050710000000000", "発熱時  4　回分,37.5度以上で本人希望時　4時間あけて1日3回まで", null, null, null, true, null, 1, "医療 太郎"],
    ]);
  });

  it("keys each by its resourceInstance-identifier, not the RP number every prescription shares", () => {
    expect(read("MedicationRequest-Example-JP-MedReq-TID-01.json").key).toBe("MedicationRequest|http://jpfhir.jp/fhir/core/IdSystem/resourceInstance-identifier|1311234567-2020-00123456");
  });

  it("names the patient by subject.identifier where the file does, with the 枝番", () => {
    expect(read("MedicationRequest-Example-JP-MedReq-PO-SID-90-AMB.json").patient).toMatchObject({ at: "MedicationRequest.subject.identifier", localIds: [], insured: INSURED_05, familyName: null });
    expect(med("PO-TID-2days").department).toBe("循環器診療科");
    expect(med("TID-01").occurredAt).toEqual(new Date("2020-08-21T12:28:17+09:00"));
  });

  it("keeps the text and sets dose null when the dose is uneven across the day, never inventing one", () => {
    const two = load("MedicationRequest-Example-JP-MedReq-PO-TID-2days.json");
    const morning = structuredClone(two.dosageInstruction[0]);
    morning.text = "朝 2錠";
    const evening = structuredClone(two.dosageInstruction[0]);
    evening.doseAndRate[0].doseQuantity.value = 1;
    evening.text = "夕 1錠";
    two.dosageInstruction = [morning, evening];
    expect(doc(two).medications[0]).toMatchObject({ dose: null, doseUnit: "錠", usageText: "朝 2錠 / 夕 1錠", timesPerDay: null });

    // 1回1錠 1日3回 but 4錠 a day: the amounts differ by time of day (e.g. 2-1-1)
    const ratio = load("MedicationRequest-Example-JP-MedReq-TID-01.json");
    ratio.dosageInstruction[0].doseAndRate[0].rateRatio.numerator.value = 4;
    ratio.dosageInstruction[0].timing.repeat.frequency = 3;
    ratio.dosageInstruction[0].text = "1日3回 朝2錠 昼1錠 夕1錠";
    expect(doc(ratio).medications[0]).toMatchObject({ dose: null, usageText: "1日3回 朝2錠 昼1錠 夕1錠", timesPerDay: 3 });
  });
});

describe("the lone Conditions", () => {
  const cond = (f: string) => read(`Condition-Example-JP-Condition-eCS-${f}.json`);

  it("reads Condition-01: 十二指腸潰瘍・H1期, patient by 被保険者個人識別子", () => {
    const d = cond("01");
    expect(d.conditions).toEqual([{
      at: "Condition", identifier: "http://jpfhir.jp/fhir/core/IdSystem/resourceInstance-identifier|202934701", tags: [],
      occurredAt: jst("2020-04-10T00:00:00"), occurredPrecision: null, endedAt: null, codeSystem: CODE_SYSTEM.MEDIS_DISEASE_KEY, code: "20064049", display: "十二指腸潰瘍・H1期",
      icd10: null, suspected: false, active: true, outcome: null, major: false,
    }]);
    expect(d.patient?.insured).toEqual(INSURED_05);
    expect(d.key).toBe("Condition|http://jpfhir.jp/fhir/core/IdSystem/resourceInstance-identifier|202934701");
  });

  it("reads Condition-02's UNINFORMED (未告知) and LTS tags and its ICD-10", () => {
    expect(cond("02").conditions[0]).toMatchObject({ tags: ["LTS", "UNINFORMED"], code: "20054178", display: "胃癌", icd10: "C169", occurredAt: jst("2020-04-10T00:00:00") });
  });

  it("reads Condition-03 as a suspected diagnosis that ended: unconfirmed, inactive (中止)", () => {
    // both MEDIS codes are sent: the 病名管理番号 is preferred over the 交換用コード L3RF
    expect(cond("03").conditions[0]).toMatchObject({ code: "20075639", codeSystem: CODE_SYSTEM.MEDIS_DISEASE_KEY, display: "噴門癌早期", suspected: true, active: false, outcome: "STOPPED", endedAt: jst("2020-05-01T00:00:00") });
  });

  it("reads ANGINA's onset 2018 as the start of 2018 in Japan, sent as a year", () => {
    expect(cond("ANGINA").conditions[0]).toMatchObject({ code: "20058911", occurredAt: jst("2018-01-01T00:00:00"), occurredPrecision: "YEAR", active: true });
  });

  it("reads a 「の疑い」 postfix modifier as suspected", () => {
    const c = load("Condition-Example-JP-Condition-eCS-01.json");
    c.code.extension = [{ url: "http://jpfhir.jp/fhir/core/Extension/StructureDefinition/JP_Condition_DiseasePostfixModifier", valueCodeableConcept: { coding: [{ system: "http://medis.or.jp/CodeSystem/master-disease-modKeyNumber", display: "の疑い" }] } }];
    expect(doc(c).conditions[0]!.suspected).toBe(true);
  });
});

describe("the lone AllergyIntolerances", () => {
  const allergy = (f: string) => read(`AllergyIntolerance-Example-JP-${f}.json`);

  it("reads each allergen, its kind, reaction and tags", () => {
    const rows = ["Allergy-eCS-01", "Allergy-eCS-02", "AllergyIntolerance-eCS-01", "AllergyIntolerance-eCS-02", "AllergyIntolerance-eCS-03"].map((f) => {
      const a = allergy(f).allergies[0]!;
      return [f, a.kind, a.code, a.display, a.reaction, a.severity, a.tags, a.occurredAt, a.identifier?.split("|")[1]];
    });
    expect(rows).toEqual([
      // onsetAge 30 years: no date to file without guessing
      ["Allergy-eCS-01", "FOOD", "J9FC11310000", "サバ", "サバ食後３時間ほどで全身に発疹と腹痛あり", "UNKNOWN", [], null, "102934701"],
      // the same identifier as サバ's for another allergen
      ["Allergy-eCS-02", "FOOD", "J9FA32540000", "キーウイ", "食べると口の周りが痺れる感じ", "UNKNOWN", [], null, "102934701"],
      ["AllergyIntolerance-eCS-01", "FOOD", "J9FC11310000", "さば", null, "UNKNOWN", ["LTS"], null, "102934701"],
      ["AllergyIntolerance-eCS-02", "FOOD", "J9FA32540000", "キーウイ", "食べると口の周りが痺れる感じ", "UNKNOWN", ["LTS"], jst("2020-04-10T00:00:00"), "102934702"],
      ["AllergyIntolerance-eCS-03", "DRUG", "GCM2260701F1ZZZ", "ヨードうがい液", "ポビドンヨード含嗽後に嘔吐と全身に発疹", "SEVERE", ["LTS"], null, "102934703"],
    ]);
  });
});

describe("the lone lab Observations, Patients, Encounter and Organizations", () => {
  it("reads Alb, K and eGFR with JLAC10 codes", () => {
    const lab = (f: string) => read(`Observation-Example-JP-Obs-LabResult-eCS-${f}.json`).labs[0]!;
    expect([lab("Alb"), lab("K"), lab("eGFR")].map((l) => [l.codeSystem, l.code, l.display, l.valueNumeric, l.unit, l.tags])).toEqual([
      [CODE_SYSTEM.JLAC10, "3A015000001827101", "アルブミン", 3.9, "mg/L", ["LTS"]],
      [CODE_SYSTEM.JLAC10, "3H015000002326101", "カリウム", 3.5, "mEq/L", []],
      [CODE_SYSTEM.JLAC10, "8A065000002391901", "推算GFR", 75, "ml/min/1.73m2", []],
    ]);
  });

  it("reads the three Patients; the minimal one has a hospital id without a facility code", () => {
    const makino = read("Patient-Example-JP-Patient-eCS-MAKINO.json");
    expect(makino.patient).toMatchObject({ localIds: [{ value: "000999739", facilityCode: "1318814790" }], insured: INSURED_05, familyName: "牧野", givenName: "爛漫", familyNameKana: "マキノ", birthDate: "1930-06-28", sex: "FEMALE" });
    expect(makino.key).toBe("Patient|urn:oid:1.2.392.100495.20.3.51.11318814790|000999739");
    expect(read("Patient-Example-JP-Patient-standard.json").patient).toEqual({ ...makino.patient, at: "Patient" });
    expect(read("Patient-Example-JP-Patient-minimun.json").patient).toEqual({
      at: "Patient", localIds: [{ system: "http://jpfhir.jp/fhir/eCS/Idsystem/JP_Hospital_PatientID", value: "000999739", facilityCode: null }], insured: INSURED_05,
      familyName: null, givenName: null, familyNameKana: null, givenNameKana: null, birthDate: null, sex: "UNKNOWN",
    });
  });

  it("lists the Encounter and the Organizations as not imported", () => {
    for (const f of ["Encounter-Example-JP-Encounter-eCS-01.json", "Organization-Example-JP-Org-eCS-Inst-Referral01.json", "Organization-Example-JP-Org-eCS-ReferralTo01.json"]) {
      const d = read(f);
      expect(d.notImported).toHaveLength(1);
      expect(d.notImported[0]!.at).toBe(f.split("-")[0]);
    }
    expect(read("Organization-Example-JP-Org-eCS-ReferralTo01.json").key).toBe("Organization|http://jpfhir.jp/fhir/core/IdSystem/insurance-medical-institution-no|1311234567");
  });
});

describe("the rules", () => {
  it("code system aliases: the URL and OID forms read as one canonical system; unknown ones as sent", () => {
    expect(canonicalSystem("http://medis.or.jp/CodeSystem/master-JLAC10-17digits")).toBe(CODE_SYSTEM.JLAC10);
    expect(canonicalSystem("urn:oid:1.2.392.200119.4.504")).toBe(CODE_SYSTEM.JLAC10);
    expect(canonicalSystem("http://medis.or.jp/CodeSystem/master-disease-keyNumber")).toBe(canonicalSystem("urn:oid:1.2.392.200119.4.101.2"));
    expect(canonicalSystem("http://medis.or.jp/CodeSystem/master-disease-exCode")).toBe(CODE_SYSTEM.MEDIS_DISEASE);
    expect(canonicalSystem("urn:oid:1.2.392.200119.4.403.1")).toBe(CODE_SYSTEM.HOT9);
    expect(canonicalSystem("urn:oid:1.2.392.200119.4.402.1")).toBe(CODE_SYSTEM.HOT13);
    expect(canonicalSystem("urn:oid:1.2.392.200119.4.403.2")).toBe(CODE_SYSTEM.HOT7);
    expect(canonicalSystem("urn:oid:1.2.392.100495.20.2.73")).toBe(CODE_SYSTEM.YJ);
    expect(canonicalSystem("http://jpfhir.jp/fhir/core/CodeSystem/JP_ICD10")).toBe(CODE_SYSTEM.ICD10);
    expect(canonicalSystem("http://hl7.org/fhir/sid/icd-10")).toBe(CODE_SYSTEM.ICD10);
    expect(canonicalSystem("http://example.org/local-codes")).toBe("http://example.org/local-codes");

    // a lab coded in the OID form reads exactly as the fixture's URL form
    const oid = load("Observation-Example-JP-Obs-LabResult-eCS-eGFR.json");
    oid.code.coding[1].system = "urn:oid:1.2.392.200119.4.504";
    expect(doc(oid).labs).toEqual(read("Observation-Example-JP-Obs-LabResult-eCS-eGFR.json").labs);
    // and an ICD-10 under any of its URIs
    const icd = load("Condition-Example-JP-Condition-eCS-02.json");
    icd.code.coding[1].system = "http://hl7.org/fhir/sid/icd-10";
    expect(doc(icd).conditions[0]!.icd10).toBe("C169");
    // an unknown system is kept, never dropped
    const local = load("Condition-Example-JP-Condition-eCS-ANGINA.json");
    local.code.coding = [{ system: "http://example.org/local-codes", code: "X1", display: "狭心症" }];
    expect(doc(local).conditions[0]).toMatchObject({ codeSystem: "http://example.org/local-codes", code: "X1" });
  });

  it("rejects a collection Bundle that mixes resource types", () => {
    const b = load(OBSERVATIONS);
    b.entry.push(load(REFERRAL).entry[8]); // a Condition of the same patient
    b.entry[5].resource.subject.reference = b.entry[0].fullUrl;
    const e = errors(b);
    expect(e.map((i) => [i.code, i.expression])).toContainEqual(["structure", "Bundle.entry"]);
    expect(e.find((i) => i.expression === "Bundle.entry")!.en).toContain("Observation, Condition");
  });

  it("rejects a collection whose meta.tag names another type, or none, or that does not start with its Patient", () => {
    const other = load(OBSERVATIONS);
    other.meta.tag[0].code = "Condition";
    expect(errors(other).map((i) => i.code)).toContain("conflict");
    const none = load(OBSERVATIONS);
    delete none.meta.tag;
    expect(errors(none).map((i) => [i.code, i.expression])).toContainEqual(["required", "Bundle.meta.tag"]);
    const late = load(OBSERVATIONS);
    late.entry.push(late.entry.shift());
    expect(errors(late).map((i) => [i.code, i.expression])).toContainEqual(["structure", "Bundle.entry[0].resource"]);
  });

  it("rejects a Bundle with two Patients, or none", () => {
    const two = load(REFERRAL);
    two.entry.push({ fullUrl: "urn:uuid:00000000-0000-0000-0000-000000000002", resource: { ...two.entry[1].resource, id: "second" } });
    expect(errors(two).map((i) => [i.code, i.expression])).toContainEqual(["conflict", "Bundle.entry"]);
    const none = load(OBSERVATIONS);
    none.entry.shift();
    expect(errors(none).map((i) => [i.code, i.expression])).toContainEqual(["required", "Bundle.entry"]);
  });

  it("rejects a resource whose subject is not the Bundle's Patient", () => {
    // a reference to another resource of the Bundle (the author Practitioner)
    const other = load(REFERRAL);
    other.entry[8].resource.subject.reference = "urn:uuid:3e6a0ba2-d781-4fd7-9de6-e077b690daed";
    expect(errors(other)).toContainEqual(expect.objectContaining({ code: "conflict", expression: "Bundle.entry[8].resource.subject.reference" }));
    // a reference to nothing in the Bundle
    const missing = load(OBSERVATIONS);
    missing.entry[2].resource.subject.reference = "urn:uuid:ffffffff-0000-0000-0000-000000000000";
    expect(errors(missing)).toContainEqual(expect.objectContaining({ code: "conflict", expression: "Bundle.entry[2].resource.subject.reference" }));
    // by identifier: the 枝番 05 member is not the 枝番 01 patient of this Bundle
    const branch = load(OBSERVATIONS);
    branch.entry[1].resource.subject = { identifier: { system: "http://jpfhir.jp/fhir/clins/Idsystem/JP_Insurance_memberID", value: "00012345:あいう:１８７:05" } };
    expect(errors(branch)).toContainEqual(expect.objectContaining({ code: "conflict", expression: "Bundle.entry[1].resource.subject.identifier" }));
    // the same person written with half-width digits is the patient
    const same = load(OBSERVATIONS);
    same.entry[1].resource.subject = { identifier: { system: "http://jpfhir.jp/fhir/clins/Idsystem/JP_Insurance_memberID", value: "00012345:あいう:187:01" } };
    expect(readFhir(same).ok).toBe(true);
    // no subject at all
    const none = load(OBSERVATIONS);
    delete none.entry[3].resource.subject;
    expect(errors(none)).toContainEqual(expect.objectContaining({ code: "required", expression: "Bundle.entry[3].resource.subject" }));
  });

  it("rejects a document or collection Bundle without Bundle.identifier: a resend could not be recognised", () => {
    for (const f of [REFERRAL, OBSERVATIONS]) {
      const b = load(f);
      delete b.identifier;
      expect(errors(b)).toContainEqual(expect.objectContaining({ code: "required", expression: "Bundle.identifier" }));
    }
    // the key never comes from fullUrl or id, which change on every send
    const resent = load(REFERRAL);
    resent.id = "another-send";
    for (const e of resent.entry) e.fullUrl = e.fullUrl.replace("urn:uuid:", "urn:uuid:0");
    for (const e of resent.entry) for (const s of [e.resource.subject, e.resource.patient]) if (s?.reference) s.reference = s.reference.replace("urn:uuid:", "urn:uuid:0");
    for (const a of resent.entry[0].resource.author) a.reference = a.reference.replace("urn:uuid:", "urn:uuid:0");
    expect(doc(resent).key).toBe(read(REFERRAL).key);
  });

  it("refuses a Composition that is neither a referral nor a discharge summary", () => {
    const b = load(REFERRAL);
    b.entry[0].resource.type.coding[0].code = "34133-9";
    expect(errors(b)).toContainEqual(expect.objectContaining({ code: "not-supported", expression: "Bundle.entry[0].resource.type" }));
    const discharge = load(REFERRAL);
    discharge.entry[0].resource.type.coding = [{ system: "http://loinc.org", code: "18842-5" }];
    expect(doc(discharge).document!.kind).toBe("DISCHARGE_SUMMARY");
    const first = load(REFERRAL);
    first.entry.push(first.entry.shift());
    expect(errors(first).map((i) => i.code)).toContain("structure");
  });

  it("reads a transaction Bundle: POST/PUT like a collection, DELETE as deletes", () => {
    const referral = load(REFERRAL);
    const t = {
      resourceType: "Bundle", type: "transaction",
      entry: [
        { fullUrl: referral.entry[1].fullUrl, resource: referral.entry[1].resource, request: { method: "PUT", url: "Patient?identifier=urn:oid:1.2.392.100495.20.3.51.11318814790|000999739" } },
        { fullUrl: referral.entry[11].fullUrl, resource: referral.entry[11].resource, request: { method: "POST", url: "Condition" } },
        { fullUrl: referral.entry[13].fullUrl, resource: referral.entry[13].resource, request: { method: "POST", url: "AllergyIntolerance" } },
        { request: { method: "DELETE", url: "Condition?identifier=http://jpfhir.jp/fhir/core/IdSystem/resourceInstance-identifier|192837-01" } },
      ],
    };
    const d = doc(t);
    expect(d).toMatchObject({ shape: "transaction", key: null, deletes: ["Condition?identifier=http://jpfhir.jp/fhir/core/IdSystem/resourceInstance-identifier|192837-01"] });
    expect(d.patient?.familyName).toBe("牧野");
    expect(d.conditions.map((c) => c.code)).toEqual(["20058911"]);
    expect(d.allergies.map((a) => a.display)).toEqual(["さば"]);
    // a write for another patient in the same transaction is refused
    t.entry[1]!.resource.subject = { reference: "urn:uuid:ffffffff-0000-0000-0000-000000000000" };
    expect(errors(t).map((i) => i.expression)).toContain("Bundle.entry[1].resource.subject.reference");
  });

  it("reads reference ranges and interpretation flags", () => {
    const k = load("Observation-Example-JP-Obs-LabResult-eCS-K.json");
    k.referenceRange = [{ low: { value: 3.6 }, high: { value: 4.8 } }];
    k.interpretation = [{ coding: [{ system: "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation", code: "L" }] }];
    expect(doc(k).labs[0]).toMatchObject({ refLow: 3.6, refHigh: 4.8, refText: null, flag: "L" });
    k.referenceRange = [{ text: "3.6-4.8" }];
    k.interpretation = [{ coding: [{ code: "HH" }] }];
    expect(doc(k).labs[0]).toMatchObject({ refLow: 3.6, refHigh: 4.8, refText: "3.6-4.8", flag: "H" });
  });

  it("reads FHIR dates: partial dates and zoneless times are Japan time, impossible dates are null", () => {
    expect(fhirInstant("2018")).toEqual(jst("2018-01-01T00:00:00"));
    expect(fhirInstant("2022-05")).toEqual(jst("2022-05-01T00:00:00"));
    expect(fhirInstant("2021-07-09T14:11:13.000+09:00")).toEqual(new Date("2021-07-09T05:11:13Z"));
    expect(fhirInstant("2021-07-09T14:11:13Z")).toEqual(new Date("2021-07-09T14:11:13Z"));
    expect(fhirInstant("2021-07-09T14:11")).toEqual(jst("2021-07-09T14:11:00"));
    expect(fhirInstant("2021-02-30")).toBeNull();
    expect(fhirInstant("20210709")).toBeNull();
  });

  it("turns narrative XHTML into text: block ends are line breaks, entities decoded", () => {
    expect(narrativeText('<div xmlns="http://www.w3.org/1999/xhtml"><p>アレルギー:キーウイ</p>発症:2020-04-10<br/>記録&amp;確認 &lt;済&gt; &#x3042;</div>')).toBe("アレルギー:キーウイ\n発症:2020-04-10\n記録&確認 <済> あ");
  });

  it("reports wrong-typed elements with their expression in Japanese and English, never throwing", () => {
    const c = load("Condition-Example-JP-Condition-eCS-02.json");
    c.code = "胃癌";
    c.meta.tag = "LTS";
    c.onsetDateTime = 20200410;
    const e = issuesOf(c);
    expect(e).toContainEqual(expect.objectContaining({ severity: "warning", code: "structure", expression: "Condition.code", en: "Condition.code must be an object, but a string was sent." }));
    expect(e).toContainEqual(expect.objectContaining({ severity: "error", code: "required", expression: "Condition.code" }));
    expect(e.map((i) => i.expression)).toEqual(expect.arrayContaining(["Condition.meta.tag", "Condition.onsetDateTime"]));
    expect(e.find((i) => i.expression === "Condition.onsetDateTime")!.ja).toBe("Condition.onsetDateTime は文字列でなければなりませんが、数値が送られました。");
    for (const bad of [null, "Bundle", [], 42, {}, { resourceType: "Bundle" }, { resourceType: "Bundle", type: "document", entry: "x" }, { resourceType: "Claim" }]) {
      expect(issuesOf(bad).length, JSON.stringify(bad)).toBeGreaterThan(0);
    }
    // an element read twice (followed as a reference, then for its display) is reported once
    const med = load("MedicationRequest-Example-JP-MedReq-PO-TID-2days.json");
    med.requester = "医療 太郎";
    const r = readFhir(med);
    expect(r.ok && r.warnings.filter((w) => w.expression === "MedicationRequest.requester")).toHaveLength(1);
    expect(r.ok && r.doc.medications[0]!.prescriberName).toBeNull();
    const huge = load("Patient-Example-JP-Patient-eCS-MAKINO.json");
    huge.name[0].family = "牧".repeat(200_000);
    expect(readFhir(huge)).toMatchObject({ ok: true, warnings: [expect.objectContaining({ code: "value", expression: "Patient.name[0].family" })] });
  });
});

// ---------------------------------------------------------------------------------------------
// Properties: nothing a sender can put in a file makes readFhir throw, and a refusal always says why.

function wellFormed(r: ReturnType<typeof readFhir>): boolean {
  const issues = r.ok ? r.warnings : r.issues;
  if (!r.ok && issues.length === 0) return false;
  // the catch in readFhir is a last resort: a property run that reaches it is a bug here
  return issues.every((i) => i.ja.trim() !== "" && i.en.trim() !== "" && !i.en.startsWith("Internal error"));
}

/** Every path into a JSON value, for replacing one subtree. */
function paths(v: unknown, at: (string | number)[] = []): (string | number)[][] {
  const here = [at];
  if (Array.isArray(v)) return here.concat(...v.map((x, i) => paths(x, [...at, i])));
  if (v && typeof v === "object") return here.concat(...Object.entries(v).map(([k, x]) => paths(x, [...at, k])));
  return here;
}
function replaced(root: unknown, at: (string | number)[], garbage: unknown): unknown {
  if (!at.length) return garbage;
  const copy = structuredClone(root) as Record<string | number, unknown>;
  let cur = copy;
  for (const k of at.slice(0, -1)) cur = cur[k] as Record<string | number, unknown>;
  cur[at.at(-1)!] = garbage;
  return copy;
}

/** A cut-off file closed as a sender's truncated upload might be salvaged; null when it cannot be. */
function reparse(prefix: string): unknown {
  for (let end = prefix.length; end > 0 && end > prefix.length - 200; end--) {
    const s = prefix.slice(0, end).replace(/[\s,:]+$/, "");
    const closers: string[] = [];
    let inString = false;
    for (let i = 0; i < s.length; i++) {
      const ch = s[i];
      if (inString) {
        if (ch === "\\") i++;
        else if (ch === '"') inString = false;
      } else if (ch === '"') inString = true;
      else if (ch === "{") closers.push("}");
      else if (ch === "[") closers.push("]");
      else if (ch === "}" || ch === "]") closers.pop();
    }
    try {
      return JSON.parse(s + (inString ? '"' : "") + closers.reverse().join(""));
    } catch {
      // try a shorter prefix
    }
  }
  return null;
}

const garbage = fc.oneof(fc.jsonValue(), fc.constant(null), fc.constant("x".repeat(200_000)), fc.array(fc.jsonValue(), { maxLength: 5 }), fc.string());
const BUNDLES = [REFERRAL, OBSERVATIONS, "MedicationRequest-Example-JP-MedReq-PO-TID-2days.json", "Condition-Example-JP-Condition-eCS-02.json"];

describe("readFhir on anything", () => {
  it("reads a file built to be slow in linear time: unclosed tags, long references, deep sections", () => {
    const b = load(REFERRAL);
    b.entry[0].resource.section[0].text.div = "<".repeat(900_000);
    b.entry[8].resource.subject.reference = "A".repeat(9_000);
    let deep: Record<string, unknown> = { title: "底" };
    for (let i = 0; i < 2_000; i++) deep = { title: `${i}`, section: [deep] };
    b.entry[0].resource.section.push(deep);
    // no timing here (these machines are noisy): a reading quadratic in 900,000 characters or in the
    // nesting would not end within the test's own time limit, which is what fails it
    const r = readFhir(b);
    expect(r.ok).toBe(false); // the subject names no patient of the Bundle
    expect(wellFormed(r)).toBe(true);
    expect(!r.ok && r.issues.map((i) => i.code)).toContain("structure"); // the nesting, reported where it stops
  });

  it("never throws on arbitrary JSON, and every refusal has an issue in both languages", () => {
    fc.assert(fc.property(fc.jsonValue(), (v) => wellFormed(readFhir(v))), { numRuns: 500 });
    fc.assert(fc.property(fc.jsonValue(), (v) => wellFormed(readFhir({ resourceType: "Bundle", type: "document", identifier: { system: "s", value: "v" }, entry: v }))), { numRuns: 300 });
  });

  it("never throws when a random subtree of a real file is replaced by garbage", () => {
    for (const f of BUNDLES) {
      const root = load(f);
      const all = paths(root);
      fc.assert(fc.property(fc.integer({ min: 0, max: all.length - 1 }), garbage, (i, g) => wellFormed(readFhir(replaced(root, all[i]!, g)))), { numRuns: 300 });
    }
  });

  it("never throws on a truncated file, re-parsed where possible", () => {
    for (const f of [REFERRAL, OBSERVATIONS]) {
      const t = text(f);
      fc.assert(fc.property(fc.integer({ min: 1, max: t.length - 1 }), (cut) => wellFormed(readFhir(reparse(t.slice(0, cut))))), { numRuns: 200 });
    }
  });
});

describe("a document's required elements", () => {
  it("refuses a letter without its title, date, status or subject, naming each", () => {
    const referral = JSON.parse(fs.readFileSync(path.join(DIR, "Bundle-Bundle-CLINS-Referral-Example-01.json"), "utf8"));
    for (const k of ["title", "date", "status", "subject"]) {
      const b = structuredClone(referral);
      delete b.entry[0].resource[k];
      const r = readFhir(b);
      expect(r.ok, k).toBe(false);
      if (!r.ok) expect(r.issues.find((i) => i.expression === `Bundle.entry[0].resource.${k}`)).toMatchObject({ severity: "error", code: "required" });
    }
    expect(readFhir(referral).ok).toBe(true); // the twin: the letter as published
  });
});

describe("code systems a clinician can name", () => {
  it("names the referral's drug and food allergen codes JFAGY, not by their URI", () => {
    const r = readFhir(JSON.parse(fs.readFileSync(path.join(DIR, "Bundle-Bundle-CLINS-Referral-Example-01.json"), "utf8")));
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.doc.allergies.map((a) => codeSystemName(a.codeSystem ?? ""))).toEqual(["JFAGY", "JFAGY", "JFAGY"]);
  });
});
