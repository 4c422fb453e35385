/** Nearest-rank percentile of a list of milliseconds. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1]!;
}

/** Milliseconds to 0.1 ms. */
export const ms1 = (v: number) => Math.round(v * 10) / 10;

export interface Summary {
  p50: number;
  p95: number;
}

export const summarize = (values: readonly number[]): Summary => ({ p50: ms1(percentile(values, 50)), p95: ms1(percentile(values, 95)) });
