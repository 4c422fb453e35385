import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDatabase } from "./helpers/db";
import { testActor } from "./helpers/actor";
import { setClockForTests } from "../lib/clock";
import { getMedicationHistory, getPatientView } from "../lib/record";
import { renderParts } from "../lib/format/detail-parts";
import { messages } from "../lib/i18n/messages";

/**
 * Current medicines read from the database: a weekly drug and a 頓用 drug, as the demo seed records
 * them (日数 = dosing days, 回分 for 頓用), stay on the integrated view and the pharmacist's page.
 */
let ctx: Awaited<ReturnType<typeof freshDatabase>>;

const TODAY = new Date("2026-11-26T03:00:00Z"); // 12:00 JST
const doctor = testActor("fA", "DOCTOR");
const pharmacist = testActor("fA", "PHARMACIST");

beforeAll(async () => {
  ctx = await freshDatabase();
  const db = ctx.db;
  setClockForTests(TODAY);
  await db.facility.create({ data: { id: "fA", code: "2210000001", name: "施設fA", kind: "HOSPITAL" } });
  await db.facility.create({ data: { id: "fP", code: "2240000001", name: "薬局fP", kind: "PHARMACY" } });
  for (const a of [doctor, pharmacist]) {
    await db.user.create({ data: { id: a.userId, loginId: a.userId, name: a.name, profession: a.profession, facilityId: a.facilityId, passwordHash: "x", credentialVerifiedAt: new Date("2024-01-01") } });
  }
  await db.patient.create({ data: { id: "w1", familyName: "森", givenName: "澄子", familyNameKana: "モリ", givenNameKana: "スミコ", sex: "FEMALE", birthDate: new Date("1948-03-03") } });
  await db.consent.create({ data: { patientId: "w1", id: "c1", facilityId: "fA", scope: "FULL", method: "WRITTEN", identityVerification: "MYNUMBER_CARD", capturedById: doctor.userId } });
  const item = (id: string, yj: string, display: string, usageText: string, days: number, asNeeded: boolean) => ({
    id,
    codeSystem: "urn:oid:1.2.392.100495.20.1.73",
    code: yj,
    yjCode: yj,
    display,
    dose: 1,
    doseUnit: "錠",
    usageText,
    days,
    asNeeded,
  });
  await db.prescription.create({
    data: {
      patientId: "w1",
      id: "dsp-bonalon",
      facilityId: "fP",
      kind: "DISPENSE",
      occurredAt: new Date("2026-11-18T10:00:00+09:00"),
      items: { create: [item("dsp-bonalon-1", "3999018F2029", "ボナロン錠35mg", "週1回起床時（水180mLで服用、30分は横にならない）", 4, false)] },
    },
  });
  await db.prescription.create({
    data: {
      patientId: "w1",
      id: "rx-nitro",
      facilityId: "fA",
      kind: "PRESCRIPTION",
      occurredAt: new Date("2026-10-10T10:00:00+09:00"),
      items: { create: [item("rx-nitro-1", "2171018K1039", "ニトロペン舌下錠0.3mg", "胸痛発作時 舌下（頓用）", 10, true)] },
    },
  });
});
afterAll(async () => {
  setClockForTests(null);
  await ctx?.close();
});

describe("current medicines from the database", () => {
  it("the integrated view lists a weekly drug to the end of its four weeks, and a recent 頓用 drug apart, as 頓用", async () => {
    const v = await getPatientView(doctor, "w1");
    expect(v.summary.medications.map((m) => [m.display, m.asNeeded, m.supplyEnd, m.lastIssued])).toEqual([["ボナロン錠35mg", false, "2026-12-15", "2026-11-18"]]);
    expect(v.summary.asNeeded.map((m) => [m.display, m.lastPrescribed, m.lastDispensed])).toEqual([["ニトロペン舌下錠0.3mg", "2026-10-10", null]]);
    const nitro = v.timeline.entries.find((e) => e.id === "rx-nitro");
    const line = nitro?.detail.find(([label]) => label === "Rp1 ニトロペン舌下錠0.3mg")?.[1] ?? null;
    expect(renderParts(line, messages.ja)).toBe("1 錠 / 胸痛発作時 舌下（頓用） / 10回分 / 頓用");
    expect(renderParts(line, messages.en)).toBe("1 錠 / 胸痛発作時 舌下（頓用） / 10 doses / as needed");
  });

  it("the pharmacist's page marks the weekly drug current and the 頓用 one as 頓用", async () => {
    const v = await getMedicationHistory(pharmacist, "w1");
    expect(v.strips.map((s) => [s.display, s.current, s.asNeeded])).toEqual([
      ["ニトロペン舌下錠0.3mg", false, true],
      ["ボナロン錠35mg", true, false],
    ]);
    expect(v.asNeeded.map((m) => m.display)).toEqual(["ニトロペン舌下錠0.3mg"]);
    expect(v.rows.map((r) => [r.display, r.supplyEnd, r.days, r.asNeeded])).toEqual([
      ["ボナロン錠35mg", "2026-12-15", 4, false],
      ["ニトロペン舌下錠0.3mg", "2027-01-07", 10, true],
    ]);
  });
});
