// Order statistics and the bench's verdict. A shared, noisy machine moves single runs a lot, so a goal is judged
// on the spread of many paired measurements, and only a clear miss fails the run.

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
 * FAIL (the bench exits non-zero) only when the whole interquartile range misses the goal: a busy machine can push
 * the median over it, so a median that misses is not yet a clear miss.
 */
export type Verdict = 'PASS' | 'FAIL';

export function atMost(s: Spread, goal: number): Verdict {
  return s.p25 <= goal ? 'PASS' : 'FAIL';
}
