import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { freshDatabase } from "./helpers/db";
import { testActor } from "./helpers/actor";
import type { Db } from "../lib/db/client";
import { exportBundleStream } from "../lib/record";
import { importFhirDocument } from "../lib/ingest/fhir-document";
import { importFhirPath } from "../lib/ingest/fhir-files";
import { importSsmix2Tree } from "../lib/ingest/ssmix2-tree";

/**
 * Round trip: the published JP-CLINS referral letter and lab Bundle and the SS-MIX2 sample storage,
 * imported; the record exported as a doctor downloads it; that export imported into a second, empty
 * database. What comes back is compared field by field with what went out. What FHIR (or Tsunagu's
 * importer) cannot carry is asserted as such here, and listed in the README.
 */
const JP_CLINS = path.resolve(__dirname, "../../shared/fixtures/jp-clins");
const SSMIX2 = path.resolve(__dirname, "../../shared/fixtures/ssmix2/sampleData");
const doctor = testActor("fA", "DOCTOR");
let ctx: Awaited<ReturnType<typeof freshDatabase>> | null = null;
afterAll(async () => ctx?.close());

/**
 * A record the sender gave no date (NONE) holds its document's time, which is no onset: FHIR carries no
 * date for it, and the second import files it, again marked NONE, at the time of the export.
 */
const undatedTime = <T extends { occurredAt: Date; occurredPrecision: string | null }>(x: T) => (x.occurredPrecision === "NONE" ? { ...x, occurredAt: "document time" } : x);

/** The rows the round trip must keep, without ids, facilities and storage times (which belong to each database). */
async function snapshot(db: Db, patientId: string) {
  const where = { patientId };
  const [conditions, allergies, labs, prescriptions] = await Promise.all([
    db.condition.findMany({ where, omit: { id: true, patientId: true, facilityId: true, sourceRef: true, recordedAt: true } }),
    db.allergy.findMany({ where, omit: { id: true, patientId: true, facilityId: true, sourceRef: true, recordedAt: true } }).then((xs) => xs.map(undatedTime)),
    db.labResult.findMany({ where, omit: { id: true, patientId: true, facilityId: true, sourceRef: true, recordedAt: true } }),
    db.prescription.findMany({ where, select: { kind: true, occurredAt: true, prescriberName: true, department: true, uninformed: true, sensitivity: true, items: { omit: { id: true, patientId: true, prescriptionId: true } } } }),
  ]);
  const sorted = <T>(xs: T[]) => xs.map((x) => JSON.stringify(x)).sort();
  return {
    conditions: sorted(conditions.map(undatedTime)),
    allergies: sorted(allergies),
    labs: sorted(labs),
    prescriptions: sorted(prescriptions.filter((p) => p.kind === "PRESCRIPTION")),
    dispenses: sorted(prescriptions.filter((p) => p.kind === "DISPENSE")),
    encounters: sorted(await db.encounter.findMany({ where, omit: { id: true, patientId: true, facilityId: true, sourceRef: true, recordedAt: true } })),
    documents: sorted(await db.document.findMany({ where, omit: { id: true, patientId: true, facilityId: true, sourceRef: true, recordedAt: true } })),
  };
}

async function facilitiesAndPatient(db: Db) {
  await db.facility.create({ data: { id: "fH", code: "1318814790", name: "東京みなと病院", kind: "HOSPITAL" } });
  await db.patient.create({
    data: { id: "tp", familyName: "牧野", givenName: "爛漫", familyNameKana: "マキノ", givenNameKana: "ランマン", sex: "FEMALE", birthDate: new Date("1930-06-28"), insurerNumber: "00012345", insuredSymbol: "あいう", insuredNumber: "187", insuredBranch: "05" },
  });
}

