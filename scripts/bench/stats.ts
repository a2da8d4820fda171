// Order statistics and the bench's verdict. A shared, noisy machine moves single runs a lot, so every goal is
// judged on the median of many paired measurements, and only a clear miss fails the run.

/** The p-quantile (0…1) by linear interpolation between the closest ranks. */
export function quantile(xs: readonly number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return Number.NaN;
  const at = (s.length - 1) * p;
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  return (s[lo] ?? 0) + ((s[hi] ?? 0) - (s[lo] ?? 0)) * (at - lo);
}

export const median = (xs: readonly number[]): number => quantile(xs, 0.5);

export interface Spread {
  readonly median: number;
  readonly p25: number;
  readonly p75: number;
  readonly min: number;
  readonly max: number;
}

export function spread(xs: readonly number[]): Spread {
  return { median: median(xs), p25: quantile(xs, 0.25), p75: quantile(xs, 0.75), min: quantile(xs, 0), max: quantile(xs, 1) };
}

/**
 * PASS: the median meets the goal. WARN: the median misses it, but the goal lies inside the interquartile
 * range, which a busy machine can cause. FAIL (the bench exits non-zero): the whole interquartile range misses.
 */
export type Verdict = 'PASS' | 'WARN' | 'FAIL';

export function atMost(s: Spread, goal: number): Verdict {
  if (s.median <= goal) return 'PASS';
  return s.p25 <= goal ? 'WARN' : 'FAIL';
}
