import { describe, expect, it } from "vitest";
import { expectedRows, recordsOf, visitsOf, VISITS_MAX } from "../bench/record-sizes";
import { pathWalker } from "../bench/walk";
import { progressLine } from "../bench/progress-line";
import { largeRecordPlan, recordOfVisits } from "../bench/large-record";
import { firstAndLastTenth } from "../bench/stats";

describe("the bench's filler record sizes", () => {
  const sizes = (n: number) => Array.from({ length: n }, (_, i) => recordsOf(i + 1).records).sort((a, b) => a - b);
  const at = (s: number[], p: number) => s[Math.floor(p * s.length)]!;

  it("gives the large preset's 100,000 patients over 10 million clinical records", () => {
    expect(expectedRows(100_000).records).toBeGreaterThanOrEqual(10_000_000);
  });

  it("spreads record sizes like a real population: most records small, a long tail of heavy ones", () => {
    const s = sizes(10_000);
    expect(at(s, 0.1)).toBeLessThan(20);
    expect(at(s, 0.5)).toBeGreaterThan(25);
    expect(at(s, 0.5)).toBeLessThan(80);
    expect(at(s, 0.99)).toBeGreaterThan(500);
    // the mean sits well above the median: a right-skewed spread, not everyone at ~17 records
    expect(s.reduce((a, b) => a + b, 0) / s.length).toBeGreaterThan(1.8 * at(s, 0.5));
  });

  it("is the same on every run and stays within its bounds", () => {
    expect(Array.from({ length: 50 }, (_, i) => visitsOf(i + 1))).toEqual(Array.from({ length: 50 }, (_, i) => visitsOf(i + 1)));
    for (let n = 1; n <= 20_000; n++) {
      const v = visitsOf(n);
      expect(v >= 0 && v <= VISITS_MAX).toBe(true);
    }
  });

  it("counts the items with the records", () => {
    const r = recordsOf(7);
    expect(r.rows).toBeGreaterThan(r.records);
  });
});

describe("the many-patient walk", () => {
  it("asks for every patient once before asking for any twice, in the same order on every run", () => {
    const paths = Array.from({ length: 1040 }, (_, i) => `/patients/p${i}`);
    const a = pathWalker(paths);
    const first = Array.from({ length: paths.length }, a);
    expect(new Set(first).size).toBe(paths.length);
    expect(a()).toBe(first[0]);
    const b = pathWalker(paths);
    expect(Array.from({ length: 20 }, b)).toEqual(first.slice(0, 20));
    // a shuffle, not the list in order
    expect(first.slice(0, 20)).not.toEqual(paths.slice(0, 20));
  });

  it("refuses an empty list", () => {
    expect(() => pathWalker([])).toThrow(/at least one/);
  });
});

describe("the progress line", () => {
  it("says how far, how fast and how long is left", () => {
    const line = progressLine({ label: "filler patients", done: 25_000, total: 100_000, unit: "patients", rows: 4_000_000, seconds: 200 });
    expect(line).toContain(" 25% 25,000/100,000 patients");
    expect(line).toContain("20,000 rows/s");
    expect(line).toContain("10:00 left");
  });

  it("says how long it took once done", () => {
    expect(progressLine({ label: "x", done: 10, total: 10, unit: "patients", rows: 100, seconds: 65 })).toContain("done in 1:05");
  });
});

describe("the --everything-large record plan", () => {
  it("is the smallest record of at least the asked resources, for each of the bench's sizes", () => {
    for (const n of [1000, 25_000, 50_000, 100_000]) {
      const plan = largeRecordPlan(n);
      expect(plan.resources).toBeGreaterThanOrEqual(n);
      expect(recordOfVisits(plan.visits - 1).resources).toBeLessThan(n);
    }
  });

  it("grows in proportion to the visits: twice the visits, about twice the resources", () => {
    const a = recordOfVisits(3000).resources;
    expect(recordOfVisits(6000).resources / a).toBeCloseTo(2, 1);
  });

  it("refuses a size that is no record", () => {
    expect(() => largeRecordPlan(0)).toThrow(/positive integer/);
    expect(() => largeRecordPlan(2.5)).toThrow(/positive integer/);
  });
});

describe("the first and last tenth of a walk's page times", () => {
  it("compares the record's start with its end: equal pages give equal tenths, pages that slow down show it", () => {
    const flat = Array.from({ length: 100 }, () => 10);
    expect(firstAndLastTenth(flat)).toEqual({ early: { p50: 10, p95: 10 }, late: { p50: 10, p95: 10 } });
    const growing = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(firstAndLastTenth(growing)).toEqual({ early: { p50: 5, p95: 10 }, late: { p50: 95, p95: 100 } });
  });

  it("takes at least one page from a short walk", () => {
    expect(firstAndLastTenth([3, 7])).toEqual({ early: { p50: 3, p95: 3 }, late: { p50: 7, p95: 7 } });
  });
});
