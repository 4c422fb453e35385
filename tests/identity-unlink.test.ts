import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDatabase } from "./helpers/db";
import { recordSnapshot } from "./helpers/record-snapshot";
import type { Db } from "../lib/db/client";
import { importFhirPath } from "../lib/ingest/fhir-files";
import { importFhirDocument } from "../lib/ingest/fhir-document";
import { importSsmix2Tree } from "../lib/ingest/ssmix2-tree";
import { confirmCandidate, IdentityReviewError, unlinkPatient } from "../lib/ingest/identity-review";

/**
 * Undoing a link is exact, over every record kind an import files (diagnoses, allergies, letters and
 * lab results from FHIR; prescriptions from SS-MIX2): the patient's own records are as they were before
 * the link, and what the facility sent is held again, never lost.
 */
const JP = path.resolve(__dirname, "../../shared/fixtures/jp-clins");
const SS = path.resolve(__dirname, "../../shared/fixtures/ssmix2/sampleData");
let ctx: Awaited<ReturnType<typeof freshDatabase>>;
let db: Db;
const source = { facilityId: "fH", facilityCode: "1318814790", careCategory: "NORMAL" as const, by: "test" };

const snapshot = (patientId: string) => recordSnapshot(db, patientId);

beforeAll(async () => {
  ctx = await freshDatabase();
  db = ctx.db;
  await db.facility.create({ data: { id: "fH", code: "1318814790", name: "東京みなと病院", kind: "HOSPITAL" } });
  await db.facility.create({ data: { id: "fS", code: "2213000001", name: "登呂病院", kind: "HOSPITAL" } });
  await db.facility.create({ data: { id: "fB", code: "2213000003", name: "施設B", kind: "CLINIC" } });
  await db.patient.create({
    data: { id: "tp", familyName: "牧野", givenName: "爛漫", familyNameKana: "マキノ", givenNameKana: "ランマン", sex: "FEMALE", birthDate: new Date("1930-06-28"), insurerNumber: "00012345", insuredSymbol: "あいう", insuredNumber: "187", insuredBranch: "05" },
  });
  // her own records from another facility, which no unlink may touch
  await db.condition.create({ data: { patientId: "tp", id: "own-dx", facilityId: "fB", occurredAt: new Date("2020-01-01"), codeSystem: "x", code: "8830052", display: "本態性高血圧症" } });
  await db.allergy.create({ data: { patientId: "tp", id: "own-alg", facilityId: "fB", occurredAt: new Date("2020-01-01"), kind: "DRUG", display: "ペニシリン" } });
  await db.labResult.create({ data: { patientId: "tp", id: "own-lab", facilityId: "fB", occurredAt: new Date("2020-01-01"), codeSystem: "x", code: "3D046", display: "HbA1c", valueNumeric: 6.1 } });
  await db.document.create({ data: { patientId: "tp", id: "own-doc", facilityId: "fB", occurredAt: new Date("2020-01-01"), kind: "REFERRAL", title: "紹介状", body: "…" } });
  await db.encounter.create({ data: { patientId: "tp", id: "own-enc", facilityId: "fB", occurredAt: new Date("2020-01-01"), class: "OUTPATIENT" } });
});
afterAll(async () => ctx?.close());

