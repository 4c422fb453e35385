import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderToStaticMarkup } from "react-dom/server";
import { freshDatabase } from "./helpers/db";
import { testActor } from "./helpers/actor";
import type { Actor } from "../lib/auth/actor";
import type { Db } from "../lib/db/client";
import { setClockForTests } from "../lib/clock";
import { totpCode } from "../lib/auth/totp";
import { isoDate } from "../lib/format/dates";
import { LAB_BY_CODE, labTest, measuredText } from "../lib/terminology/lab-tests";
import { EMERGENCY_LAB_CODES, emergencyLabKinds } from "../lib/access/data-kinds";
import { messages } from "../lib/i18n/messages";
import { DEMO_PASSWORD, DEMO_TOTP_SECRET } from "../prisma/seed/demo-credentials";
import { emergencyGrantState, endBreakGlass, getEmergencySummary, getPatientView, identifyForEmergency, startBreakGlass } from "../lib/record";

/**
 * The emergency dataset (救急時医療情報) on the seeded demo network: pat-0003 鈴木 一郎, on dialysis,
 * consented nowhere, is the break-glass demo. One patient of the test's own (em-m) carries the
 * medicines whose "current" the 統合ビュー's rule decides.
 */
let ctx: Awaited<ReturnType<typeof freshDatabase>>;
let db: Db;
/** the patient pages' refusal mapping; imported once the test database is set (lib/auth reads the environment on import) */
let readOrExplain: typeof import("../app/(app)/patients/[id]/read-or-explain").readOrExplain;
const NOW = new Date("2026-12-01T00:00:00Z"); // the seed's today
const DAY = 86_400_000;
const daysAgo = (n: number) => new Date(NOW.getTime() - n * DAY);
let clock = NOW.getTime() + 3 * 3_600_000; // 12:00 JST
/** moves the test clock one TOTP step on, so every re-authentication has a fresh code */
const tick = () => {
  clock += 30_000;
  setClockForTests(new Date(clock));
  return new Date(clock);
};

const er1 = testActor("fac-01", "EMERGENCY", { userId: "usr-er1", name: "藤田 拓也", facilityName: "つなぐ中央病院", facilityCanBreakGlass: true });
const doctor1 = testActor("fac-01", "DOCTOR", { userId: "usr-doctor1", name: "中村 健一", facilityName: "つなぐ中央病院", facilityCanBreakGlass: true });
const SUZUKI = { mode: "four", kana: "スズキ イチロウ", birthDate: "1972-01-20", sex: "MALE", address: "静岡県静岡市清水区草薙1-22-5" };
const EM_M = { mode: "insurance", insurerNumber: "01130012", insuredNumber: "77" };

/** Break glass as the ER does: identify the patient, then start with a reason and re-authentication. */
async function breakGlass(actor: Actor, patientId: string, identify: Record<string, string>) {
  await identifyForEmergency(actor, identify);
  await startBreakGlass(actor, { patientId, reason: "UNCONSCIOUS", password: DEMO_PASSWORD, code: totpCode(DEMO_TOTP_SECRET, tick()) });
}

