import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { freshDatabase } from "./helpers/db";
import { FHIR_SOURCE, ingestViewer, jpClinsFixture, seedIngestNetwork } from "./helpers/ingest-network";
import type { Db } from "../lib/db/client";
import { getMedicationHistory, getTimelinePage } from "../lib/record";
import { importFhirDocument } from "../lib/ingest/fhir-document";
import { readFhir } from "../lib/interop/fhir/read";

/**
 * JP-CLINS documents as other senders write them — valid, but not as the published examples are: the
 * patient id under MEDIS's root (as JP Core's own Patient example), a YJ code in JP Core's NamingSystem
 * OID form (as senders before JP-CLINS 1.5 and the 電子処方箋 specification write it), a lab value with a comparator, a range, a ratio, components or a
 * dataAbsentReason, an allergy coded without words or named only by its reaction's substance, a
 * dose given as a range, days of supply in 日分. Each is filed whole under its own patient.
 */
const fixture = jpClinsFixture;
let ctx: Awaited<ReturnType<typeof freshDatabase>>;
let db: Db;
const doctorB = ingestViewer;
const source = FHIR_SOURCE;

beforeAll(async () => {
  ctx = await freshDatabase();
  db = ctx.db;
  await seedIngestNetwork(db, { sender: { id: "fH", code: "1318814790", name: "東京みなと病院" }, format: "fhir" });
});
afterAll(async () => ctx?.close());

type Json = Record<string, unknown> & { entry: { fullUrl: string; resource: Record<string, unknown> }[] };
/**
 * A 5-information collection Bundle built from the published Observations example: its Patient (枝番
 * 05, the patient above; id system as given), then the given resources of one type, each about it.
 */
function collection(kind: string, id: string, resources: Record<string, unknown>[], patientIdSystem = "urn:oid:1.2.392.100495.20.3.51.11318814790"): Json {
  const b = fixture("Bundle-Bundle-CLINS-Observations-Example-01.json") as Json;
  const patient = b.entry[0]!;
  patient.resource.identifier = [
    { system: patientIdSystem, value: "000999739" },
    { system: "http://jpfhir.jp/fhir/clins/Idsystem/JP_Insurance_memberID", value: "00012345:あいう:１８７:05" },
  ];
  b.meta = { ...(b.meta as object), tag: [{ system: "http://jpfhir.jp/fhir/clins/CodeSystem/BundleResourceType_CS", code: kind }] };
  b.identifier = { system: "http://jpfhir.jp/fhir/clins/bundle-identifier", value: `1318814790^2024^${id}` };
  b.entry = [patient, ...resources.map((r, i) => ({ fullUrl: `urn:uuid:00000000-0000-4000-8000-${String(i).padStart(12, "0")}`, resource: { ...r, [r.resourceType === "AllergyIntolerance" ? "patient" : "subject"]: { reference: patient.fullUrl } } }))];
  return JSON.parse(JSON.stringify(b)) as Json;
}
const observation = (n: number, value: Record<string, unknown>) => {
  const o = fixture("Bundle-Bundle-CLINS-Observations-Example-01.json").entry[1].resource;
  delete o.valueQuantity;
  return { ...o, identifier: [{ system: "http://jpfhir.jp/fhir/core/IdSystem/resourceInstance-identifier", value: `1318814790-variant-${n}` }], ...value };
};

