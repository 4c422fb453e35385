import { describe, expect, it } from "vitest";
import { checkInteractions, EGFR_CODE, POTASSIUM_CODE, type LabFact } from "../lib/record/interactions";
import type { CurrentMed } from "../lib/record/medication";

/** The sourced interaction and renal rules: each fires on its pair or lab value, and not without it. */
const med = (yj: string, display: string, facility = "fA"): CurrentMed => ({
  key: yj,
  display,
  ingredient: yj.slice(0, 7),
  usageText: "1日1回朝食後",
  dose: "1錠",
  asNeeded: false,
  prescribers: [facility],
  pharmacies: ["ph1"],
  lastIssued: "2026-06-01",
  supplyEnd: "2026-06-28",
  daily: { ok: true, amount: 1, unit: "錠", ofIngredient: false },
  rows: [],
});
const LOXONIN = med("1149019F1560", "ロキソニン錠60mg");
const ZOLOFT = med("1179046F1024", "ジェイゾロフト錠25mg", "fB");
const WARFARIN = med("3332001F1033", "ワーファリン錠1mg");
const ASPIRIN = med("3399007H1021", "バイアスピリン錠100mg");
const BLOPRESS = med("2149040F3022", "ブロプレス錠8");
const LASIX = med("2139005F1026", "ラシックス錠20mg");
const METGLUCO = med("3962002F1067", "メトグルコ錠250mg");
const ALDACTONE = med("2133001F1000", "スピロノラクトン錠25mg");
const CALONAL = med("1141007F3023", "カロナール錠500");
const LOXONIN_TAPE = med("2649734S2024", "ロキソニンテープ100mg");
const egfr = (value: number): LabFact => ({ code: EGFR_CODE, value, unit: "mL/min/1.73m2", occurredAt: "2026-05-20T01:00:00.000Z", facilityId: "lab-fac" });
const k = (value: number): LabFact => ({ code: POTASSIUM_CODE, value, unit: "mmol/L", occurredAt: "2026-05-21T01:00:00.000Z", facilityId: "lab-fac" });
const rules = (current: CurrentMed[], e: LabFact | null = null, p: LabFact | null = null) => checkInteractions({ current, egfr: e, potassium: p }).warnings.map((w) => [w.rule, w.severity]);

describe("interaction rules", () => {
  it("NSAID + SSRI warns of bleeding, naming both drugs, their prescribers and the source", () => {
    const [w] = checkInteractions({ current: [LOXONIN, ZOLOFT], egfr: null, potassium: null }).warnings;
    expect(w).toMatchObject({ rule: "NSAID_SSRI", severity: "caution", lab: null });
    expect(w!.drugs.map((d) => [d.display, d.prescribers])).toEqual([["ロキソニン錠60mg", ["fA"]], ["ジェイゾロフト錠25mg", ["fB"]]]);
    expect(w!.source.ja).toContain("添付文書 10.2");
    // the twin: acetaminophen is not an NSAID, and a topical loxoprofen patch is not systemic
    expect(rules([CALONAL, ZOLOFT])).toEqual([]);
    expect(rules([LOXONIN_TAPE, ZOLOFT])).toEqual([]);
  });

  it("NSAID + anticoagulant and NSAID + antiplatelet each warn; either alone does not", () => {
    expect(rules([LOXONIN, WARFARIN, ASPIRIN])).toEqual([["NSAID_ANTICOAGULANT", "caution"], ["NSAID_ANTIPLATELET", "caution"]]);
    expect(rules([WARFARIN, ASPIRIN])).toEqual([]);
  });

  it("NSAID + ARB + diuretic (the 'triple whammy') warns; two of the three do not", () => {
    expect(rules([LOXONIN, BLOPRESS, LASIX])).toEqual([["NSAID_RAS_DIURETIC", "avoid"]]);
    expect(rules([LOXONIN, BLOPRESS])).toEqual([]);
    expect(rules([LOXONIN, LASIX])).toEqual([]);
  });

  it("an NSAID with eGFR < 60 is a caution and < 30 is to be avoided, and the warning carries the eGFR used", () => {
    expect(rules([LOXONIN], egfr(59.9))).toEqual([["NSAID_EGFR_LT60", "caution"]]);
    expect(rules([LOXONIN], egfr(29))).toEqual([["NSAID_EGFR_LT30", "avoid"]]);
    expect(rules([LOXONIN], egfr(60))).toEqual([]);
    const [w] = checkInteractions({ current: [LOXONIN], egfr: egfr(42), potassium: null }).warnings;
    expect(w!.lab).toEqual(egfr(42));
  });

  it("metformin is contraindicated below eGFR 30 and a caution below 45", () => {
    expect(rules([METGLUCO], egfr(28))).toEqual([["METFORMIN_EGFR_LT30", "contraindicated"]]);
    expect(rules([METGLUCO], egfr(44))).toEqual([["METFORMIN_EGFR_LT45", "caution"]]);
    expect(rules([METGLUCO], egfr(45))).toEqual([]);
  });

  it("a potassium-sparing drug with K ≥ 5.5 is flagged, and not with K 5.4", () => {
    expect(rules([ALDACTONE], null, k(5.5))).toEqual([["KSPARING_K_GE55", "contraindicated"]]);
    expect(rules([ALDACTONE], null, k(5.4))).toEqual([]);
  });

  it("says which checks could not run for want of a lab value, rather than implying they passed", () => {
    expect(checkInteractions({ current: [METGLUCO, ALDACTONE], egfr: null, potassium: null }).notChecked).toEqual(["NO_EGFR", "NO_POTASSIUM"]);
    expect(checkInteractions({ current: [BLOPRESS], egfr: null, potassium: null }).notChecked).toEqual([]);
  });

  it("orders the warnings most severe first", () => {
    expect(rules([LOXONIN, ZOLOFT, METGLUCO], egfr(25)).map(([, s]) => s)).toEqual(["contraindicated", "avoid", "caution"]);
  });
});
