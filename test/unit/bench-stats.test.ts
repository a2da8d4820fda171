import { describe, expect, it } from 'vitest';
import { atMost, quantile, spread } from '../../scripts/bench/stats.ts';

describe('quantile', () => {
  it('interpolates linearly between the closest ranks, in any input order', () => {
    expect(quantile([5, 1, 4, 2, 3], 0.25)).toBe(2);
    expect(quantile([4, 3, 2, 1], 0.25)).toBe(1.75);
    expect(quantile([4, 3, 2, 1], 0.5)).toBe(2.5);
    expect(quantile([], 0.5)).toBeNaN();
  });
});

describe('atMost: the verdict on a goal', () => {
  it('passes when the median meets the goal', () => {
    expect(atMost(spread([0.7, 0.8, 0.85, 0.9, 0.95]), 0.92)).toBe('PASS');
  });
  it('passes when the median misses but the lower quartile meets the goal: a busy machine can do that', () => {
    const ratios = [0.88, 0.92, 0.95, 0.97, 0.99];
    expect(spread(ratios).median).toBeGreaterThan(0.92);
    expect(atMost(spread(ratios), 0.92)).toBe('PASS');
  });
  it('fails when the whole interquartile range misses, even if some pairs meet the goal', () => {
    const ratios = [0.8, 0.93, 0.95, 0.97, 0.99];
    expect(spread(ratios).min).toBeLessThan(0.92);
    expect(atMost(spread(ratios), 0.92)).toBe('FAIL');
  });
});