describe("a lab result collection from another sender", () => {
  it("files its patient named under MEDIS's patient-id root (urn:oid:1.2.392.200119.6.102.1<医療機関コード>)", async () => {
    const b = collection("Observation", "labs-medis-root", [observation(1, { valueQuantity: { value: 4.2, unit: "g/dL" } })], "urn:oid:1.2.392.200119.6.102.11318814790");
    const r = await importFhirDocument(db, source, "labs-medis-root", b);
    expect([r.status, r.reason]).toEqual(["created", undefined]);
    expect(await db.patientLink.findFirst({ where: { facilityId: "fH" } })).toMatchObject({ patientId: "tp-makino", localPatientId: "000999739" });
  });

  it("still refuses that root when it names another facility", async () => {
    const b = collection("Observation", "labs-other-root", [observation(9, { valueQuantity: { value: 4.2, unit: "g/dL" } })], "urn:oid:1.2.392.200119.6.102.11311234567");
    const r = await importFhirDocument(db, source, "labs-other-root", b);
    expect(r.status).toBe("rejected");
    expect(r.reason).toMatch(/^PATIENT_ID_OF_ANOTHER_FACILITY: .* names facility 1311234567's patient id/);
  });

  it("keeps each value as the sender stated it: <0.5 is never the number 0.5", async () => {
    const b = collection("Observation", "labs-values", [
      observation(2, { valueQuantity: { value: 0.5, comparator: "<", unit: "mg/dL" } }),
      observation(3, { valueRange: { low: { value: 1 }, high: { value: 3 } } }),
      observation(4, { valueRatio: { numerator: { value: 1 }, denominator: { value: 128 } } }),
      observation(5, { component: [{ code: { text: "収縮期" }, valueQuantity: { value: 128, unit: "mmHg" } }, { code: { text: "拡張期" }, valueQuantity: { value: 76, unit: "mmHg" } }] }),
      observation(6, { dataAbsentReason: { coding: [{ system: "http://terminology.hl7.org/CodeSystem/data-absent-reason", code: "not-performed", display: "Not Performed" }], text: "検体不良" } }),
      // effective[x] as an instant, no issued: its own time, not the send's
      { ...observation(7, { valueQuantity: { value: 4.4, unit: "g/dL" } }), effectiveDateTime: undefined, issued: undefined, effectiveInstant: "2021-07-05T09:30:00.000+09:00" },
    ]);
    expect((await importFhirDocument(db, source, "labs-values", b)).status).toBe("created");
    const rows = await db.labResult.findMany({ where: { patientId: "tp-makino", sourceRef: "labs-values" }, orderBy: { id: "asc" } });
    expect(rows.map((r) => [r.valueNumeric, r.valueText, r.unit])).toEqual([
      [null, "<0.5", "mg/dL"],
      [null, "1-3", null],
      [null, "1:128", null],
      [null, "収縮期 128 mmHg / 拡張期 76 mmHg", null],
      [null, "(検体不良)", null],
      [4.4, null, "g/dL"],
    ]);
    expect(rows.at(-1)!.occurredAt.toISOString()).toBe("2021-07-05T00:30:00.000Z");
    const page = await getTimelinePage(doctorB, "tp-makino", { limit: 50, kinds: ["lab"] });
    const shown = JSON.stringify(page.entries.map((e) => [e.summary, e.detail]));
    expect(shown).toContain("<0.5 mg/dL");
    expect(shown).toContain("収縮期 128 mmHg / 拡張期 76 mmHg");
  });
});

describe("allergies and prescriptions from another sender", () => {
  // the profile as the referral example declares it (invariant validEntryProfile-AllergyIntolerance)
  const allergy = { ...fixture("AllergyIntolerance-Example-JP-AllergyIntolerance-eCS-01.json"), meta: { profile: ["http://jpfhir.jp/fhir/eCS/StructureDefinition/JP_AllergyIntolerance_eCS"] } };
  it("files an allergy coded without words, and one named only by its reaction's substance, keeping the codes", async () => {
    const codedOnly = { ...allergy, identifier: [{ system: "http://jpfhir.jp/fhir/core/IdSystem/resourceInstance-identifier", value: "1318814790-alg-1" }], code: { coding: [{ system: "http://jpfhir.jp/fhir/core/CodeSystem/JP_JfagyFoodAllergen_CS", code: "J9FC11310000" }] } };
    const bySubstance = { ...allergy, identifier: [{ system: "http://jpfhir.jp/fhir/core/IdSystem/resourceInstance-identifier", value: "1318814790-alg-2" }], category: ["medication"], code: undefined, reaction: [{ substance: { coding: [{ system: "urn:oid:1.2.392.100495.20.1.73", code: "6131001C1053", display: "サワシリン" }] }, manifestation: [{ text: "蕁麻疹" }] }] };
    const r = await importFhirDocument(db, source, "allergies", collection("AllergyIntolerance", "allergies", [codedOnly, bySubstance]));
    expect([r.status, r.reason]).toEqual(["created", undefined]);
    const rows = await db.allergy.findMany({ where: { patientId: "tp-makino", facilityId: "fH" }, orderBy: { id: "asc" } });
    expect(rows.map((a) => [a.kind, a.codeSystem, a.code, a.display, a.reaction])).toEqual([
      ["FOOD", "http://jpfhir.jp/fhir/core/CodeSystem/JP_JfagyFoodAllergen_CS", "J9FC11310000", "J9FC11310000", null],
      ["DRUG", "http://capstandard.jp/iyaku.info/CodeSystem/YJ-code", "6131001C1053", "サワシリン", "蕁麻疹"],
    ]);
  });

  it("reads a YJ code in JP Core's NamingSystem OID (urn:oid:1.2.392.100495.20.1.73) as YJ, so the checks see it; a dose range and 日分", async () => {
    const m = fixture("MedicationRequest-Example-JP-MedReq-PO-TID-2days.json");
    // the 一般名 code in the URL form R3010 (JP-CLINS 1.5) names, the YJ code in JP Core's NamingSystem OID
    m.medicationCodeableConcept = {
      coding: [
        { system: "http://jpfhir.jp/fhir/core/mhlw/CodeSystem/MedicationGeneralOrderCode", code: "2316009F1ZZZ", display: "【般】ビフィズス菌錠" },
        { system: "urn:oid:1.2.392.100495.20.1.73", code: "2316009F1022", display: "ミヤＢＭ錠" },
      ],
      text: "ミヤＢＭ錠",
    };
    m.meta = { profile: ["http://jpfhir.jp/fhir/eCS/StructureDefinition/JP_MedicationRequest_eCS"] };
    m.authoredOn = new Date().toISOString(); // a current medicine, for the allergy check below
    const dosage = m.dosageInstruction[0];
    delete dosage.doseAndRate[0].doseQuantity;
    delete dosage.doseAndRate[0].rateRatio;
    dosage.doseAndRate[0].doseRange = { low: { value: 1, unit: "錠" }, high: { value: 2, unit: "錠" } };
    delete dosage.text;
    delete dosage.timing.repeat.boundsDuration;
    m.dispenseRequest = { expectedSupplyDuration: { value: 14, unit: "日分" } };
    const patient = collection("Observation", "meds", []).entry[0]!;
    const tx = {
      resourceType: "Bundle",
      type: "transaction",
      identifier: { system: "http://jpfhir.jp/fhir/clins/bundle-identifier", value: "1318814790^2024^meds" },
      entry: [
        { ...patient, request: { method: "POST", url: "Patient" } },
        { fullUrl: "urn:uuid:00000000-0000-4000-8000-00000000aaaa", resource: { ...m, subject: { reference: patient.fullUrl } }, request: { method: "POST", url: "MedicationRequest" } },
      ],
    };
    const r = await importFhirDocument(db, source, "meds", tx);
    expect([r.status, r.reason]).toEqual(["created", undefined]);
    const item = await db.prescriptionItem.findFirstOrThrow({ where: { patientId: "tp-makino", code: "2316009F1022" } });
    expect([item.yjCode, item.dose, item.usageText, item.days]).toEqual(["2316009F1022", null, "1日3回 毎食後 1-2錠", 14]);
    const v = await getMedicationHistory(doctorB, "tp-makino", { years: 0 });
    expect(v.rows.find((x) => x.code === "2316009F1022")).toMatchObject({ usageText: "1日3回 毎食後 1-2錠", days: 14 });
  });
});

describe("a drug allergy coded as JP-CLINS requires (R2012: YJ or 一般名)", () => {
  it("reaches the allergy check: a current medicine of that ingredient is flagged", async () => {
    const allergy = {
      ...fixture("AllergyIntolerance-Example-JP-AllergyIntolerance-eCS-01.json"),
      meta: { profile: ["http://jpfhir.jp/fhir/eCS/StructureDefinition/JP_AllergyIntolerance_eCS"] },
      identifier: [{ system: "http://jpfhir.jp/fhir/core/IdSystem/resourceInstance-identifier", value: "1318814790-alg-yj" }],
      category: ["medication"],
      criticality: "high",
      code: { coding: [{ system: "http://capstandard.jp/iyaku.info/CodeSystem/YJ-code", code: "2316009F1030", display: "ビオフェルミン錠剤" }], text: "ビオフェルミン" },
    };
    const r = await importFhirDocument(db, source, "allergy-yj", collection("AllergyIntolerance", "allergy-yj", [allergy]));
    // the facility's allergy list is a snapshot: this one replaces the list filed above
    expect([r.status, r.reason]).toEqual(["replaced", undefined]);
    // the same ingredient (2316009) as the ミヤＢＭ錠 prescribed above
    const v = await getMedicationHistory(doctorB, "tp-makino", { years: 0 });
    expect(v.conflicts.map((c) => [c.drug.display, c.allergy])).toEqual([["ミヤＢＭ錠", "ビオフェルミン"]]);
  });
});

describe("a lone resource with its Patient contained (JP-CLINS before 0.9.14)", () => {
  /** The published Condition example, its patient contained as "#p" and named by the pre-0.9.11 insured-id URI. */
  function loneCondition(identifierValue: string) {
    const c = fixture("Condition-Example-JP-Condition-eCS-01.json");
    const patient = fixture("Bundle-Bundle-CLINS-Observations-Example-01.json").entry[0].resource;
    patient.id = "p";
    delete patient.meta; // dom-4: a contained resource has no meta.lastUpdated
    patient.identifier = [
      { system: "urn:oid:1.2.392.100495.20.3.51.11318814790", value: "000999739" },
      { system: "http://jpfhir.jp/fhir/eCS/Idsysmem/JP_Insurance_memberID", value: "00012345:あいう:１８７:05" },
    ];
    c.contained = [...c.contained, patient];
    c.subject = { reference: "#p", identifier: { system: "http://jpfhir.jp/fhir/eCS/Idsysmem/JP_Insurance_memberID", value: identifierValue } };
    return c;
  }

  it("reads the contained Patient whole, and the old insured-id URI as the 被保険者個人識別子", () => {
    const r = readFhir(loneCondition("00012345:あいう:１８７:05"));
    expect(r.ok && r.doc.patient).toMatchObject({ localIds: [{ value: "000999739", facilityCode: "1318814790" }], insured: { insurerNumber: "00012345", number: "187", branch: "05" }, birthDate: "1930-06-28", sex: "FEMALE" });
  });

  it("files it under the patient the facility's id is linked to", async () => {
    const r = await importFhirDocument(db, source, "lone-condition", loneCondition("00012345:あいう:１８７:05"));
    expect([r.status, r.reason]).toEqual(["created", undefined]);
    expect(await db.condition.findFirst({ where: { patientId: "tp-makino", code: "20064049" } })).toMatchObject({ display: "十二指腸潰瘍・H1期" });
  });

  it("refuses it when subject.identifier names someone else than the contained Patient", () => {
    const r = readFhir(loneCondition("00012345:あいう:１８７:01"));
    expect(r.ok).toBe(false);
    expect(!r.ok && r.issues.map((i) => i.expression)).toContain("Condition.subject.identifier");
  });
});

describe("Observation value[x] (property)", () => {
  it("never throws, and a quantity with a comparator is never filed as its number", () => {
    const base = fixture("Observation-Example-JP-Obs-LabResult-eCS-K.json");
    fc.assert(
      fc.property(fc.constantFrom("<", "<=", ">=", ">", "ad"), fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.string(), fc.constant(null)), fc.anything(), (comparator, value, junk) => {
        const o = { ...base, valueQuantity: { value, comparator, unit: "mg/dL" }, component: junk, valueRange: junk };
        const r = readFhir(o);
        if (r.ok) for (const lab of r.doc.labs) expect(lab.valueNumeric).toBeNull();
      }),
      { numRuns: 300 },
    );
  });
});
