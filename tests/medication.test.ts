import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { addDays, allergyConflicts, asNeededPastYear, currentMedications, cycleDaysCovered, dosingCycle, statesCycle, duplicateTherapy, isCurrent, PRN_CURRENT_DAYS, supplyWindow, type CurrentMed, type MedRow } from "../lib/record/medication";
import { drugStrips } from "../lib/record/medication-history";
import { dailyDose } from "../lib/record/daily-dose";
import { supplyAmount } from "../lib/format/medication";
import { messages } from "../lib/i18n/messages";

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

describe("weekly and other non-daily usage: 日数 counts dosing days", () => {
  const weekly = { display: "ボナロン錠35mg", yjCode: "3999018F2029", code: "3999018F2029", usageText: "週1回起床時（水180mLで服用、30分は横にならない）" };

  it("a weekly drug's 4日分 issued on day D covers four weeks: current on D+27, not on D+28", () => {
    const r = row({ ...weekly, kind: "DISPENSE", days: 4, occurredAt: new Date("2026-11-18T10:00:00+09:00") });
    expect(supplyWindow(r)).toEqual({ start: "2026-11-18", end: "2026-12-15" });
    expect(isCurrent(r, "2026-11-21")).toBe(true); // the old daily reading ended here
    expect(isCurrent(r, "2026-11-22")).toBe(true);
    expect(isCurrent(r, "2026-12-15")).toBe(true); // D+27
    expect(isCurrent(r, "2026-12-16")).toBe(false); // D+28: the fifth dose, which was not supplied, is due
    expect(currentMedications([r], "2026-11-26")).toMatchObject([{ display: "ボナロン錠35mg", supplyEnd: "2026-12-15", asNeeded: false }]);
  });

  it("a weekly drug issued just after midnight in Japan (the day before in UTC) counts from the Japanese day", () => {
    const r = row({ ...weekly, days: 4, occurredAt: new Date("2026-11-18T00:30:00+09:00") });
    expect(supplyWindow(r)).toEqual({ start: "2026-11-18", end: "2026-12-15" });
    expect(isCurrent(r, "2026-12-16")).toBe(false);
  });

  it("週2回: each 日分 covers 3.5 days, the total rounded up to a whole day", () => {
    const twice = (days: number, usageText = "週2回（月・木）朝食後") => row({ usageText, days });
    expect(supplyWindow(twice(8))).toEqual({ start: "2026-11-01", end: "2026-11-28" }); // 8 × 3.5 = 28 days
    const odd = twice(3); // 3 × 3.5 = 10.5 → 11 days: 11-01..11-11
    expect(isCurrent(odd, "2026-11-11")).toBe(true);
    expect(isCurrent(odd, "2026-11-12")).toBe(false);
    expect(supplyWindow(twice(8, "1週間に2回"))).toEqual(supplyWindow(twice(8)));
    expect(supplyWindow(twice(8, "週２回"))).toEqual(supplyWindow(twice(8))); // full-width digits
    expect(supplyWindow(twice(3, "週3回（月水金）")).end).toBe("2026-11-07"); // 3 × 7/3 = exactly 7 days
  });

  it("every N weeks covers 7N days per 日分; 月1回 covers calendar months (a short month clamps to its last day)", () => {
    expect(supplyWindow(row({ usageText: "4週に1回", days: 2 })).end).toBe("2026-12-26"); // 56 days
    expect(supplyWindow(row({ usageText: "2週間に1回 皮下注", days: 3 })).end).toBe("2026-12-12"); // 42 days
    expect(supplyWindow(row({ usageText: "月1回 起床時", days: 3 })).end).toBe("2027-01-31"); // up to 02-01, the 4th dose
    const jan31 = row({ usageText: "1ヶ月に1回", days: 1, occurredAt: new Date("2027-01-31T09:00:00+09:00") });
    expect(supplyWindow(jan31)).toEqual({ start: "2027-01-31", end: "2027-02-27" });
  });

  it("usage text that is not one unambiguous frequency keeps the daily rule", () => {
    const end = (usageText: string | null) => supplyWindow(row({ usageText, days: 4 })).end;
    expect(end("週1回")).toBe("2026-11-28"); // parsed: four weeks
    for (const text of [null, "", "1日1回朝食後", "1日3回毎食後", "週1〜2回", "月2回", "4週投与2週休薬", "週1回または週2回", "月曜日に服用", "3月1回"]) {
      expect(end(text), String(text)).toBe("2026-11-04"); // 4 days
    }
    expect(dosingCycle("週1回")).toEqual({ span: 7, per: 1, unit: "days" });
    expect(dosingCycle("週1〜2回")).toBeNull();
  });

  it("reads a text the same whether or not it is told apart as daily first (compatibility forms, spaces, dakuten)", () => {
    // the characters a cycle is read from, their full-width and compatibility forms, and ordinary 用法 text
    const alphabet = [..."0123456789０１２３４５６７８９一二三四五六七八九週月日隔にごと毎回間かヶケ箇おき朝昼夕食後前服用〜 　", "⽉", "⽇", "㋀", "㏠", "🈷", "\u3099", "こ", "ｶ", "1日3回", "週1回", "月1回", "2日に1回", "日 に1回", "日こ\u3099と1回"];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...alphabet), { maxLength: 12 }), (parts) => {
        const text = parts.join("");
        expect(dosingCycle(text)).toEqual(statesCycle(text));
      }),
      { numRuns: 5000 },
    );
    expect(dosingCycle("2日こ\u3099と1回")).toEqual({ span: 2, per: 1, unit: "days" });
    expect(dosingCycle("⽉1回")).toEqual({ span: 1, per: 1, unit: "months" });
  });

  it("隔日 and every-N-days usage count one 日分 per dosing day", () => {
    expect(supplyWindow(row({ usageText: "隔日 朝食後", days: 7 })).end).toBe("2026-11-14"); // 14 days
    expect(supplyWindow(row({ usageText: "3日に1回", days: 2 })).end).toBe("2026-11-06"); // 6 days
  });

  it("a stopped weekly drug still ends the day before it was stopped", () => {
    const r = row({ ...weekly, days: 4, status: "STOPPED", stoppedAt: new Date("2026-11-25T09:00:00+09:00") });
    expect(supplyWindow(r).end).toBe("2026-11-24");
  });
});

