import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BACKOFF, backoffMs, decide, type Failure, POLICIES, parseRetryAfter, throttleWaitMs } from '../../src/core/lar/policy.ts';

const FAILURES: readonly Failure[] = ['unsent', 'lost', 'server', 'throttled', 'unavailable', 'garbled'];
const history = (failure: Failure, failures: number, throttles = 0, retryAfterMs?: number) => ({
  failure,
  failures,
  throttles,
  retryAfterMs,
});

describe('POLICIES', () => {
  it('repeats a login whose password is not proven only when the request provably never left, or was throttled', () => {
    const unproven = POLICIES['login-unproven'];
    expect([...unproven.retryOn]).toEqual(['unsent']);
    expect([...unproven.waitOut]).toEqual(['throttled']);
  });
  it('never lists a failure as both retried and waited out', () => {
    for (const policy of Object.values(POLICIES)) for (const failure of policy.waitOut) expect(policy.retryOn.has(failure)).toBe(false);
  });
  it('retries a garbled body only for the calls that change nothing, or only replace a key', () => {
    expect(
      Object.entries(POLICIES)
        .filter(([, p]) => p.retryOn.has('garbled'))
        .map(([name]) => name),
    ).toEqual(['has-existing', 'key/create']);
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

describe('throttleWaitMs', () => {
  it('waits at least what Retry-After asks and the backoff, at most the longer of half as long again and the backoff', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 600_000 }),
        fc.integer({ min: 1, max: 30 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (asked, throttles, random) => {
          const wait = throttleWaitMs(asked, throttles, random);
          expect(wait).toBeGreaterThanOrEqual(Math.max(asked, backoffMs(throttles, random)));
          expect(wait).toBeLessThanOrEqual(Math.max(Math.round(asked * 1.5), BACKOFF.maxMs));
        },
      ),
    );
  });
  it('does not let a server that keeps asking for no wait make the waits any shorter than backoff', () => {
    const waits = [1, 2, 3, 4, 5, 6].map((throttles) => throttleWaitMs(0, throttles, 0));
    expect(waits).toEqual([125, 250, 500, 1000, 2000, 2000]);
  });
  it('spreads clients told the same second over half a second more', () => {
    expect([throttleWaitMs(1000, 1, 0), throttleWaitMs(1000, 1, 0.999)]).toEqual([1000, 1500]);
  });
  it('backs off when the server names no time', () => {
    expect(throttleWaitMs(undefined, 3, 1)).toBe(backoffMs(3, 1));
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
    expect(parseRetryAfter('9'.repeat(400), now)).toBeUndefined();
  });
});

describe('decide', () => {
  it('never retries what the policy does not list, and says why a login that may have counted is not repeated', () => {
    const notRepeated = { retry: false, why: expect.stringMatching(/^not repeated: the server may have counted that login/) };
    expect(decide(POLICIES.create, history('garbled', 1), 60_000, 0.5)).toEqual({ retry: false });
    expect(decide(POLICIES['login-unproven'], history('lost', 1), 60_000, 0.5)).toEqual(notRepeated);
    expect(decide(POLICIES['login-unproven'], history('unavailable', 1, 0, 1000), 60_000, 0.5)).toEqual(notRepeated);
  });
  it('stops at the cap of failed attempts', () => {
    expect(decide(POLICIES.login, history('server', 2), 60_000, 0.5).retry).toBe(true);
    expect(decide(POLICIES.login, history('server', 3), 60_000, 0.5)).toEqual({ retry: false, why: 'gave up after 3 failed attempts' });
  });
  it('waits throttling out as long as the deadline allows, however often it came, at the capped backoff at least', () => {
    expect(decide(POLICIES.login, history('throttled', 0, 500, 1000), 60_000, 0)).toEqual({ retry: true, waitMs: BACKOFF.maxMs / 2 });
    expect(decide(POLICIES['key/create'], history('throttled', 3, 50, 5000), 60_000, 0)).toEqual({ retry: true, waitMs: 5000 });
  });
  it('waits out only 3 throttled logins whose password is not proven, in case whatever throttles also counts', () => {
    expect(decide(POLICIES['login-unproven'], history('throttled', 0, 3, 0), 60_000, 0)).toEqual({ retry: true, waitMs: 500 });
    expect(decide(POLICIES['login-unproven'], history('throttled', 0, 4, 0), 60_000, 0)).toEqual({
      retry: false,
      why: 'gave up after 4 throttled attempts, in case whatever throttled them counted them as failed logins',
    });
  });
  it('gives up at once when Retry-After would run past the deadline', () => {
    const decision = decide(POLICIES.create, history('throttled', 0, 1, 120_000), 10_000, 0.5);
    expect(decision.retry).toBe(false);
    expect(decision.retry === false && decision.why).toMatch(/asked to wait 120 s.*too short/);
  });
  it('blames the deadline, not the server, when the backoff made the wait too long', () => {
    expect(decide(POLICIES.create, history('throttled', 0, 5, 0), 2000, 0)).toEqual({
      retry: false,
      why: 'the time left before timeout-seconds (2 s) is too short to try again',
    });
  });
  it('backs off after a 5xx even when Retry-After asks for no wait', () => {
    expect(decide(POLICIES.create, history('server', 2, 0, 0), 60_000, 0)).toEqual({ retry: true, waitMs: 250 });
  });
  it('never plans a wait that leaves less than a short attempt before the deadline', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...(Object.keys(POLICIES) as (keyof typeof POLICIES)[])),
        fc.constantFrom(...FAILURES),
        fc.integer({ min: 1, max: 10 }),
        fc.integer({ min: 1, max: 1000 }),
        fc.option(fc.integer({ min: 0, max: 200_000 }), { nil: undefined }),
        fc.integer({ min: 0, max: 120_000 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (name, failure, failures, throttles, retryAfterMs, remainingMs, random) => {
          const policy = POLICIES[name];
          const decision = decide(policy, history(failure, failures, throttles, retryAfterMs), remainingMs, random);
          if (!decision.retry) return;
          expect(decision.waitMs + 500).toBeLessThanOrEqual(remainingMs);
          expect(policy.retryOn.has(failure) || policy.waitOut.has(failure)).toBe(true);
          if (policy.retryOn.has(failure)) expect(failures).toBeLessThan(policy.maxFailures);
          if (policy.waitOut.has(failure)) expect(throttles).toBeLessThanOrEqual(policy.maxThrottles);
          if (retryAfterMs !== undefined) expect(decision.waitMs).toBeGreaterThanOrEqual(retryAfterMs);
          const tries = policy.waitOut.has(failure) ? throttles : failures;
          expect(decision.waitMs).toBeGreaterThanOrEqual(backoffMs(tries, random));
        },
      ),
    );
  });
});
