import { describe, expect, it } from "vitest";
import { chartDomain, isWarningFlag, niceAxis, normalBand, rangeStatus } from "../lib/format/lab-band";

/**
 * Which side of a lab trend is shaded as normal. A one-sided range was once drawn on the wrong side
 * (eGFR ≥ 60 shaded below 60, TG ≤ 149 shaded above it), so CKD values sat in the green band.
 */
describe("the reference band of a lab trend", () => {
  it("shades ≥ L from L up to the top of the plot (eGFR ≥ 60), never below it", () => {
    const domain = chartDomain([51, 55, 58, 72], 60, null);
    const band = normalBand(domain, 60, null)!;
    expect(band.y1).toBe(60);
    expect(band.y2).toBe(domain[1]);
    expect(band).toMatchObject({ openTop: true, openBottom: false });
    for (const ckd of [51, 55, 58]) expect(ckd < band.y1).toBe(true);
  });

  it("shades ≤ H from the bottom of the plot up to H (TG ≤ 149), never above it", () => {
    const domain = chartDomain([120, 180, 240], null, 149);
    const band = normalBand(domain, null, 149)!;
    expect(band.y1).toBe(domain[0]);
    expect(band.y2).toBe(149);
    expect(band).toMatchObject({ openTop: false, openBottom: true });
    for (const high of [180, 240]) expect(high > band.y2).toBe(true);
  });

  it("shades a two-sided range between its limits (HbA1c 4.6–6.2)", () => {
    const domain = chartDomain([5.8, 6.9, 7.4], 4.6, 6.2);
    expect(normalBand(domain, 4.6, 6.2)).toEqual({ y1: 4.6, y2: 6.2, openTop: false, openBottom: false });
  });

  it("leaves room on the normal side of a one-sided band even when every value is outside it", () => {
    const domain = chartDomain([30, 35, 41], 60, null);
    expect(domain[1]).toBeGreaterThan(60);
    const band = normalBand(domain, 60, null)!;
    expect(band.y2 - band.y1).toBeGreaterThan(0);
    const low = chartDomain([200, 260], null, 149);
    expect(low[0]).toBeLessThan(149);
  });

  it("draws no band without a stated range, and fits every value and limit in the domain", () => {
    expect(normalBand(chartDomain([1, 2], null, null), null, null)).toBeNull();
    const [lo, hi] = chartDomain([5, 300], 40, 150);
    expect(lo).toBeLessThanOrEqual(5);
    expect(hi).toBeGreaterThanOrEqual(300);
    expect(lo).toBeGreaterThanOrEqual(0); // no invented negative axis for a positive test
  });
});

describe("each point's in-or-out-of-range status", () => {
  it("follows the laboratory's H/L flag when there is one", () => {
    expect(rangeStatus(58, "L", 60, null)).toBe("low");
    expect(rangeStatus(180, "H", null, 149)).toBe("high");
    expect(rangeStatus(7.4, "HH", 4.6, 6.2)).toBe("high");
    // the laboratory said normal by its own rule: the chart agrees with the flag, not with a guess
    expect(rangeStatus(61, "N", null, 60)).toBe("normal");
  });

  it("falls back to the result's own limits when no flag was sent", () => {
    expect(rangeStatus(55, null, 60, null)).toBe("low");
    expect(rangeStatus(72, null, 60, null)).toBe("normal");
    expect(rangeStatus(150, null, null, 149)).toBe("high");
    expect(rangeStatus(149, null, null, 149)).toBe("normal");
    expect(rangeStatus(5, null, null, null)).toBe("unknown");
  });
});

describe("the y-axis of a lab trend", () => {
  it("ticks at round steps a clinician can read, covering the domain", () => {
    expect(niceAxis([4.272, 9.028])).toEqual({ domain: [4, 10], ticks: [4, 5, 6, 7, 8, 9, 10], decimals: 0 });
    expect(niceAxis([49.744, 76.656]).ticks).toEqual([40, 50, 60, 70, 80]);
    const cre = niceAxis([0.61, 1.23]);
    expect(cre.ticks.map((t) => t.toFixed(cre.decimals))).toEqual(["0.6", "0.8", "1.0", "1.2", "1.4"]);
    for (const [lo, hi] of [[3.1, 6.4], [0.01, 0.37], [112.3, 187.9], [5.5, 5.9]] as const) {
      const a = niceAxis([lo, hi]);
      expect(a.domain[0]).toBeLessThanOrEqual(lo);
      expect(a.domain[1]).toBeGreaterThanOrEqual(hi);
      // every label is short: no 4.271999999999999
      for (const t of a.ticks) expect(t.toFixed(a.decimals).length).toBeLessThanOrEqual(6);
      const steps = a.ticks.slice(1).map((t, i) => Number((t - a.ticks[i]!).toFixed(6)));
      expect(new Set(steps).size).toBe(1);
    }
  });
});

describe("which flags warn", () => {
  it("warns for out-of-range, abnormal, resistant, intermediate and positive; not for normal, negative or susceptible", () => {
    for (const f of ["H", "HH", "L", "LL", "A", "AA", "R", "I", "POS", ">", "<"]) expect(isWarningFlag(f), f).toBe(true);
    for (const f of ["N", "NEG", "S", "MS", "VS", null, undefined, ""]) expect(isWarningFlag(f), String(f)).toBe(false);
  });
});
