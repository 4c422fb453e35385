import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { loadProfiles, type LoadedProfiles } from "../lib/interop/fhir/fhir-packages";
import { checkInvariants, profileCoverage } from "../lib/interop/fhir/invariants";
import { readFhir } from "../lib/interop/fhir/read";
import { CODE_SYSTEM } from "../lib/terminology/code-systems";
import { writePatient } from "../lib/interop/fhir/write-patient";
import { writeCondition } from "../lib/interop/fhir/write-condition";
import { writeAllergy } from "../lib/interop/fhir/write-allergy";
import { EXPECTED_REPEAT_COUNT, USAGE_DURATION, writePrescription } from "../lib/interop/fhir/write-medication";
import { writeCheckup, writeLab } from "../lib/interop/fhir/write-observation";
import { writeEncounter, writeProcedure } from "../lib/interop/fhir/write-encounter";
import { writeDocument } from "../lib/interop/fhir/write-document";
import { bundleEntryText, bundleOpening, BUNDLE_CLOSING, writeBundle } from "../lib/interop/fhir/write-bundle";
import { dateAtPrecision, jstDateTime } from "../lib/interop/fhir/write-common";
import { asEcs } from "./helpers/fhir-ecs";

/**
 * The FHIR JP Core writer, pure: stored rows in, resources out. Checked against the JP Core packages'
 * invariants (the checker the importer uses) and read back by Tsunagu's own FHIR reader.
 */
const PACKAGES = path.resolve(__dirname, "../../shared/fhir-packages");
let profiles: LoadedProfiles;
beforeAll(() => {
  const loaded = loadProfiles(PACKAGES);
  if (!loaded.loaded) throw new Error(loaded.en);
  profiles = loaded;
});