beforeAll(async () => {
  ctx = await freshDatabase();
  db = ctx.db;
  ({ readOrExplain } = await import("../app/(app)/patients/[id]/read-or-explain"));
  const { seed } = await import("../prisma/seed/index");
  await seed(db, { patients: 5, now: NOW });
  tick();

  await db.patient.create({ data: { id: "em-m", familyName: "森", givenName: "実", familyNameKana: "モリ", givenNameKana: "ミノル", sex: "MALE", birthDate: new Date("1950-03-03"), insurerNumber: EM_M.insurerNumber, insuredNumber: EM_M.insuredNumber } });
  const rx = (id: string, at: Date, item: { yj: string; display: string; days: number; usage: string; asNeeded?: boolean }, extra: object = {}) =>
    db.prescription.create({
      data: {
        patientId: "em-m", id, facilityId: "fac-02", kind: "PRESCRIPTION", occurredAt: at, ...extra,
        items: { create: [{ id: `${id}-1`, codeSystem: "urn:oid:1.2.392.100495.20.1.73", code: item.yj, yjCode: item.yj, display: item.display, days: item.days, usageText: item.usage, asNeeded: item.asNeeded ?? false }] },
      },
    });
  // 26日分 of a 週1回 drug: 26 weekly doses, 182 days from 120 days ago — current, though issued long before the last 92 days
  await rx("rx-weekly", daysAgo(120), { yj: "3999018F2029", display: "ボナロン錠35mg", days: 26, usage: "週1回起床時" });
  // its twin: 12日分 weekly, 84 days from 120 days ago — ended 36 days ago
  await rx("rx-weekly-ended", daysAgo(120), { yj: "3999019F1020", display: "ベネット錠17.5mg", days: 12, usage: "週1回起床時" });
  await rx("rx-daily", daysAgo(7), { yj: "2329023F1020", display: "タケプロンOD錠15", days: 28, usage: "1日1回朝食後" });
  await rx("rx-prn", daysAgo(30), { yj: "2171018K1039", display: "ニトロペン舌下錠0.3mg", days: 10, usage: "胸痛発作時 舌下（頓用）", asNeeded: true });
  // issued within the last 3 months but not current: stopped, and a short course that ran out
  await rx("rx-stopped", daysAgo(10), { yj: "2171022F2041", display: "アムロジン錠5mg", days: 28, usage: "1日1回朝食後" }, { status: "STOPPED", stoppedAt: daysAgo(5) });
  await rx("rx-course", daysAgo(40), { yj: "6132016F1020", display: "セフゾンカプセル100mg", days: 5, usage: "1日3回毎食後" });
}, 240_000);
afterAll(async () => {
  setClockForTests(null);
  await ctx?.close();
});

describe("current medicines by the 統合ビュー's rule", () => {
  it("lists a weekly supply issued 120 days ago that still runs, regular ones first and 頓用 as 頓用; not an ended, stopped or run-out one", async () => {
    await breakGlass(er1, "em-m", EM_M);
    const { medicines } = await getEmergencySummary(er1, "em-m");
    expect(medicines.map((m) => [m.display, m.asNeeded])).toEqual([
      ["タケプロンOD錠15", false],
      ["ボナロン錠35mg", false],
      ["ニトロペン舌下錠0.3mg", true],
    ]);
    expect(medicines.find((m) => m.display === "ボナロン錠35mg")).toMatchObject({ lastIssued: isoDate(daysAgo(120)), facilityIds: ["fac-02"] });
  });
});

describe("the emergency dataset's tests (lib/access)", () => {
  it("are known JLAC10 codes, each once; read from lab results by whoever sees labs, never from checkups", () => {
    expect(EMERGENCY_LAB_CODES.every((c) => LAB_BY_CODE.has(c))).toBe(true);
    expect(new Set(EMERGENCY_LAB_CODES).size).toBe(EMERGENCY_LAB_CODES.length);
    expect(emergencyLabKinds("EMERGENCY")).toEqual(["lab"]);
    expect(emergencyLabKinds("DOCTOR")).toEqual(["lab"]);
    expect(emergencyLabKinds("CLERK")).toEqual([]);
    expect(emergencyLabKinds("ADMIN")).toEqual([]);
  });
});