describe("FHIR round trip", () => {
  it("brings back conditions, allergies, lab values with units and ranges, and prescriptions with 用法, doses and days, unchanged", async () => {
    // --- the first network: JP-CLINS and SS-MIX2 records of one patient, exported by a consented doctor
    ctx = await freshDatabase();
    let db = ctx.db;
    await facilitiesAndPatient(db);
    await db.facility.create({ data: { id: "fS", code: "2213000001", name: "登呂病院", kind: "HOSPITAL" } });
    await db.facility.create({ data: { id: "fA", code: "2213000003", name: "閲覧病院", kind: "CLINIC" } });
    await db.user.create({ data: { id: doctor.userId, loginId: doctor.userId, name: doctor.name, profession: "DOCTOR", facilityId: "fA", passwordHash: "x", credentialVerifiedAt: new Date("2024-01-01") } });
    await db.consent.create({ data: { patientId: "tp", id: "c1", facilityId: "fA", scope: "FULL", method: "WRITTEN", identityVerification: "MYNUMBER_CARD", capturedById: doctor.userId } });
    // the SS-MIX2 hospital knows her as 9999013
    await db.patientLink.create({ data: { patientId: "tp", id: "lk-s", facilityId: "fS", localPatientId: "9999013" } });
    expect((await importFhirPath(db, "1318814790", path.join(JP_CLINS, "Bundle-Bundle-CLINS-Referral-Example-01.json"), { by: "test" })).counts.created).toBe(1);
    // the published lab example names 枝番 01 where the letter names 05 (tests/ingest-fhir.test.ts): corrected to the letter's
    const labs = JSON.parse(fs.readFileSync(path.join(JP_CLINS, "Bundle-Bundle-CLINS-Observations-Example-01.json"), "utf8").replace("00012345:あいう:１８７:01", "00012345:あいう:１８７:05"));
    const source = { facilityId: "fH", facilityCode: "1318814790", careCategory: "NORMAL" as const, by: "test" };
    expect((await importFhirDocument(db, source, "labs", labs)).status).toBe("created");
    expect((await importSsmix2Tree(db, "2213000001", SSMIX2, { by: "test" })).counts.created).toBeGreaterThan(0);
    const before = await snapshot(db, "tp");
    expect([before.conditions.length, before.allergies.length, before.labs.length, before.prescriptions.length, before.dispenses.length, before.encounters.length, before.documents.length]).toEqual([5, 4, 7, 2, 2, 1, 1]);
    const exported = JSON.parse(await new Response(await exportBundleStream(doctor, "tp")).text());
    await ctx.close();

    // --- a second, empty network that knows the patient (registered, no records) and the hospital
    ctx = await freshDatabase();
    db = ctx.db;
    await facilitiesAndPatient(db);
    expect(await db.condition.count()).toBe(0);
    const r = await importFhirDocument(db, source, "export", exported);
    expect(r.status, r.reason).toBe("created");
    const after = await snapshot(db, "tp");

    expect(after.conditions).toEqual(before.conditions);
    expect(after.allergies).toEqual(before.allergies);
    expect(after.labs).toEqual(before.labs);
    expect(after.prescriptions).toEqual(before.prescriptions);
    // dispenses: the pharmacy's hand-over time, the pharmacist, each drug's Rp, 用法, dose and days
    expect(after.dispenses).toEqual(before.dispenses);
    // visits, and the letter with its kind, title, author and text
    expect(after.encounters).toEqual(before.encounters);
    expect(after.documents).toEqual(before.documents);
    // what the importer has no record kind for comes back as "not imported", said, not lost silently: the
    // insurance the ADT-00 registered (IN1, a Coverage); its telephones and contacts (the Patient's telecom
    // and contact) are not read from FHIR either
    expect(exported.entry.some((e: { resource: { resourceType: string; telecom?: unknown } }) => e.resource.resourceType === "Patient" && e.resource.telecom)).toBe(true);
    expect(r.warnings.filter((w) => w.startsWith("NOT_IMPORTED")).map((w) => w.replace(/^NOT_IMPORTED: Bundle\.entry\[\d+\]\.resource: /, "").split(":")[0]).sort()).toEqual(["Coverage"]);
    expect(await db.patientContact.count()).toBe(0);
  });
});
