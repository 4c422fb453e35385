import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDatabase } from "./helpers/db";
import { testActor } from "./helpers/actor";
import type { Actor } from "../lib/auth/actor";
import type { Db } from "../lib/db/client";
import { setClockForTests } from "../lib/clock";
import { AccessDeniedError, InvalidFieldsError, acknowledgeWarning, getMedicationHistory, getPatientView } from "../lib/record";
import { EGFR_CODE } from "../lib/record/interactions";
import { duplicateKey } from "../lib/format/warning-key";

/**
 * The interaction checks on the real database, and their acknowledgement: who may record one, that
 * the next viewer sees it, and that a warning nobody is shown cannot be acknowledged.
 */
let ctx: Awaited<ReturnType<typeof freshDatabase>>;
let db: Db;
const TODAY = new Date("2026-06-15T03:00:00Z");
const daysAgo = (n: number) => new Date(TODAY.getTime() - n * 86_400_000);
const actor = (facilityId: string, profession: Actor["profession"], name: string) => testActor(facilityId, profession, { name, userId: name });
const pharmacistA = actor("fA", "PHARMACIST", "ph-a");
const doctorA = actor("fA", "DOCTOR", "dr-a");
const nurseA = actor("fA", "NURSE", "ns-a");
const doctorE = actor("fE", "DOCTOR", "dr-e"); // emergency-only consent
const doctorP = actor("fP", "DOCTOR", "dr-p"); // consent withholding psychiatric records

beforeAll(async () => {
  ctx = await freshDatabase();
  db = ctx.db;
  setClockForTests(TODAY);
  for (const [id, code] of [["fA", "2210000001"], ["fE", "2210000002"], ["fP", "2210000003"]] as const) await db.facility.create({ data: { id, code, name: `施設${id}`, kind: "HOSPITAL" } });
  for (const a of [pharmacistA, doctorA, nurseA, doctorE, doctorP]) {
    await db.user.create({ data: { id: a.userId, loginId: a.userId, name: a.name, profession: a.profession, facilityId: a.facilityId, passwordHash: "x", credentialVerifiedAt: daysAgo(900) } });
  }
  await db.patient.create({ data: { id: "k1", familyName: "確認", givenName: "一郎", familyNameKana: "カクニン", givenNameKana: "イチロウ", sex: "MALE", birthDate: new Date("1950-01-01") } });
  const consent = (id: string, facilityId: string, scope: "FULL" | "EMERGENCY", withheld: ("PSYCHIATRIC")[] = []) =>
    db.consent.create({ data: { patientId: "k1", id, facilityId, scope, method: "WRITTEN", identityVerification: "MYNUMBER_CARD", withheldCategories: withheld, capturedById: doctorA.userId } });
  await consent("cA", "fA", "FULL");
  await consent("cE", "fE", "EMERGENCY");
  await consent("cP", "fP", "FULL", ["PSYCHIATRIC"]);
  const rx = (id: string, yj: string, display: string, extra: object = {}) =>
    db.prescription.create({ data: { patientId: "k1", id, facilityId: "fA", kind: "PRESCRIPTION", occurredAt: daysAgo(3), prescriberName: "処方 医師", ...extra, items: { create: [{ id: `${id}-1`, codeSystem: "YJ", code: yj, yjCode: yj, display, days: 28, usageText: "1日1回朝食後", dose: 1, doseUnit: "錠" }] } } });
  await rx("rx-loxo", "1149019F1560", "ロキソニン錠60mg");
  await rx("rx-zoloft", "1179046F1024", "ジェイゾロフト錠25mg", { sensitivity: "PSYCHIATRIC" });
  await rx("rx-amlodin", "2171022F2041", "アムロジン錠5mg");
  await rx("rx-norvasc", "2171022F2025", "ノルバスク錠5mg", { facilityId: "fE" });
  await db.labResult.create({ data: { patientId: "k1", id: "egfr-1", facilityId: "fA", occurredAt: daysAgo(10), codeSystem: "JLAC10", code: EGFR_CODE, display: "eGFR", valueNumeric: 42, unit: "mL/min/1.73m2", refLow: 60, flag: "L" } });
});
afterAll(async () => {
  setClockForTests(null);
  await ctx?.close();
});

const ssriWarning = async (a: Actor) => (await getMedicationHistory(a, "k1")).checks.interactions.find((w) => w.rule === "NSAID_SSRI");

