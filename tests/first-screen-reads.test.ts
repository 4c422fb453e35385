import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDatabase } from "./helpers/db";
import { testActor } from "./helpers/actor";
import type { Db } from "../lib/db/client";
import { setClockForTests } from "../lib/clock";
import { AccessDeniedError, getPatientView } from "../lib/record";
import { EGFR_CODE } from "../lib/record/interactions";

/**
 * The 統合ビュー's first screen reads several things together (issue 17): the access facts in one
 * statement, the header's facilities from the record map, the tests done elsewhere with the renal
 * labs. Each keeps the rule it had: the consent in force to the millisecond, withheld categories and
 * withheld facilities, and which facility a test was done at.
 */
let ctx: Awaited<ReturnType<typeof freshDatabase>>;
let db: Db;
const TODAY = new Date("2026-06-15T03:00:00.500Z");
const daysAgo = (n: number) => new Date(TODAY.getTime() - n * 86_400_000);
const doctor = testActor("fA", "DOCTOR");
const LOXONIN = "1149019F1560";

beforeAll(async () => {
  ctx = await freshDatabase();
  db = ctx.db;
  setClockForTests(TODAY);
  for (const [id, code, name] of [["fA", "2210000001", "県立病院"], ["fB", "2210000002", "内科医院"], ["fP", "2210000003", "こころのクリニック"], ["fS", "2210000004", "休止医院"], ["fC", "2210000005", "整形外科"]] as const) {
    await db.facility.create({ data: { id, code, name, kind: "CLINIC", recordsWithheld: id === "fS" } });
  }
  await db.user.create({ data: { id: doctor.userId, loginId: doctor.userId, name: doctor.name, profession: "DOCTOR", facilityId: "fA", passwordHash: "x", credentialVerifiedAt: daysAgo(900) } });
  for (const id of ["p1", "p2", "p3"]) {
    await db.patient.create({ data: { id, familyName: "川口", givenName: "葵", familyNameKana: "カワグチ", givenNameKana: "アオイ", sex: "FEMALE", birthDate: new Date("1960-05-05") } });
  }
  const consent = (patientId: string, id: string, capturedAt: Date, extra: object = {}) =>
    db.consent.create({ data: { patientId, id, facilityId: "fA", scope: "FULL", method: "WRITTEN", identityVerification: "MYNUMBER_CARD", capturedById: doctor.userId, capturedAt, ...extra } });
  // p1: FULL to fA, psychiatric records withheld; linked to every facility
  await consent("p1", "c1", daysAgo(30), { withheldCategories: ["PSYCHIATRIC"] });
  for (const f of ["fA", "fB", "fC", "fP", "fS"]) await db.patientLink.create({ data: { patientId: "p1", id: `l-${f}`, facilityId: f, localPatientId: `${f}-001` } });
  await db.encounter.create({ data: { patientId: "p1", id: "e-b", facilityId: "fB", occurredAt: daysAgo(20), class: "OUTPATIENT" } });
  await db.labResult.create({ data: { patientId: "p1", id: "l-b", facilityId: "fB", occurredAt: daysAgo(10), codeSystem: "JLAC10", code: "3D046000001906202", display: "HbA1c", valueNumeric: 6.8 } });
  // fC holds only an encounter: a kind filter of the timeline must not drop it from the header
  await db.encounter.create({ data: { patientId: "p1", id: "e-c", facilityId: "fC", occurredAt: daysAgo(25), class: "OUTPATIENT" } });
  await db.encounter.create({ data: { patientId: "p1", id: "e-p", facilityId: "fP", occurredAt: daysAgo(15), class: "OUTPATIENT", sensitivity: "PSYCHIATRIC" } });
  await db.encounter.create({ data: { patientId: "p1", id: "e-s", facilityId: "fS", occurredAt: daysAgo(12), class: "OUTPATIENT" } });
  // a current NSAID, so the renal check asks for eGFR: the only eGFR seen is the viewer's own, 100 days ago;
  // a newer one is psychiatric (withheld) and one newer still comes from the withheld facility
  await db.prescription.create({ data: { patientId: "p1", id: "rx-1", facilityId: "fB", kind: "PRESCRIPTION", occurredAt: daysAgo(2), items: { create: [{ id: "rx-1-1", codeSystem: "YJ", code: LOXONIN, yjCode: LOXONIN, display: "ロキソニン錠60mg", days: 14, usageText: "1日3回毎食後" }] } } });
  const egfr = (id: string, facilityId: string, days: number, value: number, extra: object = {}) =>
    db.labResult.create({ data: { patientId: "p1", id, facilityId, occurredAt: daysAgo(days), codeSystem: "JLAC10", code: EGFR_CODE, display: "eGFR", valueNumeric: value, unit: "mL/min/1.73m2", ...extra } });
  await egfr("g-own", "fA", 100, 52);
  await egfr("g-psy", "fB", 20, 25, { sensitivity: "PSYCHIATRIC" });
  await egfr("g-susp", "fS", 5, 20);
  // p2: a consent expiring one millisecond after now; p3: one that expired at now
  await consent("p2", "c2", daysAgo(30), { expiresAt: new Date(TODAY.getTime() + 1) });
  await consent("p3", "c3", daysAgo(30), { expiresAt: TODAY });
});
afterAll(async () => {
  setClockForTests(null);
  await ctx?.close();
});

