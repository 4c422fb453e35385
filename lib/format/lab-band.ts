/**
 * The geometry of a lab trend's reference band, as pure functions so that which side is shaded is
 * unit-tested rather than left to the chart library. Recharts' ReferenceArea treats a missing edge as
 * "the axis' far end on the side of the other edge" in a way that put one-sided bands on the wrong
 * side (eGFR ≥ 60 shaded below 60, TG ≤ 149 shaded above it), so both edges are always given here.
 */

export interface Band {
  /** lower edge of the normal band, in the value's unit */
  y1: number;
  /** upper edge */
  y2: number;
  /** the band continues past the plot's top (≥ L) or bottom (≤ H): drawn open-ended */
  openTop: boolean;
  openBottom: boolean;
}

/**
 * The y-axis domain: every value and every stated limit fits, with a margin, so that a one-sided band
 * always has a visible part on its normal side and no point sits on the frame.
 */
export function chartDomain(values: readonly number[], refLow: number | null, refHigh: number | null): [number, number] {
  const all = [...values, ...(refLow === null ? [] : [refLow]), ...(refHigh === null ? [] : [refHigh])].filter(Number.isFinite);
  if (all.length === 0) return [0, 1];
  let lo = Math.min(...all);
  let hi = Math.max(...all);
  if (lo === hi) {
    const pad = Math.abs(lo) * 0.1 || 1;
    return [lo - pad, hi + pad];
  }
  // A one-sided band gets room beyond its limit even when every value is on the other side.
  const span = hi - lo;
  if (refLow !== null && refHigh === null && hi <= refLow) hi = refLow + span * 0.25;
  if (refHigh !== null && refLow === null && lo >= refHigh) lo = refHigh - span * 0.25;
  const pad = (hi - lo) * 0.08;
  // Most tests cannot be negative; do not invent a negative axis for them.
  const bottom = lo >= 0 && lo - pad < 0 ? 0 : lo - pad;
  return [bottom, hi + pad];
}

/**
 * The normal band within a domain: ≥ L runs from L to the top, ≤ H from the bottom to H, L–H between
 * the two. null when no limit is stated, or when the band lies wholly outside the domain.
 */
export function normalBand(domain: readonly [number, number], refLow: number | null, refHigh: number | null): Band | null {
  if (refLow === null && refHigh === null) return null;
  const [min, max] = domain;
  const y1 = refLow === null ? min : Math.max(min, refLow);
  const y2 = refHigh === null ? max : Math.min(max, refHigh);
  if (!(y2 > y1)) return null;
  return { y1, y2, openTop: refHigh === null, openBottom: refLow === null };
}

export type RangeStatus = "high" | "low" | "abnormal" | "normal" | "unknown";

/**
 * Flags that are an answer, not a warning (HL7 v2 table 0078; FHIR's ObservationInterpretation has
 * the same codes): N normal, NEG negative, and the susceptibilities S, MS and VS, which say the
 * organism is susceptible to the drug: what the prescriber hopes to read. Each is still shown as the
 * result's letter; it is not drawn as out of range nor makes its panel "abnormal". R (resistant), I
 * (intermediate), POS and every other flag stay warnings.
 */
const ANSWER_FLAGS = new Set(["N", "NEG", "S", "MS", "VS"]);
export const isWarningFlag = (flag: string | null | undefined): flag is string => !!flag && !ANSWER_FLAGS.has(flag);

/**
 * Whether one result is in its own range. The laboratory's flag decides when it gave one (it may use
 * a range or rule the chart does not know); without a flag the result's own limits decide. The chart's
 * marker and the table's H/L label come from this one function, so they cannot disagree.
 */
export function rangeStatus(value: number, flag: string | null, refLow: number | null, refHigh: number | null): RangeStatus {
  if (flag === "H" || flag === "HH") return "high";
  if (flag === "L" || flag === "LL") return "low";
  if (flag === "A" || flag === "ABNORMAL") return "abnormal";
  if (flag === "N") return "normal";
  if (refHigh !== null && value > refHigh) return "high";
  if (refLow !== null && value < refLow) return "low";
  return refLow === null && refHigh === null ? "unknown" : "normal";
}

export interface Axis {
  domain: [number, number];
  ticks: number[];
  /** decimals a tick needs: 0.5 steps need one, 2.5 steps one, 10 steps none */
  decimals: number;
}

/**
 * Round numbers for the y-axis: about five ticks at a step of 1, 2, 2.5 or 5 times a power of ten,
 * the domain widened to whole steps. A chart's own "auto" ticks over a computed domain came out as
 * 4.271999999999999, which nobody can read a value off.
 */
export function niceAxis([lo, hi]: readonly [number, number], target = 5): Axis {
  const raw = (hi - lo) / target || 1;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? 10 * magnitude;
  const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9)) + (Number.isInteger(step / magnitude) ? 0 : 1);
  const fix = (x: number) => Number(x.toFixed(decimals));
  const bottom = fix(Math.floor(lo / step + 1e-9) * step);
  const top = fix(Math.ceil(hi / step - 1e-9) * step);
  const ticks: number[] = [];
  for (let i = 0; bottom + i * step <= top + step / 1e6; i++) ticks.push(fix(bottom + i * step));
  return { domain: [bottom, top], ticks, decimals };
}