describe("interaction checks on a patient's record", () => {
  it("warns of NSAID + SSRI and of an NSAID with eGFR 42, naming the eGFR's date and facility", async () => {
    const checks = (await getMedicationHistory(pharmacistA, "k1")).checks;
    expect(checks.interactions.map((w) => w.rule).sort()).toEqual(["NSAID_EGFR_LT60", "NSAID_SSRI"]);
    const renal = checks.interactions.find((w) => w.rule === "NSAID_EGFR_LT60")!;
    expect(renal.lab).toMatchObject({ value: 42, facilityId: "fA", occurredAt: daysAgo(10).toISOString() });
    expect(checks.mayAcknowledge).toBe(true);
    // the 統合ビュー shows the same checks
    expect((await getPatientView(doctorA, "k1")).summary.checks.interactions.map((w) => w.rule).sort()).toEqual(["NSAID_EGFR_LT60", "NSAID_SSRI"]);
  });

  it("never builds a warning from a withheld medicine", async () => {
    const checks = (await getMedicationHistory(doctorP, "k1")).checks;
    expect(checks.interactions.map((w) => w.rule)).toEqual(["NSAID_EGFR_LT60"]);
  });
});

describe("acknowledging a warning", () => {
  it("a pharmacist marks it as handled; a second user then sees who, where, when and why", async () => {
    const w = (await ssriWarning(pharmacistA))!;
    expect(w.acknowledged).toBeNull();
    await acknowledgeWarning(pharmacistA, "k1", { warningKey: w.key, reason: "  処方医に確認済み、PPI併用で継続  " });
    const seen = (await ssriWarning(doctorA))!;
    expect(seen.acknowledged).toMatchObject({ userName: "ph-a", profession: "PHARMACIST", facilityId: "fA", reason: "処方医に確認済み、PPI併用で継続", at: TODAY.toISOString() });
    const audit = await db.auditEvent.findFirst({ where: { action: "WARNING_ACKNOWLEDGED", actorId: pharmacistA.userId }, orderBy: { seq: "desc" } });
    expect(audit).toMatchObject({ outcome: "ALLOW", patientId: "k1" });
    expect(audit?.detail).toMatchObject({ warningKey: w.key, reason: "処方医に確認済み、PPI併用で継続" });
  });

  it("refuses a nurse (audited), and the doctor twin may", async () => {
    const renal = (await getMedicationHistory(doctorA, "k1")).checks.interactions.find((w) => w.rule === "NSAID_EGFR_LT60")!;
    expect((await getMedicationHistory(nurseA, "k1")).checks.mayAcknowledge).toBe(false);
    await expect(acknowledgeWarning(nurseA, "k1", { warningKey: renal.key, reason: "確認" })).rejects.toMatchObject({ reason: "PROFESSION_MAY_NOT_ACKNOWLEDGE" });
    expect(await db.auditEvent.count({ where: { action: "WARNING_ACKNOWLEDGED", actorId: nurseA.userId, outcome: "DENY" } })).toBe(1);
    await expect(acknowledgeWarning(doctorA, "k1", { warningKey: renal.key, reason: "腎機能を踏まえ減量済み" })).resolves.toMatchObject({ userName: "dr-a" });
  });

  it("refuses under an emergency-only consent, and a facility without consent at all", async () => {
    const w = (await ssriWarning(pharmacistA))!;
    await expect(acknowledgeWarning(doctorE, "k1", { warningKey: w.key, reason: "確認" })).rejects.toMatchObject({ reason: "SCOPE_EMERGENCY_ONLY" });
    await expect(acknowledgeWarning(actor("fX", "DOCTOR", "dr-x"), "k1", { warningKey: w.key, reason: "確認" })).rejects.toBeInstanceOf(AccessDeniedError);
  });

  it("refuses a warning this viewer is not shown (a withheld medicine's), and an empty reason; nothing is written", async () => {
    const w = (await ssriWarning(pharmacistA))!;
    const before = await db.warningAcknowledgement.count();
    await expect(acknowledgeWarning(doctorP, "k1", { warningKey: w.key, reason: "確認" })).rejects.toMatchObject({ fields: { warningKey: "not_current" } });
    await expect(acknowledgeWarning(doctorA, "k1", { warningKey: w.key, reason: " " })).rejects.toBeInstanceOf(InvalidFieldsError);
    await expect(acknowledgeWarning(doctorA, "k1", { warningKey: "'; drop table", reason: "確認" })).rejects.toBeInstanceOf(InvalidFieldsError);
    expect(await db.warningAcknowledgement.count()).toBe(before);
  });

  it("a duplicate-therapy warning is acknowledged the same way, under its own key", async () => {
    const dup = (await getMedicationHistory(pharmacistA, "k1")).duplicates.find((d) => d.type === "SAME_INGREDIENT")!;
    expect(dup.drugs.map((d) => d.display).sort()).toEqual(["アムロジン錠5mg", "ノルバスク錠5mg"]);
    await acknowledgeWarning(pharmacistA, "k1", { warningKey: duplicateKey(dup), reason: "同一成分を処方医（中村医師）に連絡済み" });
    const checks = (await getPatientView(doctorA, "k1")).summary.checks;
    // kept as typed: full-width brackets are not folded to ( )
    expect(checks.acknowledged[duplicateKey(dup)]).toMatchObject({ userName: "ph-a", reason: "同一成分を処方医（中村医師）に連絡済み" });
  });
});