describe("undoing a link", () => {
  it("removes exactly what the link filed, kind by kind, holds it again, and a confirmation files it back", async () => {
    const before = await snapshot("tp");
    // FHIR: the referral (diagnoses, allergies, letter) links automatically; the lab results follow under that link
    expect((await importFhirPath(db, "1318814790", path.join(JP, "Bundle-Bundle-CLINS-Referral-Example-01.json"), { by: "test" })).counts.created).toBe(1);
    const labs = JSON.parse(fs.readFileSync(path.join(JP, "Bundle-Bundle-CLINS-Observations-Example-01.json"), "utf8"));
    labs.entry[0].resource.identifier[1].value = "00012345:あいう:１８７:05"; // the same member as the letter's
    expect((await importFhirDocument(db, source, "labs", labs)).status).toBe("created");
    // SS-MIX2: the hospital's prescriptions, through a link an administrator made
    await db.patientLink.create({ data: { patientId: "tp", id: "lk-s", facilityId: "fS", localPatientId: "9999013", provenance: "CONFIRMED", confirmedBy: "admin" } });
    await importSsmix2Tree(db, "2213000001", SS, { by: "test" });
    const counts = async () => ({
      conditions: await db.condition.count({ where: { patientId: "tp" } }),
      allergies: await db.allergy.count({ where: { patientId: "tp" } }),
      labs: await db.labResult.count({ where: { patientId: "tp" } }),
      documents: await db.document.count({ where: { patientId: "tp" } }),
      prescriptions: await db.prescription.count({ where: { patientId: "tp" } }),
      encounters: await db.encounter.count({ where: { patientId: "tp" } }),
      contacts: await db.patientContact.count({ where: { patientId: "tp" } }),
    });
    const linked = await counts();
    // SS-MIX2: OMP-01/02 and their 実施 OMP-11/12 (dispenses), the ADT-22 stay its ADT-52 completed, and
    // ADT-00's allergy (AL1), height, weight and blood type (OBX), and three telephones (PID-13/14), a
    // contact (NK1) and the insurance (IN1)
    expect(linked).toEqual({ conditions: 6, allergies: 5, labs: 8, documents: 2, prescriptions: 4, encounters: 2, contacts: 5 });

    const h = await unlinkPatient(db, { facilityCode: "1318814790", localPatientId: "000999739", by: "admin", reason: "wrong person" });
    expect(h).toMatchObject({ patientId: "tp", documents: 2, records: 13 });
    expect(await counts()).toEqual({ conditions: 1, allergies: 2, labs: 4, documents: 1, prescriptions: 4, encounters: 2, contacts: 5 });
    expect(await db.heldDocument.count({ where: { candidateId: h.candidate } })).toBe(2);
    expect(await db.patientLink.count({ where: { facilityId: "fH" } })).toBe(0);
    expect(await db.auditEvent.count({ where: { action: "IDENTITY_UNLINKED", patientId: "tp" } })).toBe(1);

    const s = await unlinkPatient(db, { facilityCode: "2213000001", localPatientId: "9999013", by: "admin", reason: "wrong person" });
    // two prescriptions, two dispenses, the stay, the discharge that completed it, ADT-00's allergy, three measurements and five contacts
    expect(s.records).toBe(15);
    // her own records exactly as before either link, row for row
    expect(await snapshot("tp")).toBe(before);

    // a resend while unlinked is held, not filed under her again
    expect((await importFhirDocument(db, source, "labs-again", labs)).status).toBe("held");
    expect((await db.labResult.count({ where: { patientId: "tp" } }))).toBe(1);
    // an administrator decides it was her after all: every held document is filed back
    const back = await confirmCandidate(db, h.candidate, { by: "admin", patientId: "tp" });
    expect(back.filed).toBe(3); // the two the unlink held, and the resend (which changes nothing)
    expect(await db.condition.count({ where: { patientId: "tp" } })).toBe(linked.conditions);
    // the SS-MIX2 link stays undone: ADT-00's three measurements are not hers again
    expect(await db.labResult.count({ where: { patientId: "tp" } })).toBe(linked.labs - 3);
    expect(await db.document.count({ where: { patientId: "tp" } })).toBe(linked.documents);
  });

  it("refuses to unlink what is not linked", async () => {
    await expect(unlinkPatient(db, { facilityCode: "2213000001", localPatientId: "9999013", by: "admin", reason: "x" })).rejects.toThrow(IdentityReviewError);
    await expect(unlinkPatient(db, { facilityCode: "0000000000", localPatientId: "1", by: "admin", reason: "x" })).rejects.toThrow(IdentityReviewError);
  });
});
