import fs from "node:fs";
import path from "node:path";
import type { Db } from "../../lib/db/client";
import { testActor } from "./actor";

/** The published JP-CLINS examples (read only), and one of them parsed. */
export const JP_CLINS_FIXTURES = path.resolve(__dirname, "../../../shared/fixtures/jp-clins");
export const jpClinsFixture = (name: string) => JSON.parse(fs.readFileSync(path.join(JP_CLINS_FIXTURES, name), "utf8"));
/** The viewing clinic's doctor, who is shown what was filed. */
export const ingestViewer = testActor("fB", "DOCTOR", { userId: "dr-b", name: "dr-b" });
/** The examples' sender (東京みなと病院, 1318814790) as an import source. */
export const FHIR_SOURCE = { facilityId: "fH", facilityCode: "1318814790", careCategory: "NORMAL" as const, by: "test" };

/**
 * The network the importer tests file into: the sending hospital, a viewing clinic fB with its doctor
 * dr-b, and the fixtures' patient, already linked and consenting to fB, so a filed record is one a
 * clinician can then be shown. `viewOnly` adds a facility that may not send (fV, with that code).
 */
export async function seedIngestNetwork(
  db: Db,
  o: { sender: { id: string; code: string; name: string }; viewOnly?: { code: string; name: string; kind: "HOSPITAL" | "CLINIC" }; format: "ssmix2" | "fhir" },
): Promise<void> {
  await db.facility.create({ data: { ...o.sender, kind: "HOSPITAL" } });
  if (o.viewOnly) await db.facility.create({ data: { id: "fV", ...o.viewOnly, discloses: false } });
  await db.facility.create({ data: { id: "fB", code: "2213000003", name: "施設B", kind: "CLINIC" } });
  await db.user.create({ data: { id: "dr-b", loginId: "dr-b", name: "dr-b", profession: "DOCTOR", facilityId: "fB", passwordHash: "x", credentialVerifiedAt: new Date("2024-01-01") } });
  if (o.format === "ssmix2") {
    // the SS-MIX2 samples' patient 9999013, linked at the sending hospital
    await db.patient.create({ data: { id: "tp1", familyName: "患者", givenName: "太郎", familyNameKana: "カンジャ", givenNameKana: "タロウ", sex: "MALE", birthDate: new Date("1948-04-05") } });
    await db.patientLink.create({ data: { patientId: "tp1", id: "lk1", facilityId: o.sender.id, localPatientId: "9999013" } });
  } else {
    // the JP-CLINS examples' patient, known at fB with the same 被保険者個人識別子 (枝番 05), birth date and sex
    await db.patient.create({
      data: { id: "tp-makino", familyName: "牧野", givenName: "爛漫", familyNameKana: "マキノ", givenNameKana: "ランマン", sex: "FEMALE", birthDate: new Date("1930-06-28"), insurerNumber: "00012345", insuredSymbol: "あいう", insuredNumber: "187", insuredBranch: "05" },
    });
    await db.patientLink.create({ data: { patientId: "tp-makino", id: "lk-b", facilityId: "fB", localPatientId: "B-1" } });
  }
  const patientId = o.format === "ssmix2" ? "tp1" : "tp-makino";
  await db.consent.create({ data: { patientId, id: "c1", facilityId: "fB", scope: "FULL", method: "WRITTEN", identityVerification: "MYNUMBER_CARD", capturedById: "dr-b" } });
}
