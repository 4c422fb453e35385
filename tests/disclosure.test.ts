import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDatabase } from "./helpers/db";
import { testActor } from "./helpers/actor";
import type { Db } from "../lib/db/client";
import { actorFactsFor } from "./helpers/facts";
import { disclosedFacilities, mayKnowWithheldCategories, withholdingNotice } from "../lib/access/disclosure";
import { getConsentOverview, getLabTrend, getPatientView } from "../lib/record";

const facts = actorFactsFor;

describe("who may know which categories are withheld (pure)", () => {
  it("a clerk who manages consent sees the categories; twin: a doctor, who may manage consent too, is told only that some are withheld", () => {
    expect(mayKnowWithheldCategories(facts("CLERK"))).toBe(true);
    expect(withholdingNotice(facts("CLERK"), ["PSYCHIATRIC"])).toEqual({ categories: ["PSYCHIATRIC"] });
    for (const p of ["DOCTOR", "DENTIST", "NURSE", "PHARMACIST", "EMERGENCY"] as const) {
      expect(mayKnowWithheldCategories(facts(p))).toBe(false);
      expect(withholdingNotice(facts(p), ["PSYCHIATRIC"])).toEqual({ some: true });
    }
    expect(withholdingNotice(facts("DOCTOR"), [])).toEqual({ some: false });
  });
  it("a clerk who may not manage consent (inactive, suspended facility, unverified, non-viewing) is not told either; nor an administrator", () => {
    for (const over of [{ active: false }, { facilityActive: false }, { credentialVerified: false }, { facilityViews: false }]) expect(mayKnowWithheldCategories(facts("CLERK", over))).toBe(false);
    expect(mayKnowWithheldCategories(facts("ADMIN"))).toBe(false);
  });
  it("a facility is named only with a record the viewer may see; twin: one visible record names it", () => {
    const linked = [{ id: "fG" }, { id: "fP" }, { id: "fE" }];
    expect(disclosedFacilities(linked, new Map([["fG", 3], ["fP", 0]]))).toEqual([{ id: "fG" }]);
    expect(disclosedFacilities(linked, new Map([["fG", 3], ["fP", 1]]))).toEqual([{ id: "fG" }, { id: "fP" }]);
  });
});

/**
 * Against the database: patient d1 has a general hospital fG (an ordinary record), a psychiatric
 * clinic fP (only psychiatric records), and fE (linked, no records). fA's consent withholds
 * PSYCHIATRIC; fB's withholds nothing.
 */
let ctx: Awaited<ReturnType<typeof freshDatabase>>;
let db: Db;
const doctorA = testActor("fA", "DOCTOR");
const clerkA = testActor("fA", "CLERK");
const doctorB = testActor("fB", "DOCTOR");
const day = (n: number) => new Date(Date.now() - n * 86_400_000);

beforeAll(async () => {
  ctx = await freshDatabase();
  db = ctx.db;
  const facilities = [["fA", "施設A"], ["fB", "施設B"], ["fG", "総合病院G"], ["fP", "こころのクリニックP"], ["fE", "眼科E"]] as const;
  for (const [i, [id, name]] of facilities.entries()) await db.facility.create({ data: { id, code: `221000010${i}`, name, kind: "CLINIC" } });
  for (const a of [doctorA, clerkA, doctorB]) await db.user.create({ data: { id: a.userId, loginId: a.userId, name: a.name, profession: a.profession, facilityId: a.facilityId, passwordHash: "x", credentialVerifiedAt: day(900) } });
  await db.patient.create({ data: { id: "d1", familyName: "秘匿", givenName: "花", familyNameKana: "ヒトク", givenNameKana: "ハナ", sex: "FEMALE", birthDate: new Date("1980-01-01"), insuredNumber: "11" } });
  for (const f of ["fA", "fB", "fG", "fP", "fE"]) await db.patientLink.create({ data: { patientId: "d1", id: `lnk-${f}`, facilityId: f, localPatientId: `L-${f}` } });
  await db.consent.create({ data: { patientId: "d1", id: "c-a", facilityId: "fA", scope: "FULL", method: "WRITTEN", identityVerification: "MYNUMBER_CARD", withheldCategories: ["PSYCHIATRIC"], capturedById: clerkA.userId, capturedAt: day(10) } });
  await db.consent.create({ data: { patientId: "d1", id: "c-b", facilityId: "fB", scope: "FULL", method: "WRITTEN", identityVerification: "MYNUMBER_CARD", withheldCategories: [], capturedById: doctorB.userId, capturedAt: day(10) } });
  await db.condition.create({ data: { patientId: "d1", id: "cond-g", facilityId: "fG", occurredAt: day(30), codeSystem: "MEDIS", code: "x", display: "高血圧症" } });
  await db.encounter.create({ data: { patientId: "d1", id: "enc-p", facilityId: "fP", occurredAt: day(20), class: "OUTPATIENT", department: "精神科", sensitivity: "PSYCHIATRIC" } });
  await db.labResult.create({ data: { patientId: "d1", id: "lab-p", facilityId: "fP", occurredAt: day(20), codeSystem: "JLAC10", code: "L", display: "血中濃度", valueNumeric: 1, sensitivity: "PSYCHIATRIC" } });
});
afterAll(async () => ctx?.close());

describe("the patient header names only facilities whose records the viewer may see", () => {
  it("withholding psychiatric records hides the psychiatric clinic's name (and the record-less facility); the viewer's own facility stays", async () => {
    const names = (await getPatientView(doctorA, "d1")).patient.facilities.map((f) => f.id);
    expect(names).toEqual(["fA", "fG"]);
    const other = (await getLabTrend(doctorA, "d1")).patient.facilities.map((f) => f.id);
    expect(other).toEqual(["fA", "fG"]);
  });
  it("twin: without the withholding the psychiatric clinic is named", async () => {
    const names = (await getPatientView(doctorB, "d1")).patient.facilities.map((f) => f.id);
    expect(names).toEqual(["fB", "fG", "fP"]);
  });
  it("a timeline filter does not change the header", async () => {
    expect((await getPatientView(doctorB, "d1", { kinds: "condition" })).patient.facilities.map((f) => f.id)).toEqual(["fB", "fG", "fP"]);
  });
});

describe("the consent tab says that something is withheld, and only consent staff see what", () => {
  it("a doctor (who may manage consent) is told only that the consent withholds something", async () => {
    const o = await getConsentOverview(doctorA, "d1");
    expect(o.categoriesShown).toBe(false);
    expect(o.inForce).toMatchObject({ withheld: [], withholdsSome: true });
    expect(JSON.stringify(o)).not.toContain("PSYCHIATRIC");
  });
  it("twin: the clerk sees the category", async () => {
    const o = await getConsentOverview(clerkA, "d1");
    expect(o.categoriesShown).toBe(true);
    expect(o.inForce).toMatchObject({ withheld: ["PSYCHIATRIC"], withholdsSome: true });
  });
});