describe("頓用 (as-needed) items", () => {
  const nitro = { display: "ニトロペン舌下錠0.3mg", yjCode: "2171018K1039", code: "2171018K1039", usageText: "胸痛発作時 舌下（頓用）", asNeeded: true, days: 10 };

  it(`counts as current for ${PRN_CURRENT_DAYS} days from its issue, whatever its 回分`, () => {
    expect(PRN_CURRENT_DAYS).toBe(90);
    const r = row({ ...nitro, occurredAt: new Date("2026-11-18T00:30:00+09:00") });
    expect(supplyWindow(r)).toEqual({ start: "2026-11-18", end: "2027-02-15" }); // 90 days inclusive
    expect(isCurrent(r, "2026-11-17")).toBe(false);
    expect(isCurrent(r, "2026-11-28")).toBe(true); // read as 10 days, it had ended on 11-27
    expect(isCurrent(r, "2027-02-15")).toBe(true);
    expect(isCurrent(r, "2027-02-16")).toBe(false);
    expect(isCurrent(row({ ...nitro, days: 100, usageText: "週1回 頓用" }), "2027-02-16")).toBe(false); // neither 回分 nor a frequency stretches it
  });

  it("is not current from the day it was stopped", () => {
    const r = row({ ...nitro, status: "STOPPED", stoppedAt: new Date("2026-12-10T09:00:00+09:00") });
    expect(isCurrent(r, "2026-12-09")).toBe(true);
    expect(isCurrent(r, "2026-12-10")).toBe(false);
  });

  it("counts among current medicines for the checks as needed; a current regular supply of the same product takes the line while it lasts", () => {
    expect(currentMedications([row({ ...nitro })], "2026-12-20")).toMatchObject([{ display: "ニトロペン舌下錠0.3mg", asNeeded: true, lastIssued: "2026-11-01" }]);
    const loxo = { display: "ロキソニン錠60mg", yjCode: "1149019F1560", code: "1149019F1560" };
    const rows = [
      row({ ...loxo, usageText: "疼痛時（頓用）", asNeeded: true, days: 10 }),
      row({ ...loxo, usageText: "1日3回毎食後", dose: 3, days: 7, occurredAt: new Date("2026-11-10T09:00:00+09:00") }),
    ];
    expect(currentMedications(rows, "2026-11-12")).toMatchObject([{ asNeeded: false, usageText: "1日3回毎食後", supplyEnd: "2026-11-16", lastIssued: "2026-11-10" }]);
    expect(currentMedications(rows, "2026-11-20")).toMatchObject([{ asNeeded: true, usageText: "疼痛時（頓用）", lastIssued: "2026-11-01" }]);
  });

  it("the pharmacist's strip marks a 頓用 drug as such, not as current, and draws its window faint", () => {
    const strips = drugStrips([row({ ...nitro })], "2026-12-20");
    expect(strips).toMatchObject([{ display: "ニトロペン舌下錠0.3mg", current: false, asNeeded: true, windows: [{ start: "2026-11-01", end: "2027-01-29", asNeeded: true }] }]);
    const weekly = drugStrips([row({ usageText: "週1回", days: 4, display: "ボナロン錠35mg", yjCode: "3999018F2029" })], "2026-11-20");
    expect(weekly).toMatchObject([{ current: true, asNeeded: false, windows: [{ end: "2026-11-28", asNeeded: false }] }]);
  });
});

