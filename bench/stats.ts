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

/**
 * p50 of the first and of the last tenth of a walk's page times (at least one page each): equal when a
 * page costs the same wherever it falls in the record, the later larger when a page's read scans from
 * the record's start.
 */
export function firstAndLastTenth(times: readonly number[]): { early: Summary; late: Summary } {
  const n = Math.max(1, Math.floor(times.length / 10));
  return { early: summarize(times.slice(0, n)), late: summarize(times.slice(-n)) };
}