describe("latest emergency labs", () => {
  const K = labTest("k").code;
  const latest = async (code: string) =>
    db.labResult.findFirstOrThrow({ where: { patientId: "pat-0003", code, sensitivity: "NORMAL", occurredAt: { lte: new Date(clock) } }, orderBy: [{ occurredAt: "desc" }, { id: "asc" }] });

  it("shows a dialysis patient's latest K, Hb and creatinine with date and facility; a test outside the set is not listed", async () => {
    await breakGlass(er1, "pat-0003", SUZUKI);
    const v = await getEmergencySummary(er1, "pat-0003");
    expect(v.dialysis).toHaveLength(1); // the seed's dialysis patient
    for (const key of ["k", "hb", "cre"]) {
      const row = await latest(labTest(key).code);
      expect(v.labs.find((l) => l.code === row.code)).toMatchObject({ value: measuredText(row.code, row.valueNumeric, row.valueText), unit: row.unit, date: isoDate(row.occurredAt), facilityId: row.facilityId });
    }
    expect(v.labs[0]?.code).toBe(K); // potassium first: what a dialysis patient's ER looks at before anything
    expect(v.labs.map((l) => l.code)).not.toContain(labTest("alb").code);
    expect(new Set(v.labs.map((l) => l.code)).size).toBe(v.labs.length); // one line per test
  });

  it("a newer K the patient withholds (by a consent at any facility) is not shown; the latest one not withheld is (twin)", async () => {
    // a potassium drawn at an infectious-disease visit: classified INFECTIOUS with that care
    await db.labResult.create({ data: { patientId: "pat-0003", id: "k-infectious", facilityId: "fac-01", occurredAt: daysAgo(1), codeSystem: "JLAC10", code: K, display: "カリウム", valueNumeric: 6.9, unit: "mmol/L", flag: "H", sensitivity: "INFECTIOUS" } });
    const open = await getEmergencySummary(er1, "pat-0003");
    expect(open.labs.find((l) => l.code === K)).toMatchObject({ value: "6.9", flag: "H", facilityId: "fac-01", date: isoDate(daysAgo(1)) });

    await db.consent.create({ data: { patientId: "pat-0003", id: "c-withhold", facilityId: "fac-04", scope: "FULL", method: "WRITTEN", identityVerification: "MYNUMBER_CARD", withheldCategories: ["INFECTIOUS"], capturedById: "usr-clerk4" } });
    const v = await getEmergencySummary(er1, "pat-0003");
    const row = await latest(K);
    expect(v.withholding).toBe(true);
    expect(v.labs.find((l) => l.code === K)).toMatchObject({ value: measuredText(K, row.valueNumeric), date: isoDate(row.occurredAt), facilityId: row.facilityId });
    expect(JSON.stringify(v.labs)).not.toContain("6.9");
    await db.consent.delete({ where: { patientId_id: { patientId: "pat-0003", id: "c-withhold" } } });
  });
});

describe("the way back to the dataset while a grant is active", () => {
  const screenOf = async (actor: Actor) => {
    const r = await readOrExplain(actor, messages.ja, () => getPatientView(actor, "pat-0003"));
    if (r.ok) throw new Error("expected a refusal");
    return renderToStaticMarkup(r.screen);
  };

  it("with an active grant the refusal of the patient's tabs links to the emergency dataset", async () => {
    expect(await emergencyGrantState(er1, "pat-0003")).toMatchObject({ state: "ACTIVE" });
    const html = await screenOf(er1);
    expect(html).toContain('href="/emergency/pat-0003"');
    expect(html).toContain(messages.ja.emergency.openDataset);
  });

  it("twin: without one (never started, or ended) it offers to start emergency access, not the dataset", async () => {
    expect(await emergencyGrantState(doctor1, "pat-0003")).toEqual({ state: "NONE" });
    const never = await screenOf(doctor1);
    expect(never).not.toContain("/emergency/pat-0003");
    expect(never).toContain('href="/emergency"');

    await breakGlass(doctor1, "pat-0003", SUZUKI);
    expect(await emergencyGrantState(doctor1, "pat-0003")).toMatchObject({ state: "ACTIVE" });
    await endBreakGlass(doctor1, "pat-0003");
    expect(await emergencyGrantState(doctor1, "pat-0003")).toEqual({ state: "ENDED", endedAt: new Date(clock).toISOString() });
    expect(await screenOf(doctor1)).not.toContain("/emergency/pat-0003");
  });

  it("a grant that lapsed counts as ended at its expiry, before anything closed it", async () => {
    const { expiresAt } = (await emergencyGrantState(er1, "pat-0003")) as { expiresAt: string };
    setClockForTests(new Date(new Date(expiresAt).getTime() + 60_000));
    expect(await emergencyGrantState(er1, "pat-0003")).toEqual({ state: "ENDED", endedAt: expiresAt });
    expect(await screenOf(er1)).not.toContain("/emergency/pat-0003");
    setClockForTests(new Date(clock));
  });
});