const at = (s: string) => new Date(s);
const patient = writePatient({
  id: "pat-1", familyName: "牧野", givenName: "爛漫", familyNameKana: "マキノ", givenNameKana: "ランマン", sex: "FEMALE", birthDate: "1930-06-28",
  insurerNumber: "00012345", insuredSymbol: "あいう", insuredNumber: "187", insuredBranch: "05", localIds: [{ facilityCode: "1318814790", localPatientId: "000999739" }],
});
const angina = writeCondition({ id: "dx-1", patientId: "pat-1", occurredAt: at("2017-12-31T15:00:00Z"), occurredPrecision: "YEAR", endedAt: null, codeSystem: CODE_SYSTEM.MEDIS_DISEASE_KEY, code: "20058911", display: "狭心症", icd10: "I209", suspected: false, outcome: "CURED", recordedAt: at("2026-01-02T03:04:05Z"), facilityCode: "1318814790" });
const suspected = writeCondition({ id: "dx-2", patientId: "pat-1", occurredAt: at("2022-04-30T15:00:00Z"), occurredPrecision: "MONTH", endedAt: null, codeSystem: CODE_SYSTEM.MEDIS_DISEASE_KEY, code: "20075383", display: "腰痛", icd10: null, suspected: true, outcome: null, uninformed: true });
const allergy = writeAllergy({ id: "alg-1", patientId: "pat-1", occurredAt: at("2020-03-01T01:00:00Z"), occurredPrecision: null, kind: "DRUG", codeSystem: CODE_SYSTEM.LOCAL_ALLERGEN, code: "NSAIDS", display: "NSAIDs", reaction: "喘息発作", severity: "SEVERE", active: true });
const silent = writeAllergy({ id: "alg-2", patientId: "pat-1", occurredAt: at("2020-03-01T01:00:00Z"), occurredPrecision: "NONE", kind: "CONTRAINDICATION", codeSystem: null, code: null, display: "ヨード造影剤", reaction: null, severity: "MODERATE", active: true });
const rx = { id: "rx-1", patientId: "pat-1", facilityCode: "1318814790", kind: "PRESCRIPTION" as const, occurredAt: at("2024-06-09T00:30:00Z"), status: "ACTIVE" as const, prescriberName: "大河内 勘三郎", department: "内科" };
const amlodipine = { id: "rx-1-01", rp: 1, codeSystem: CODE_SYSTEM.HOT9, code: "105271807", display: "アムロジピン錠5mg", yjCode: "2171022F2041", hotCode: "105271807", dose: 1, doseUnit: "錠", usageCode: "1013044400000000", usageText: "1日1回朝食後", days: 28, asNeeded: false };
const loxoprofen = { id: "rx-1-02", rp: 2, codeSystem: CODE_SYSTEM.YJ, code: "1149019F1560", display: "ロキソプロフェン錠60mg", yjCode: "1149019F1560", hotCode: null, dose: null, doseUnit: null, usageCode: null, usageText: "疼痛時", days: null, asNeeded: true };
const meds = writePrescription({ ...rx, items: [amlodipine, loxoprofen] });
const dispensed = writePrescription({ ...rx, id: "dsp-1", kind: "DISPENSE", items: [{ ...amlodipine, id: "dsp-1-01" }] });
const lab = writeLab({ id: "lab-1", patientId: "pat-1", occurredAt: at("2024-06-09T01:15:00Z"), codeSystem: CODE_SYSTEM.JLAC10, code: "3D046000001920402", display: "HbA1c", valueNumeric: 6.8, valueText: null, unit: "%", refLow: 4.6, refHigh: 6.2, refText: "4.6-6.2", flag: "H", facilityCode: "2213000001" });
const textLab = writeLab({ id: "lab-2", patientId: "pat-1", occurredAt: at("2024-06-09T01:15:00Z"), codeSystem: CODE_SYSTEM.JLAC10, code: "1A010000000190111", display: "尿蛋白", valueNumeric: null, valueText: "(+)", unit: null, refLow: null, refHigh: null, refText: null, flag: "A", facilityCode: "2213000001" });
const checkup = writeCheckup({ id: "ck-1", patientId: "pat-1", occurredAt: at("2024-04-10T00:00:00Z"), programme: "特定健診", items: [{ id: "ck-1-1", codeSystem: CODE_SYSTEM.CHECKUP, code: "9N056000000000011", display: "BMI", valueNumeric: 24.1, valueText: null, unit: "kg/m2", refLow: null, refHigh: 25, flag: "N" }] });
const stay = writeEncounter({ id: "enc-1", patientId: "pat-1", occurredAt: at("2024-06-01T01:00:00Z"), endedAt: null, class: "INPATIENT", department: "循環器内科", reason: "胸痛" });
const surgery = writeProcedure({ id: "proc-1", patientId: "pat-1", occurredAt: at("2024-06-02T01:00:00Z"), kind: "SURGERY", codeSystem: CODE_SYSTEM.PROCEDURE, code: "K5491", display: "経皮的冠動脈ステント留置術", note: null });
const letter = writeDocument({ id: "doc-1", patientId: "pat-1", occurredAt: at("2024-06-10T02:00:00Z"), kind: "REFERRAL", title: "診療情報提供書", authorName: "大河内 勘三郎", recipient: "みなみ内科クリニック", body: "【紹介目的】\n腹痛精査お願いします。<b>" });
const all = [patient, angina, suspected, allergy, silent, ...meds, ...dispensed, lab, textLab, ...checkup, stay, surgery, letter];
const bundle = writeBundle({ id: "export-1", patientId: "pat-1", timestamp: at("2026-12-06T05:00:00Z") }, all);

