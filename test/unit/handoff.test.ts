import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EarlierAttemptError, HandoffError, open, type RunBinding, type Sealed, seal, secretProblem } from '../../src/core/handoff/seal.ts';

const SECRET = 'k3Jd9sLq0PzX7vBn2MwR5tYc8HgF1aEe4UoI6iNm=';
const RUN: RunBinding = { repository: 'yourco/app', runId: '9001', runAttempt: '1' };
const ACCOUNT: Sealed = {
  email: 'qa+gh-9001-1-abc123@yourco.com',
  userId: '4242',
  apiKey: 'axm_Q2x9bV7nM1kP4rT8wZ3yH6jL0sD5fG',
  password: 'Zr8nB3vX6cM1qW4eT7yU0iO9pA2sD5fG',
  baseUrl: 'https://lar.axiom.ai',
  created: true,
};

const failure = (fn: () => unknown): Error => {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a failure');
};

describe('seal and open', () => {
  it('round-trips the account in the run that sealed it', () => {
    expect(open(seal(ACCOUNT, SECRET, RUN), SECRET, RUN)).toEqual(ACCOUNT);
  });

  it('uses a fresh salt and nonce every time, and names its format version', () => {
    const [a, b] = [seal(ACCOUNT, SECRET, RUN), seal(ACCOUNT, SECRET, RUN)];
    expect(a).not.toBe(b);
    expect(a).toMatch(/^axh1\.9001\.1\.[A-Za-z0-9_-]+$/);
    // salt (16) and nonce (12) lead the body; neither repeats.
    const head = (h: string) =>
      Buffer.from(h.split('.')[3] ?? '', 'base64url')
        .subarray(0, 28)
        .toString('hex');
    expect(head(a)).not.toBe(head(b));
  });

  it('holds no piece of any secret in clear, base64 or hex', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 8, maxLength: 64 }), fc.string({ minLength: 8, maxLength: 64 }), (apiKey, password) => {
        const handoff = seal({ ...ACCOUNT, apiKey, password }, SECRET, RUN);
        for (const secret of [apiKey, password, SECRET]) {
          for (let i = 0; i + 8 <= secret.length; i++) {
            const piece = secret.slice(i, i + 8);
            for (const form of [piece, Buffer.from(piece).toString('base64url'), Buffer.from(piece).toString('hex')]) {
              expect(handoff).not.toContain(form);
            }
          }
        }
      }),
      { numRuns: 200 },
    );
  });

  it('accepts only the one spelling of its body: no stray character or unused bits that a lenient decoder would skip', () => {
    const handoff = seal(ACCOUNT, SECRET, RUN);
    for (const extra of ['A', 'Q', '-', '==', '\u00a0x']) expect(() => open(handoff + extra, SECRET, RUN), extra).toThrow(HandoffError);
  });

  it('refuses any change to the handoff, anywhere in it', () => {
    const handoff = seal(ACCOUNT, SECRET, RUN);
    const body = handoff.lastIndexOf('.') + 1;
    fc.assert(
      fc.property(fc.integer({ min: body, max: handoff.length - 2 }), fc.constantFrom(...'AQgw_-09'), (at, replacement) => {
        fc.pre(handoff[at] !== replacement);
        const tampered = handoff.slice(0, at) + replacement + handoff.slice(at + 1);
        expect(() => open(tampered, SECRET, RUN)).toThrow(HandoffError);
      }),
      { numRuns: 300 },
    );
  });

  it('refuses a handoff whose attempt was edited in clear: the attempt is authenticated', () => {
    const handoff = seal(ACCOUNT, SECRET, { ...RUN, runAttempt: '1' }).replace('axh1.9001.1.', 'axh1.9001.2.');
    expect(failure(() => open(handoff, SECRET, { ...RUN, runAttempt: '2' })).message).toMatch(/does not open/);
  });

  it('refuses another secret, another repository and another run, with the reason where it can tell', () => {
    const handoff = seal(ACCOUNT, SECRET, RUN);
    expect(failure(() => open(handoff, `${SECRET}x`, RUN)).message).toMatch(/does not open: .*another handoff-secret/);
    expect(failure(() => open(handoff, SECRET, { ...RUN, repository: 'other/app' })).message).toMatch(/another repository/);
    expect(failure(() => open(handoff, SECRET, { ...RUN, runId: '9002' })).message).toMatch(
      /made by workflow run 9001, and this is run 9002. A handoff opens only in the run that made it/,
    );
  });

  it('refuses an earlier attempt of the run when handing out a key, and accepts it for revoking', () => {
    const handoff = seal(ACCOUNT, SECRET, RUN);
    const rerun = { ...RUN, runAttempt: '2' };
    const error = failure(() => open(handoff, SECRET, rerun));
    expect(error).toBeInstanceOf(EarlierAttemptError);
    expect(error.message).toMatch(/attempt 1 .* this is attempt 2.*Re-run all jobs/);
    expect(open(handoff, SECRET, rerun, { acceptEarlierAttempts: true })).toEqual(ACCOUNT);
  });

  it.each([
    ['', /is empty. Pass the account job's output/],
    ['   ', /is empty/],
    ['eyJhbGciOi.not-ours', /is not a handoff this action made/],
    ['axh9.9001.1.AAAA', /is in the format axh9, and this version of the action reads axh1/],
    ['axh1.9001.1.AAAA', /is not a complete handoff: it was damaged or cut/],
    ['axh1.09001.1.AAAA', /is not a complete handoff/],
    ['axh1.9001.1.AAAA.BBBB', /is not a complete handoff/],
  ])('explains a malformed handoff %j', (handoff, message) => {
    expect(failure(() => open(handoff, SECRET, RUN)).message).toMatch(message);
  });
});

describe('secretProblem', () => {
  it('accepts what openssl rand -base64 32 makes', () => {
    expect(secretProblem(SECRET)).toBeUndefined();
  });
  it('accepts random base64 and hex secrets, nearly always', () => {
    const rejected = (encoding: BufferEncoding, bytes: number) =>
      Array.from({ length: 500 }, () => randomBytes(bytes).toString(encoding)).filter((s) => secretProblem(s) !== undefined).length;
    expect(rejected('base64', 32)).toBe(0);
    expect(rejected('hex', 32)).toBeLessThanOrEqual(2);
    expect(rejected('hex', 16)).toBeLessThanOrEqual(8);
  });
  it.each([
    ['', /is empty/],
    ['short-secret', /12 characters long; it must be at least 32/],
    ['a'.repeat(40), /does not look random/],
    ['abcabcabcabcabcabcabcabcabcabcabcabc', /does not look random/],
    ['password-password-password-12345', /does not look random/],
    ['a b c d e f g h i j k l m n o p q', /does not look random/],
    [`${' '.repeat(20)}k3Jd9sLq0PzX7vBn`, /16 characters long/],
  ])('refuses %j', (secret, problem) => {
    expect(secretProblem(secret)).toMatch(problem);
    expect(() => seal(ACCOUNT, secret, RUN)).toThrow(/handoff-secret/);
  });
});
