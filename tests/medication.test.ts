import { describe, expect, it } from "vitest";
import { allergyConflicts, currentMedications, duplicateTherapy, isCurrent, supplyWindow, type MedRow } from "../lib/record/medication";

let n = 0;
function row(over: Partial<MedRow>): MedRow {
  n += 1;
  return {
    prescriptionId: `rx-${n}`,
    itemId: `it-${n}`,
    kind: "PRESCRIPTION",
    facilityId: "fac-01",
    occurredAt: new Date("2026-11-01T10:00:00+09:00"),
    status: "ACTIVE",
    stoppedAt: null,
    codeSystem: "YJ",
    code: "2171022F1022",
    display: "アムロジピン錠5mg「A」",
    yjCode: "2171022F1022",
    days: 28,
    asNeeded: false,
    usageText: "1日1回朝食後",
    dose: 1,
    doseUnit: "錠",
    ...over,
  };
}

describe("supply window and day boundaries (Japan time)", () => {
  it("a 28-day supply issued on 11-01 covers 11-01..11-28 inclusive", () => {
    const r = row({});
    expect(supplyWindow(r)).toEqual({ start: "2026-11-01", end: "2026-11-28" });
    expect(isCurrent(r, "2026-10-31")).toBe(false);
    expect(isCurrent(r, "2026-11-01")).toBe(true);
    expect(isCurrent(r, "2026-11-28")).toBe(true);
    expect(isCurrent(r, "2026-11-29")).toBe(false);
  });
  it("issued late in the evening in Japan counts from that Japanese day, not the UTC one", () => {
    const r = row({ occurredAt: new Date("2026-11-01T23:30:00+09:00"), days: 1 });
    expect(supplyWindow(r)).toEqual({ start: "2026-11-01", end: "2026-11-01" });
    const early = row({ occurredAt: new Date("2026-11-01T00:30:00+09:00"), days: 1 }); // 10-31 in UTC
    expect(supplyWindow(early).start).toBe("2026-11-01");
  });
  it("a stopped prescription is current until the day before it was stopped", () => {
    const r = row({ status: "STOPPED", stoppedAt: new Date("2026-11-10T09:00:00+09:00") });
    expect(supplyWindow(r).end).toBe("2026-11-09");
    expect(isCurrent(r, "2026-11-09")).toBe(true);
    expect(isCurrent(r, "2026-11-10")).toBe(false);
  });
  it("a stopped prescription without a stop date is not current after its first day", () => {
    expect(isCurrent(row({ status: "STOPPED" }), "2026-11-02")).toBe(false);
  });
  it("a row with no day count covers only its own day", () => {
    expect(supplyWindow(row({ days: null }))).toEqual({ start: "2026-11-01", end: "2026-11-01" });
  });
});

describe("current medications", () => {
  it("merges one product across prescriber and pharmacy, keeping the latest supply end", () => {
    const rows = [
      row({ facilityId: "fac-01" }),
      row({ kind: "DISPENSE", facilityId: "fac-06", occurredAt: new Date("2026-11-02T09:00:00+09:00") }),
      row({ facilityId: "fac-01", occurredAt: new Date("2026-10-01T09:00:00+09:00"), days: 56 }), // overlapping older supply
    ];
    const cur = currentMedications(rows, "2026-11-15");
    expect(cur).toHaveLength(1);
    expect(cur[0]).toMatchObject({ prescribers: ["fac-01"], pharmacies: ["fac-06"], lastIssued: "2026-11-02", supplyEnd: "2026-11-29" });
  });
  it("leaves out finished supplies", () => {
    expect(currentMedications([row({ occurredAt: new Date("2026-09-01T09:00:00+09:00") })], "2026-11-15")).toEqual([]);
  });
});

describe("duplicate therapy", () => {
  const amlodipineA = { yjCode: "2171022F1022", code: "2171022F1022", display: "アムロジピン錠5mg「A」" };
  const amlodipineB = { yjCode: "2171022F2037", code: "2171022F2037", display: "ノルバスク錠5mg" };
  const nifedipine = { yjCode: "2171014G4020", code: "2171014G4020", display: "ニフェジピンCR錠20mg" };

  it("warns when two facilities prescribe the same ingredient at once, and says which", () => {
    const cur = currentMedications([row({ ...amlodipineA, facilityId: "fac-01" }), row({ ...amlodipineB, facilityId: "fac-03" })], "2026-11-15");
    expect(duplicateTherapy(cur)).toEqual([
      { type: "SAME_INGREDIENT", key: "2171022", products: ["アムロジピン錠5mg「A」", "ノルバスク錠5mg"], sources: ["fac-01", "fac-03"] },
    ]);
  });
  it("does not warn for the same ingredient from one facility (a dose change), nor when the supplies do not overlap", () => {
    const oneFacility = currentMedications([row({ ...amlodipineA }), row({ ...amlodipineB })], "2026-11-15");
    expect(duplicateTherapy(oneFacility)).toEqual([]);
    const sequential = currentMedications(
      [row({ ...amlodipineA, facilityId: "fac-01", occurredAt: new Date("2026-09-01T09:00:00+09:00") }), row({ ...amlodipineB, facilityId: "fac-03" })],
      "2026-11-15",
    );
    expect(duplicateTherapy(sequential)).toEqual([]);
  });
  it("does not count a pharmacy dispensing a visible prescription as a second prescriber", () => {
    const cur = currentMedications([row({ ...amlodipineA, facilityId: "fac-01" }), row({ ...amlodipineA, kind: "DISPENSE", facilityId: "fac-06" })], "2026-11-15");
    expect(duplicateTherapy(cur)).toEqual([]);
  });
  it("warns for the same class with different ingredients from two prescribers", () => {
    const cur = currentMedications([row({ ...amlodipineA, facilityId: "fac-01" }), row({ ...nifedipine, facilityId: "fac-03" })], "2026-11-15");
    expect(duplicateTherapy(cur)).toEqual([{ type: "SAME_CLASS", key: "2171", products: ["アムロジピン錠5mg「A」", "ニフェジピンCR錠20mg"], sources: ["fac-01", "fac-03"] }]);
  });
  it("a stopped prescription no longer duplicates", () => {
    const cur = currentMedications(
      [row({ ...amlodipineA, facilityId: "fac-01" }), row({ ...amlodipineB, facilityId: "fac-03", status: "STOPPED", stoppedAt: new Date("2026-11-05T09:00:00+09:00") })],
      "2026-11-15",
    );
    expect(duplicateTherapy(cur)).toEqual([]);
  });
});

describe("allergy and contraindication conflicts", () => {
  it("flags a current drug whose ingredient the patient is allergic to, and nothing else", () => {
    const cur = currentMedications([row({ yjCode: "1149019F1560", code: "1149019F1560", display: "ロキソプロフェンNa錠60mg" }), row({})], "2026-11-15");
    const conflicts = allergyConflicts(cur, [{ display: "非ステロイド性抗炎症薬（NSAIDs）", kind: "DRUG", yjIngredients: ["1149019", "1147002"] }]);
    expect(conflicts).toEqual([{ product: "ロキソプロフェンNa錠60mg", allergy: "非ステロイド性抗炎症薬（NSAIDs）", kind: "DRUG" }]);
  });
});