describe("the JP Core writer", () => {
  it("a DocumentReference without a text attachment (a PDF) is listed as not imported, with a warning; one with text is a letter (twin)", () => {
    const pdf = { ...letter, content: [{ attachment: { contentType: "application/pdf", data: "JVBERi0=" } }] };
    const read = readFhir(writeBundle({ id: "b", patientId: "pat-1", timestamp: at("2026-12-06T05:00:00Z") }, [patient, pdf]));
    if (!read.ok) throw new Error(JSON.stringify(read.issues));
    expect(read.doc.letters).toEqual([]);
    expect(read.doc.notImported.map((n) => n.reason)).toEqual(["DocumentReference: no text (text/plain) attachment to file"]);
    expect(read.warnings.some((w) => w.en.includes("no text (text/plain) attachment"))).toBe(true);
    const text = readFhir(writeBundle({ id: "b", patientId: "pat-1", timestamp: at("2026-12-06T05:00:00Z") }, [patient, letter]));
    expect(text.ok && text.doc.letters.map((l) => l.title)).toEqual(["診療情報提供書"]);
  });

  it("writes resources that declare JP Core profiles the packages define and break none of their invariants (nor FHIR's)", () => {
    expect(profileCoverage(bundle, profiles)).toEqual([]);
    expect(checkInvariants(asEcs(bundle), profiles)).toEqual([]);
    // the check finds what it should: an abated condition still "active" breaks con-4
    const broken = asEcs(writeBundle({ id: "b", patientId: "pat-1", timestamp: new Date() }, [{ ...angina, clinicalStatus: { coding: [{ system: "http://terminology.hl7.org/CodeSystem/condition-clinical", code: "active" }] }, abatementDateTime: "2020" }]));
    expect(checkInvariants(broken, profiles).map((i) => i.invariant)).toEqual(["con-4"]);
    expect(all.map((r) => r.resourceType)).toEqual(["Patient", "Condition", "Condition", "AllergyIntolerance", "AllergyIntolerance", "MedicationRequest", "MedicationRequest", "MedicationDispense", "Observation", "Observation", "Observation", "Encounter", "Procedure", "DocumentReference"]);
  });

  it("keeps codes exactly as stored (system, code, display), ICD-10, HOT and YJ beside them", () => {
    expect(angina.code).toEqual({ coding: [{ system: CODE_SYSTEM.MEDIS_DISEASE_KEY, code: "20058911", display: "狭心症" }, { system: CODE_SYSTEM.ICD10, code: "I209" }], text: "狭心症" });
    expect((meds[0]!.medicationCodeableConcept as { coding: unknown[] }).coding).toEqual([
      { system: CODE_SYSTEM.HOT9, code: "105271807", display: "アムロジピン錠5mg" },
      { system: CODE_SYSTEM.YJ, code: "2171022F2041", display: "アムロジピン錠5mg" },
    ]);
    expect(lab.code).toEqual({ coding: [{ system: CODE_SYSTEM.JLAC10, code: "3D046000001920402", display: "HbA1c" }], text: "HbA1c" });
    expect(lab).toMatchObject({ valueQuantity: { value: 6.8, unit: "%" }, referenceRange: [{ low: { value: 4.6, unit: "%" }, high: { value: 6.2, unit: "%" }, text: "4.6-6.2" }], interpretation: [{ coding: [{ code: "H" }] }] });
  });

  it("writes times in Japan time with +09:00, and a year or month onset at the precision it was given", () => {
    expect(jstDateTime(at("2024-06-09T00:30:00Z"))).toBe("2024-06-09T09:30:00+09:00");
    expect(meds[0]!.authoredOn).toBe("2024-06-09T09:30:00+09:00");
    expect(angina.onsetDateTime).toBe("2018");
    expect(suspected.onsetDateTime).toBe("2022-05");
    expect(silent.onsetDateTime).toBeUndefined();
    expect(dateAtPrecision(at("2024-06-09T00:30:00Z"), null)).toBe("2024-06-09T09:30:00+09:00");
    expect(angina.meta).toMatchObject({ lastUpdated: "2026-01-02T12:04:05+09:00" });
    expect(JSON.stringify(bundle)).not.toMatch(/\d{2}:\d{2}(:\d{2})?(\.\d+)?Z"/);
  });

  it("writes 用法, 1回量, days and 頓用 as JP Core places them", () => {
    expect(meds[0]).toMatchObject({
      identifier: [{ value: "rx-1-01" }, { system: "http://jpfhir.jp/fhir/core/mhlw/IdSystem/Medication-RPGroupNumber", value: "1" }],
      dosageInstruction: [{ timing: { code: { coding: [{ system: CODE_SYSTEM.EPRESCRIPTION_USAGE, code: "1013044400000000" }], text: "1日1回朝食後" } }, doseAndRate: [{ doseQuantity: { value: 1, unit: "錠" } }] }],
      dispenseRequest: { expectedSupplyDuration: { value: 28, code: "d" } },
      requester: { display: "大河内 勘三郎" },
    });
    expect(meds[1]).toMatchObject({ dosageInstruction: [{ asNeededBoolean: true, timing: { code: { text: "疼痛時" } } }] });
    expect(dispensed[0]).toMatchObject({ resourceType: "MedicationDispense", whenHandedOver: "2024-06-09T09:30:00+09:00", daysSupply: { value: 28 } });
  });

  it("writes a weekly drug's dosing days within its span, and a 頓用 drug's doses, as JP Core places them; reads both back", () => {
    // ボナロン 週1回 4回分 covers 28 days (lib/record cycleDaysCovered); ニトロペン 頓用 10回分 covers no span
    const bonalon = { ...amlodipine, id: "rx-3-01", display: "ボナロン錠35mg", usageCode: null, usageText: "週1回起床時", days: 4, cycleDays: 28 };
    const nitro = { ...loxoprofen, id: "rx-3-02", display: "ニトロペン舌下錠0.3mg", usageText: "胸痛時", days: 10 };
    const [weekly, prn] = writePrescription({ ...rx, id: "rx-3", items: [bonalon, nitro] });
    expect(weekly).toMatchObject({ dispenseRequest: { expectedSupplyDuration: { value: 28, code: "d" } }, dosageInstruction: [{ extension: [{ url: USAGE_DURATION, valueDuration: { value: 4, code: "d" } }] }] });
    expect(JSON.stringify(weekly!.text)).toContain("4回分（28日間）");
    expect(prn).toMatchObject({ dispenseRequest: { extension: [{ url: EXPECTED_REPEAT_COUNT, valueInteger: 10 }] } });
    expect(prn!.dispenseRequest).not.toHaveProperty("expectedSupplyDuration");
    expect(JSON.stringify(prn!.text)).toContain("10回分");
    expect(JSON.stringify(prn!.text)).not.toContain("10日分");
    const [weeklyOut, prnOut] = writePrescription({ ...rx, id: "dsp-3", kind: "DISPENSE", items: [bonalon, nitro] });
    expect(weeklyOut).toMatchObject({ daysSupply: { value: 28 }, dosageInstruction: [{ extension: [{ url: USAGE_DURATION, valueDuration: { value: 4 } }] }] });
    expect(prnOut).toMatchObject({ quantity: { value: 10, unit: "回" } });
    expect(prnOut).not.toHaveProperty("daysSupply");
    // read back: the record keeps dosing days and doses, as it stored them
    const back = readFhir(writeBundle({ id: "b3", patientId: "pat-1", timestamp: at("2026-12-06T05:00:00Z") }, [patient, weekly!, prn!, weeklyOut!, prnOut!]));
    if (!back.ok) throw new Error(JSON.stringify(back.issues));
    expect(back.doc.medications.map((m) => [m.display, m.dispensed, m.days, m.asNeeded])).toEqual([
      ["ボナロン錠35mg", false, 4, false],
      ["ニトロペン舌下錠0.3mg", false, 10, true],
      ["ボナロン錠35mg", true, 4, false],
      ["ニトロペン舌下錠0.3mg", true, 10, true],
    ]);
    // and the profiles' invariants hold
    expect(checkInvariants(writeBundle({ id: "b4", patientId: "pat-1", timestamp: at("2026-12-06T05:00:00Z") }, [patient, weekly!, prn!, weeklyOut!, prnOut!]), profiles).filter((i) => i.severity === "error")).toEqual([]);
  });

  it("marks 未告知 with JP-CLINS's tag and carries a letter's text as a UTF-8 attachment, escaped in the narrative", () => {
    expect(suspected.meta).toMatchObject({ tag: [{ code: "UNINFORMED" }] });
    expect(angina.meta).not.toHaveProperty("tag");
    const attachment = (letter.content as { attachment: { data: string } }[])[0]!.attachment;
    expect(Buffer.from(attachment.data, "base64").toString("utf8")).toBe("【紹介目的】\n腹痛精査お願いします。<b>");
    expect(JSON.stringify(letter.text)).not.toContain("<b>");
  });

  it("types a letter by LOINC, and keeps the document code the sender gave beside it", () => {
    expect(letter.type).toEqual({ coding: [{ system: "http://loinc.org", code: "57133-1", display: "診療情報提供書" }], text: "診療情報提供書" });
    const cda = writeDocument({ id: "doc-2", patientId: "pat-1", occurredAt: at("2024-06-10T02:00:00Z"), kind: "CLINICAL_DOCUMENT", title: "災害時記録", authorName: null, recipient: null, body: "本文", codeSystem: "http://loinc.org", code: "74465-6", codeDisplay: "災害時JSPEED記録" });
    expect(cda.type).toEqual({ coding: [{ system: "http://loinc.org", code: "74465-6", display: "災害時JSPEED記録" }], text: "災害時JSPEED記録" });
  });

  it("streams as pieces that join to exactly the whole Bundle", () => {
    const text = bundleOpening({ id: "export-1", patientId: "pat-1", timestamp: at("2026-12-06T05:00:00Z") }) + all.map(bundleEntryText).join(",") + BUNDLE_CLOSING;
    expect(JSON.parse(text)).toEqual(bundle);
  });

  it("writes an SS-MIX2 診療科 code with its system and name, reads it back as the code, and a named department as its text", () => {
    const admitted = writeEncounter({ id: "enc-2", patientId: "pat-1", occurredAt: at("2011-11-20T07:00:00Z"), endedAt: at("2011-12-20T03:00:00Z"), class: "INPATIENT", department: "01", reason: null });
    expect(admitted.serviceType).toEqual({ coding: [{ system: CODE_SYSTEM.SSMIX_DEPARTMENT, code: "01", display: "内科" }], text: "内科" });
    expect(stay.serviceType).toEqual({ text: "循環器内科" });
    const back = readFhir(writeBundle({ id: "b", patientId: "pat-1", timestamp: at("2026-12-06T05:00:00Z") }, [patient, admitted]));
    if (!back.ok) throw new Error(JSON.stringify(back.issues));
    expect(back.doc.encounters.map((e) => e.department)).toEqual(["01"]);
  });

  it("is read back by Tsunagu's FHIR reader with the same codes, values, doses and dates", () => {
    const read = readFhir(bundle);
    if (!read.ok) throw new Error(JSON.stringify(read.issues));
    expect(read.warnings.filter((w) => w.severity === "error")).toEqual([]);
    const d = read.doc;
    expect(d.patient).toMatchObject({ familyName: "牧野", givenNameKana: "ランマン", birthDate: "1930-06-28", insured: { insurerNumber: "00012345", symbol: "あいう", number: "187", branch: "05" } });
    expect(d.conditions.map((c) => [c.code, c.icd10, c.occurredPrecision, c.suspected, c.outcome, c.tags])).toEqual([
      ["20058911", "I209", "YEAR", false, "CURED", []],
      ["20075383", null, "MONTH", true, null, ["UNINFORMED"]],
    ]);
    expect(d.allergies.map((a) => [a.display, a.code, a.reaction, a.severity, a.occurredAt?.toISOString() ?? null])).toEqual([
      ["NSAIDs", "NSAIDS", "喘息発作", "SEVERE", "2020-03-01T01:00:00.000Z"],
      ["ヨード造影剤", null, null, "MODERATE", null],
    ]);
    // the dispense too: whenHandedOver, daysSupply, the performer and the department come back
    expect(d.medications.map((m) => [m.dispensed, m.code, m.yjCode, m.dose, m.doseUnit, m.usageCode, m.usageText, m.days, m.asNeeded, m.rp, m.prescriberName, m.department, m.occurredAt?.toISOString()])).toEqual([
      [false, "105271807", "2171022F2041", 1, "錠", "1013044400000000", "1日1回朝食後", 28, false, 1, "大河内 勘三郎", "内科", "2024-06-09T00:30:00.000Z"],
      [false, "1149019F1560", "1149019F1560", null, null, null, "疼痛時", null, true, 2, "大河内 勘三郎", "内科", "2024-06-09T00:30:00.000Z"],
      [true, "105271807", "2171022F2041", 1, "錠", "1013044400000000", "1日1回朝食後", 28, false, 1, "大河内 勘三郎", "内科", "2024-06-09T00:30:00.000Z"],
    ]);
    // a transaction Bundle's visits and letters are records too
    expect(d.encounters).toMatchObject([{ class: "INPATIENT", endedAt: null, department: "循環器内科", reason: "胸痛", occurredAt: at("2024-06-01T01:00:00Z") }]);
    expect(d.letters).toMatchObject([{ kind: "REFERRAL", title: "診療情報提供書", authorName: "大河内 勘三郎", recipient: "みなみ内科クリニック", body: "【紹介目的】\n腹痛精査お願いします。<b>", code: null, occurredAt: at("2024-06-10T02:00:00Z") }]);
    expect(d.labs.map((l) => [l.code, l.valueNumeric, l.valueText, l.unit, l.refLow, l.refHigh, l.flag, l.occurredAt?.toISOString()])).toEqual([
      ["3D046000001920402", 6.8, null, "%", 4.6, 6.2, "H", "2024-06-09T01:15:00.000Z"],
      ["1A010000000190111", null, "(+)", null, null, null, "A", "2024-06-09T01:15:00.000Z"],
    ]);
  });
});