describe("頓用 of the past year", () => {
  const nitro = { display: "ニトロペン舌下錠0.3mg", yjCode: "2171018K1039", code: "2171018K1039", usageText: "胸痛発作時 舌下（頓用）", asNeeded: true, days: 10 };
  const TODAY = "2026-11-26";
  const ago = (days: number, hour = 10) => new Date(Date.parse(`${addDays(TODAY, -days)}T${String(hour).padStart(2, "0")}:00:00+09:00`));

  it("a 頓用 issued 200 days ago is listed as 頓用 with its last dispense date, and is not current", () => {
    const rows = [row({ ...nitro, occurredAt: ago(200) }), row({ ...nitro, kind: "DISPENSE", facilityId: "fac-06", occurredAt: ago(200, 15) })];
    expect(currentMedications(rows, TODAY)).toEqual([]); // the 90-day rule alone dropped it
    expect(asNeededPastYear(rows, TODAY)).toEqual([
      expect.objectContaining({ display: "ニトロペン舌下錠0.3mg", lastDispensed: addDays(TODAY, -200), lastPrescribed: addDays(TODAY, -200), prescribers: ["fac-01"], pharmacies: ["fac-06"] }),
    ]);
  });

  it("one issued 400 days ago is not listed; the year's edge is day 364", () => {
    expect(asNeededPastYear([row({ ...nitro, occurredAt: ago(400) })], TODAY)).toEqual([]);
    expect(asNeededPastYear([row({ ...nitro, occurredAt: ago(365) })], TODAY)).toEqual([]);
    expect(asNeededPastYear([row({ ...nitro, occurredAt: ago(364) })], TODAY)).toHaveLength(1);
  });

  it("a recent 頓用 is listed apart too, with its last prescription when no dispense is visible", () => {
    expect(asNeededPastYear([row({ ...nitro, occurredAt: ago(10) })], TODAY)).toMatchObject([{ lastDispensed: null, lastPrescribed: addDays(TODAY, -10) }]);
  });

  it("is not listed while a regular supply of the product is current, nor once its latest issue was stopped", () => {
    const loxo = { display: "ロキソニン錠60mg", yjCode: "1149019F1560", code: "1149019F1560" };
    const regularNow = [row({ ...loxo, usageText: "疼痛時（頓用）", asNeeded: true, occurredAt: ago(100) }), row({ ...loxo, usageText: "1日3回毎食後", days: 14, occurredAt: ago(3) })];
    expect(asNeededPastYear(regularNow, TODAY)).toEqual([]);
    expect(asNeededPastYear([row({ ...nitro, occurredAt: ago(100), status: "STOPPED", stoppedAt: ago(50) })], TODAY)).toEqual([]);
  });
});