describe("the first screen's combined reads", () => {
  it("a consent in force until a millisecond from now opens the record; one that ended at this instant does not", async () => {
    expect((await getPatientView(doctor, "p2")).scope).toBe("FULL");
    await expect(getPatientView(doctor, "p3")).rejects.toBeInstanceOf(AccessDeniedError);
  });

  it("a newer withdrawal, captured a millisecond later, ends the access; the older consent does not take over", async () => {
    await db.consent.create({ data: { patientId: "p2", id: "c2-w", facilityId: "fA", scope: "FULL", status: "WITHDRAWN", method: "WRITTEN", identityVerification: "MYNUMBER_CARD", capturedById: doctor.userId, capturedAt: new Date(daysAgo(30).getTime() + 1) } });
    await expect(getPatientView(doctor, "p2")).rejects.toBeInstanceOf(AccessDeniedError);
  });

  it("the header names the facilities with visible records, the viewer's own, and neither a withheld category's nor a withheld facility's — with or without a kind filter", async () => {
    const all = await getPatientView(doctor, "p1");
    const filtered = await getPatientView(doctor, "p1", { kinds: ["lab"] });
    for (const v of [all, filtered]) expect(v.patient.facilities.map((f) => f.id)).toEqual(["fA", "fB", "fC"]);
    // the header's row is read with the access facts: who, and the links with their facilities' names
    expect(all.patient).toMatchObject({ id: "p1", familyName: "川口", sex: "FEMALE", birthDate: "1960-05-05", insurerNumber: null });
    expect(all.patient.facilities[1]).toEqual({ id: "fB", name: "内科医院", localPatientId: "fB-001" });
    expect(filtered.timeline.entries.every((e) => e.kind === "lab")).toBe(true);
    expect(all.summary.map.cells.map((c) => c.facilityId)).not.toContain("fP");
    expect(all.summary.map.cells.map((c) => c.facilityId)).not.toContain("fS");
  });

  it("the renal check uses the latest eGFR the viewer may see, wherever it was done; 'done elsewhere' lists only other facilities' recent tests", async () => {
    const { summary } = await getPatientView(doctor, "p1");
    const loxonin = summary.checks.interactions.find((w) => w.rule === "NSAID_EGFR_LT60");
    expect(loxonin?.lab).toMatchObject({ value: 52, facilityId: "fA" });
    expect(summary.checks.notChecked).toEqual([]);
    expect(summary.recentElsewhere.map((t) => [t.code, t.facilityId])).toEqual([["3D046000001906202", "fB"]]);
  });

  it("under an emergency-only consent the renal check says the results are not shown here, not that there are none", async () => {
    await db.consent.create({ data: { patientId: "p1", id: "c1-e", facilityId: "fA", scope: "EMERGENCY", method: "WRITTEN", identityVerification: "MYNUMBER_CARD", capturedById: doctor.userId, capturedAt: daysAgo(3) } });
    const { scope, summary } = await getPatientView(doctor, "p1");
    expect(scope).toBe("EMERGENCY");
    expect(summary.checks.notChecked).toEqual(["EGFR_NOT_SHOWN"]);
  });

  it("twin: with nothing withheld, the newer eGFR and the psychiatric clinic are shown", async () => {
    await db.facility.update({ where: { id: "fS" }, data: { recordsWithheld: false } });
    await db.consent.create({ data: { patientId: "p1", id: "c1-b", facilityId: "fA", scope: "FULL", method: "WRITTEN", identityVerification: "MYNUMBER_CARD", capturedById: doctor.userId, capturedAt: daysAgo(1) } });
    const v = await getPatientView(doctor, "p1");
    expect(v.patient.facilities.map((f) => f.id)).toEqual(["fA", "fB", "fC", "fP", "fS"]);
    expect(v.summary.checks.interactions.find((w) => w.rule === "NSAID_EGFR_LT30")?.lab).toMatchObject({ value: 20, facilityId: "fS" });
    // the latest of each code, newest first: the suspended facility's eGFR (5 days) before fB's HbA1c (10 days)
    expect(v.summary.recentElsewhere.map((t) => [t.code, t.facilityId])).toEqual([[EGFR_CODE, "fS"], ["3D046000001906202", "fB"]]);
  });
});
