import { describe, expect, it } from 'vitest';
import { BACKOFF, backoffMs, decide, POLICIES, parseRetryAfter } from '../../src/lar/policy.ts';

describe('POLICIES', () => {
  it('caps attempts: 4 per call, 3 for login', () => {
    expect(Object.fromEntries(Object.entries(POLICIES).map(([call, p]) => [call, p.maxAttempts]))).toEqual({
      create: 4,
      login: 3,
      'has-existing': 4,
      'key/create': 4,
    });
  });
  it('retries an unreadable body only for the calls that change nothing, or only replace a key', () => {
    expect(POLICIES.create.retryOn.has('unreadable')).toBe(false);
    expect(POLICIES.login.retryOn.has('unreadable')).toBe(false);
    expect(POLICIES['has-existing'].retryOn.has('unreadable')).toBe(true);
    expect(POLICIES['key/create'].retryOn.has('unreadable')).toBe(true);
  });
});

describe('backoffMs', () => {
  it('doubles from 125–250 ms with jitter, up to the cap', () => {
    expect([backoffMs(1, 0), backoffMs(1, 1)]).toEqual([125, 250]);
    expect([backoffMs(2, 0), backoffMs(2, 1)]).toEqual([250, 500]);
    expect(backoffMs(20, 1)).toBe(BACKOFF.maxMs);
    expect(backoffMs(20, 0)).toBe(BACKOFF.maxMs / 2);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-11-25T10:00:00Z');
  it('reads delta-seconds and HTTP dates', () => {
    expect(parseRetryAfter('3', now)).toBe(3000);
    expect(parseRetryAfter('Wed, 25 Nov 2026 10:00:07 GMT', now)).toBe(7000);
    expect(parseRetryAfter('Wed, 25 Nov 2026 09:00:00 GMT', now)).toBe(0);
  });
  it('ignores what it cannot read', () => {
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('-1', now)).toBeUndefined();
  });
});

describe('decide', () => {
  it('never retries what the policy does not list', () => {
    expect(decide(POLICIES.create, { failure: 'unreadable', attempt: 1 }, 60_000, 0.5)).toEqual({ retry: false });
  });
  it('stops at the attempt cap', () => {
    expect(decide(POLICIES.login, { failure: 'server', attempt: 2 }, 60_000, 0.5).retry).toBe(true);
    expect(decide(POLICIES.login, { failure: 'server', attempt: 3 }, 60_000, 0.5)).toEqual({
      retry: false,
      why: 'gave up after 3 attempts',
    });
  });
  it('waits what Retry-After asks, when it fits the deadline', () => {
    expect(decide(POLICIES.create, { failure: 'throttled', attempt: 1, retryAfterMs: 2000 }, 10_000, 0.5)).toEqual({
      retry: true,
      waitMs: 2000,
    });
  });
  it('gives up at once when Retry-After would run past the deadline', () => {
    const decision = decide(POLICIES.create, { failure: 'throttled', attempt: 1, retryAfterMs: 120_000 }, 10_000, 0.5);
    expect(decision.retry).toBe(false);
    expect(decision.retry === false && decision.why).toMatch(/asked to wait 120 s.*too short/);
  });
});