describe("supply amount text", () => {
  const count = (days: number | null, asNeeded = false, covers: number | null = null) => ({ days, asNeeded, covers });
  it("prints 回分 for a 頓用 item and 日分 otherwise, in the reader's language", () => {
    expect(supplyAmount(count(10, true), messages.ja)).toBe("10回分");
    expect(supplyAmount(count(28), messages.ja)).toBe("28日分");
    expect(supplyAmount(count(10, true), messages.en)).toBe("10 doses");
    expect(supplyAmount(count(1, true), messages.en)).toBe("1 dose");
    expect(supplyAmount(count(28), messages.en)).toBe("28 days");
    expect(supplyAmount(count(null), messages.ja)).toBeNull();
  });

  it("prints a weekly drug's 4日分 as four doses covering 28 days, not as four days", () => {
    const weekly = row({ usageText: "週1回起床時", days: 4, display: "ボナロン錠35mg", yjCode: "3999018F2029" });
    expect(cycleDaysCovered(weekly)).toBe(28);
    expect(supplyAmount({ ...weekly, covers: cycleDaysCovered(weekly) }, messages.ja)).toBe("4回分（28日間）");
    expect(supplyAmount({ ...weekly, covers: cycleDaysCovered(weekly) }, messages.en)).toBe("4 doses (28 days)");
    // the days agree with the end date the table prints next to them
    expect(supplyWindow(weekly).end).toBe(addDays(supplyWindow(weekly).start, 27));
    // 月1回 counts calendar months from the issue day (2026-11-01 + 3 months = 92 days); 隔日 two days a dose
    expect(cycleDaysCovered(row({ usageText: "月1回起床時", days: 3 }))).toBe(92);
    expect(cycleDaysCovered(row({ usageText: "隔日 朝食後", days: 7 }))).toBe(14);
    // the twins: a daily drug and a 頓用 one keep their own wording
    const daily = row({ usageText: "1日1回朝食後", days: 28 });
    expect(cycleDaysCovered(daily)).toBeNull();
    expect(supplyAmount({ ...daily, covers: cycleDaysCovered(daily) }, messages.ja)).toBe("28日分");
    const prn = row({ usageText: "週1回 疼痛時", asNeeded: true, days: 5 });
    expect(supplyAmount({ ...prn, covers: cycleDaysCovered(prn) }, messages.ja)).toBe("5回分");
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

/** a warning as the tests read it: its type, key, the products' names and the prescribing sources */
const brief = (cur: CurrentMed[]) => duplicateTherapy(cur).map((w) => ({ type: w.type, key: w.key, products: w.drugs.map((d) => d.display), sources: w.sources }));

describe("duplicate therapy", () => {
  const amlodipineA = { yjCode: "2171022F1022", code: "2171022F1022", display: "アムロジピン錠5mg「A」" };
  const amlodipineB = { yjCode: "2171022F2037", code: "2171022F2037", display: "ノルバスク錠5mg" };
  const nifedipine = { yjCode: "2171014G4020", code: "2171014G4020", display: "ニフェジピンCR錠20mg" };

  it("warns when two facilities prescribe the same ingredient at once, and says which", () => {
    const cur = currentMedications([row({ ...amlodipineA, facilityId: "fac-01" }), row({ ...amlodipineB, facilityId: "fac-03" })], "2026-11-15");
    expect(brief(cur)).toEqual([
      { type: "SAME_INGREDIENT", key: "2171022", products: ["アムロジピン錠5mg「A」", "ノルバスク錠5mg"], sources: ["fac-01", "fac-03"] },
    ]);
  });
  it("does not warn for the same ingredient from one facility (a dose change), nor when the supplies do not overlap", () => {
    const oneFacility = currentMedications([row({ ...amlodipineA }), row({ ...amlodipineB })], "2026-11-15");
    expect(brief(oneFacility)).toEqual([]);
    const sequential = currentMedications(
      [row({ ...amlodipineA, facilityId: "fac-01", occurredAt: new Date("2026-09-01T09:00:00+09:00") }), row({ ...amlodipineB, facilityId: "fac-03" })],
      "2026-11-15",
    );
    expect(brief(sequential)).toEqual([]);
  });
  it("does not count a pharmacy dispensing a visible prescription as a second prescriber", () => {
    const cur = currentMedications([row({ ...amlodipineA, facilityId: "fac-01" }), row({ ...amlodipineA, kind: "DISPENSE", facilityId: "fac-06" })], "2026-11-15");
    expect(brief(cur)).toEqual([]);
  });
  it("warns for the same class with different ingredients from two prescribers", () => {
    const cur = currentMedications([row({ ...amlodipineA, facilityId: "fac-01" }), row({ ...nifedipine, facilityId: "fac-03" })], "2026-11-15");
    expect(brief(cur)).toEqual([{ type: "SAME_CLASS", key: "2171:DHP-CCB", products: ["アムロジピン錠5mg「A」", "ニフェジピンCR錠20mg"], sources: ["fac-01", "fac-03"] }]);
  });
  it("YJ class 2171 is split: a calcium-channel blocker and a nitrate from two prescribers are not duplicate therapy", () => {
    const norvasc = { yjCode: "2171022F2025", code: "2171022F2025", display: "ノルバスク錠5mg" };
    const nitropen = { yjCode: "2171018K1039", code: "2171018K1039", display: "ニトロペン舌下錠0.3mg", usageText: "胸痛発作時 舌下（頓用）", asNeeded: true, days: 10 };
    const cur = currentMedications([row({ ...norvasc, facilityId: "fac-03" }), row({ ...nitropen, facilityId: "fac-01" })], "2026-11-15");
    expect(cur).toHaveLength(2); // both are current, so only the class split keeps them apart
    expect(brief(cur)).toEqual([]);
  });
  it("twin: two dihydropyridines (amlodipine + nifedipine) in class 2171 still warn", () => {
    const adalat = { yjCode: "2171014G4029", code: "2171014G4029", display: "アダラートCR錠20mg" };
    const cur = currentMedications([row({ ...amlodipineB, facilityId: "fac-03" }), row({ ...adalat, facilityId: "fac-01" })], "2026-11-15");
    expect(brief(cur)).toMatchObject([{ type: "SAME_CLASS", products: ["アダラートCR錠20mg", "ノルバスク錠5mg"], sources: ["fac-01", "fac-03"] }]);
  });
  it("a weekly drug from two facilities duplicates while both four-week supplies run", () => {
    const a = { display: "ボナロン錠35mg", yjCode: "3999018F2029", code: "3999018F2029", usageText: "週1回起床時", days: 4 };
    const b = { display: "アレンドロン酸錠35mg「F」", yjCode: "3999018F2070", code: "3999018F2070", usageText: "週1回起床時", days: 4 };
    const rows = [row({ ...a, facilityId: "fac-01" }), row({ ...b, facilityId: "fac-03", occurredAt: new Date("2026-11-20T09:00:00+09:00") })];
    expect(brief(currentMedications(rows, "2026-11-22"))).toEqual([
      { type: "SAME_INGREDIENT", key: "3999018", products: ["アレンドロン酸錠35mg「F」", "ボナロン錠35mg"], sources: ["fac-01", "fac-03"] },
    ]);
    expect(brief(currentMedications(rows, "2026-11-29"))).toEqual([]); // fac-01's four weeks ended on 11-28
  });
  it("a recent 頓用 NSAID from one facility and a regular NSAID from another are the same class at once", () => {
    const rows = [
      row({ display: "ロキソニン錠60mg", yjCode: "1149019F1560", code: "1149019F1560", usageText: "疼痛時（頓用）", asNeeded: true, days: 10, facilityId: "fac-01", occurredAt: new Date("2026-09-20T09:00:00+09:00") }),
      row({ display: "セレコックス錠100mg", yjCode: "1149037F1020", code: "1149037F1020", usageText: "1日2回朝夕食後", facilityId: "fac-03" }),
    ];
    expect(brief(currentMedications(rows, "2026-11-15"))).toEqual([
      { type: "SAME_CLASS", key: "1149", products: ["セレコックス錠100mg", "ロキソニン錠60mg"], sources: ["fac-01", "fac-03"] },
    ]);
  });
  it("a stopped prescription no longer duplicates", () => {
    const cur = currentMedications(
      [row({ ...amlodipineA, facilityId: "fac-01" }), row({ ...amlodipineB, facilityId: "fac-03", status: "STOPPED", stoppedAt: new Date("2026-11-05T09:00:00+09:00") })],
      "2026-11-15",
    );
    expect(brief(cur)).toEqual([]);
  });
});

describe("what a duplicate warning says", () => {
  const norvasc = { yjCode: "2171022F2025", code: "2171022F2025", display: "ノルバスク錠5mg" };
  const amlodin = { yjCode: "2171022F2041", code: "2171022F2041", display: "アムロジン錠5mg" };
  const loxoTablet = { display: "ロキソプロフェンNa錠60mg「YD」", yjCode: "1149019F1609", code: "1149019F1609", usageText: "1日3回毎食後" };
  const loxonin = { display: "ロキソニン錠60mg", yjCode: "1149019F1560", code: "1149019F1560", usageText: "1日3回毎食後" };
  const loxoTape = { display: "ロキソニンテープ100mg", yjCode: "2649734S2024", code: "2649734S2024", usageText: "1日1回 患部に貼付", doseUnit: "枚" };

  it("names each drug with its prescriber, pharmacy and dates, and the ingredient's daily amount in all", () => {
    const rows = [
      row({ ...norvasc, facilityId: "fac-01", occurredAt: new Date("2026-11-10T10:00:00+09:00") }),
      row({ ...norvasc, kind: "DISPENSE", facilityId: "fac-06", occurredAt: new Date("2026-11-10T12:00:00+09:00") }),
      row({ ...amlodin, facilityId: "fac-03" }),
    ];
    const [w] = duplicateTherapy(currentMedications(rows, "2026-11-15"));
    expect(w).toMatchObject({ type: "SAME_INGREDIENT", severity: "HIGH", combined: { ok: true, amount: 10, unit: "mg" } });
    expect(w!.drugs.map((d) => [d.display, d.prescribers, d.pharmacies, d.lastIssued, d.supplyEnd, d.daily])).toEqual([
      ["アムロジン錠5mg", ["fac-03"], [], "2026-11-01", "2026-11-28", { ok: true, amount: 5, unit: "mg", ofIngredient: true }],
      ["ノルバスク錠5mg", ["fac-01"], ["fac-06"], "2026-11-10", "2026-12-07", { ok: true, amount: 5, unit: "mg", ofIngredient: true }],
    ]);
  });

  it("says why the daily amounts cannot be added: a 頓用 among them, or a strength it cannot read", () => {
    const prn = [row({ ...loxonin, facilityId: "fac-01" }), row({ ...loxoTablet, facilityId: "fac-04", usageText: "疼痛時（頓用）", asNeeded: true })];
    expect(duplicateTherapy(currentMedications(prn, "2026-11-15"))[0]!.combined).toEqual({ ok: false, reason: "AS_NEEDED" });
    const blopress = [row({ display: "ブロプレス錠8", yjCode: "2149040F3022", code: "2149040F3022", facilityId: "fac-01" }), row({ display: "カンデサルタン錠8mg", yjCode: "2149040F3030", code: "2149040F3030", facilityId: "fac-03" })];
    expect(duplicateTherapy(currentMedications(blopress, "2026-11-15"))[0]!.combined).toEqual({ ok: false, reason: "UNITS" });
  });

  it("a tablet and a tape of one ingredient are 'same ingredient, different route', at a lower severity, even from one prescriber", () => {
    const rows = [row({ ...loxoTablet, facilityId: "fac-04" }), row({ ...loxoTape, facilityId: "fac-04" })];
    const warnings = duplicateTherapy(currentMedications(rows, "2026-11-15"));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ type: "SAME_INGREDIENT_OTHER_ROUTE", severity: "LOW", key: "1149019", sources: ["fac-04"], combined: { ok: false, reason: "ROUTES" } });
    expect(warnings[0]!.drugs.map((d) => [d.display, d.route, d.daily.ok && `${d.daily.amount}${d.daily.unit}`])).toEqual([
      ["ロキソニンテープ100mg", "EXTERNAL", "100mg"],
      ["ロキソプロフェンNa錠60mg「YD」", "INTERNAL", "180mg"],
    ]);
  });

  it("twin: two tablets of that ingredient from two prescribers stay a plain duplicate, their doses added", () => {
    const rows = [row({ ...loxoTablet, facilityId: "fac-04" }), row({ ...loxonin, facilityId: "fac-01" })];
    expect(duplicateTherapy(currentMedications(rows, "2026-11-15"))).toMatchObject([
      { type: "SAME_INGREDIENT", severity: "HIGH", key: "1149019", combined: { ok: true, amount: 360, unit: "mg" } },
    ]);
  });
});

describe("daily amount of an ingredient", () => {
  const med = (over: Partial<Parameters<typeof dailyDose>[0]>) => dailyDose({ display: "ノルバスク錠5mg", dose: 1, doseUnit: "錠", usageText: "1日1回朝食後", asNeeded: false, notDaily: false, ...over });
  it("multiplies the 1回量 by 1日N回 and the strength in the product's name", () => {
    expect(med({ dose: 2, usageText: "１日２回朝夕食後" })).toEqual({ ok: true, amount: 20, unit: "mg", ofIngredient: true });
    expect(med({ display: "エディロールカプセル0.75μg", doseUnit: "カプセル" })).toEqual({ ok: true, amount: 0.75, unit: "μg", ofIngredient: true });
    expect(med({ display: "カロナール細粒20%", dose: 0.5, doseUnit: "g", usageText: "1日3回毎食後" })).toEqual({ ok: true, amount: 300, unit: "mg", ofIngredient: true });
    expect(med({ display: "ブロプレス錠8" })).toEqual({ ok: true, amount: 1, unit: "錠", ofIngredient: false });
  });
  it("has none for a 頓用, a weekly drug, or a usage without 1日N回", () => {
    expect(med({ asNeeded: true })).toEqual({ ok: false, reason: "AS_NEEDED" });
    expect(med({ notDaily: true })).toEqual({ ok: false, reason: "NOT_DAILY" });
    expect(med({ usageText: "医師の指示通り" })).toEqual({ ok: false, reason: "NO_DOSE" });
    expect(med({ dose: null })).toEqual({ ok: false, reason: "NO_DOSE" });
  });
});

describe("drug strips", () => {
  const amlodin = { yjCode: "2171022F2041", code: "2171022F2041", display: "アムロジン錠5mg" };
  const norvasc = { yjCode: "2171022F2025", code: "2171022F2025", display: "ノルバスク錠5mg" };

  it("draws one strip per product, the two brands of one ingredient side by side, each with its prescriber and pharmacy", () => {
    const rows = [
      row({ ...norvasc, facilityId: "fac-01", occurredAt: new Date("2026-11-10T10:00:00+09:00") }),
      row({ ...norvasc, kind: "DISPENSE", facilityId: "fac-06", occurredAt: new Date("2026-11-10T12:00:00+09:00") }),
      row({ display: "ロキソニン錠60mg", yjCode: "1149019F1560", code: "1149019F1560", facilityId: "fac-04", occurredAt: new Date("2026-11-05T10:00:00+09:00"), days: 40 }),
      row({ ...amlodin, facilityId: "fac-03", occurredAt: new Date("2026-11-01T10:00:00+09:00"), days: 14 }),
      row({ ...amlodin, kind: "DISPENSE", facilityId: "fac-07", occurredAt: new Date("2026-11-02T10:00:00+09:00"), days: 14 }),
    ];
    const strips = drugStrips(rows, "2026-11-12");
    expect(strips.map((s) => [s.display, s.ingredient, s.prescribers, s.pharmacies, s.windows.length])).toEqual([
      ["ロキソニン錠60mg", "1149019", ["fac-04"], [], 1],
      ["ノルバスク錠5mg", "2171022", ["fac-01"], ["fac-06"], 2],
      ["アムロジン錠5mg", "2171022", ["fac-03"], ["fac-07"], 2], // right after its sibling, though it ends before ロキソニン
    ]);
    expect(strips[1]!.ingredientName).toBe("アムロジピンベシル酸塩");
    expect(new Set(strips.map((s) => s.anchor)).size).toBe(3);
  });

  it("the duplicate warning names the strips it is about", () => {
    const rows = [row({ ...norvasc, facilityId: "fac-01" }), row({ ...amlodin, facilityId: "fac-03" })];
    const [warning] = duplicateTherapy(currentMedications(rows, "2026-11-15"));
    const strips = drugStrips(rows, "2026-11-15");
    expect(warning!.drugs.map((d) => d.anchor).sort()).toEqual(strips.map((s) => s.anchor).sort());
    expect(warning!.drugs.map((d) => d.anchor)).toEqual(["drug-2171022F2041", "drug-2171022F2025"]);
  });

  it("a tape of an ingredient sits with its tablets, as the different-route warning treats them", () => {
    const rows = [
      row({ display: "ロキソニンテープ100mg", yjCode: "2649734S2024", code: "2649734S2024", days: 40 }),
      row({ ...amlodin, days: 30 }),
      row({ display: "ロキソプロフェンNa錠60mg「YD」", yjCode: "1149019F1609", code: "1149019F1609", days: 14 }),
    ];
    expect(drugStrips(rows, "2026-11-05").map((s) => [s.display, s.substance])).toEqual([
      ["ロキソニンテープ100mg", "1149019"],
      ["ロキソプロフェンNa錠60mg「YD」", "1149019"],
      ["アムロジン錠5mg", "2171022"],
    ]);
  });

  it("an id is made from any code system safely", () => {
    const strips = drugStrips([row({ yjCode: null, codeSystem: "urn:oid:1.2.392.100495.20.2.74", code: "103299401" })], "2026-11-15");
    expect(strips[0]!.anchor).toMatch(/^drug-[A-Za-z0-9-]+$/);
  });
});

describe("allergy and contraindication conflicts", () => {
  it("flags a current drug whose ingredient the patient is allergic to, and nothing else", () => {
    const cur = currentMedications([row({ yjCode: "1149019F1560", code: "1149019F1560", display: "ロキソプロフェンNa錠60mg" }), row({})], "2026-11-15");
    const conflicts = allergyConflicts(cur, [{ display: "非ステロイド性抗炎症薬（NSAIDs）", kind: "DRUG", yjIngredients: ["1149019", "1147002"] }]);
    expect(conflicts.map((c) => [c.drug.display, c.allergy, c.kind])).toEqual([["ロキソプロフェンNa錠60mg", "非ステロイド性抗炎症薬（NSAIDs）", "DRUG"]]);
  });
});
