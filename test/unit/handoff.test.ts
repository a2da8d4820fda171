import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LarAccount } from '../../src/core/flow.ts';
import {
  EarlierAttemptError,
  HandoffError,
  open,
  openAndMask,
  seal,
  secretLengthProblem,
  secretProblem,
} from '../../src/core/handoff/seal.ts';
import type { RunIdentity } from '../../src/core/run.ts';

const SECRET = 'k3Jd9sLq0PzX7vBn2MwR5tYc8HgF1aEe4UoI6iNm=';
const RUN: RunIdentity = { ci: 'github', repository: 'yourco/app', runId: '9001', runAttempt: '1' };
/** Far cheaper than SCRYPT_COST, so the rules test fast; the shipped cost is tested through dist/. */
const CHEAP = { cost: { N: 1 << 4, r: 1, p: 1 } };
const ACCOUNT: LarAccount = {
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
  it('round-trips the account in the run that sealed it', async () => {
    expect(open(await seal(ACCOUNT, SECRET, RUN, CHEAP), SECRET, RUN, CHEAP)).toEqual(ACCOUNT);
  });

  it('uses a fresh salt and nonce every time, and names its format version', async () => {
    const [a, b] = [await seal(ACCOUNT, SECRET, RUN, CHEAP), await seal(ACCOUNT, SECRET, RUN, CHEAP)];
    expect(a).not.toBe(b);
    expect(a).toMatch(/^axh1\.9001\.1\.[A-Za-z0-9_-]+$/);
    // salt (16) and nonce (12) lead the body; neither repeats.
    const head = (h: string) =>
      Buffer.from(h.split('.')[3] ?? '', 'base64url')
        .subarray(0, 28)
        .toString('hex');
    expect(head(a)).not.toBe(head(b));
  });

  it('holds no piece of any secret in clear, base64 or hex', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ minLength: 8, maxLength: 64 }), fc.string({ minLength: 8, maxLength: 64 }), async (apiKey, password) => {
        const handoff = await seal({ ...ACCOUNT, apiKey, password }, SECRET, RUN, CHEAP);
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

  it('accepts only the one spelling of its body: no stray character or unused bits that a lenient decoder would skip', async () => {
    const handoff = await seal(ACCOUNT, SECRET, RUN, CHEAP);
    for (const extra of ['A', 'Q', '-', '==', '\u00a0x'])
      expect(() => open(handoff + extra, SECRET, RUN, CHEAP), extra).toThrow(HandoffError);
  });

  it('refuses any change to the handoff, anywhere in it', async () => {
    const handoff = await seal(ACCOUNT, SECRET, RUN, CHEAP);
    const body = handoff.lastIndexOf('.') + 1;
    fc.assert(
      fc.property(fc.integer({ min: body, max: handoff.length - 2 }), fc.constantFrom(...'AQgw_-09'), (at, replacement) => {
        fc.pre(handoff[at] !== replacement);
        const tampered = handoff.slice(0, at) + replacement + handoff.slice(at + 1);
        expect(() => open(tampered, SECRET, RUN, CHEAP)).toThrow(HandoffError);
      }),
      { numRuns: 300 },
    );
  });

  it('refuses a handoff whose attempt was edited in clear: the attempt is authenticated', async () => {
    const handoff = (await seal(ACCOUNT, SECRET, { ...RUN, runAttempt: '1' }, CHEAP)).replace('axh1.9001.1.', 'axh1.9001.2.');
    expect(failure(() => open(handoff, SECRET, { ...RUN, runAttempt: '2' }, CHEAP)).message).toMatch(/does not open/);
  });

  it('refuses another secret, another repository and another run, with the reason where it can tell', async () => {
    const handoff = await seal(ACCOUNT, SECRET, RUN, CHEAP);
    expect(failure(() => open(handoff, `${SECRET}x`, RUN, CHEAP)).message).toMatch(/does not open: .*another handoff-secret/);
    expect(failure(() => open(handoff, SECRET, { ...RUN, repository: 'other/app' }, CHEAP)).message).toMatch(/another repository/);
    expect(failure(() => open(handoff, SECRET, { ...RUN, runId: '9002' }, CHEAP)).message).toMatch(
      /made by workflow run 9001, and this is run 9002. A handoff opens only in the run that made it/,
    );
  });

  it('refuses an earlier attempt of the run when handing out a key, and accepts it for revoking', async () => {
    const handoff = await seal(ACCOUNT, SECRET, RUN, CHEAP);
    const rerun = { ...RUN, runAttempt: '2' };
    const error = failure(() => open(handoff, SECRET, rerun, CHEAP));
    expect(error).toBeInstanceOf(EarlierAttemptError);
    expect(error.message).toMatch(/attempt 1 .* this is attempt 2.*Re-run all jobs/);
    expect(open(handoff, SECRET, rerun, { ...CHEAP, acceptEarlierAttempts: true })).toEqual(ACCOUNT);
  });

  it.each([
    ['', /is empty. Pass the account job's output/],
    ['   ', /is empty/],
    ['eyJhbGciOi.not-ours', /is not a handoff axiom-provision made/],
    ['axh9.9001.1.AAAA', /is in the format axh9, and this version of axiom-provision reads axh1/],
    ['axh1.9001.1.AAAA', /is not a complete handoff: it was damaged or cut/],
    ['axh1.09001.1.AAAA', /is not a complete handoff/],
    ['axh1.9001.1.AAAA.BBBB', /is not a complete handoff/],
  ])('explains a malformed handoff %j', (handoff, message) => {
    expect(failure(() => open(handoff, SECRET, RUN)).message).toMatch(message);
  });
});

describe('openAndMask', () => {
  it('hands the key and the password to mask before it returns the account', async () => {
    const handoff = await seal(ACCOUNT, SECRET, RUN, CHEAP);
    const masked: string[] = [];
    expect(openAndMask(handoff, SECRET, RUN, (secret) => masked.push(secret), CHEAP)).toEqual(ACCOUNT);
    expect(masked.sort()).toEqual([ACCOUNT.apiKey, ACCOUNT.password].sort());
  });

  it('masks nothing when the handoff does not open, and passes acceptEarlierAttempts on', async () => {
    const handoff = await seal(ACCOUNT, SECRET, RUN, CHEAP);
    const masked: string[] = [];
    const mask = (secret: string) => void masked.push(secret);
    const rerun = { ...RUN, runAttempt: '2' };
    expect(failure(() => openAndMask(handoff, `${SECRET}x`, RUN, mask, CHEAP))).toBeInstanceOf(HandoffError);
    expect(failure(() => openAndMask(handoff, SECRET, rerun, mask, CHEAP))).toBeInstanceOf(EarlierAttemptError);
    expect(masked).toEqual([]);
    expect(openAndMask(handoff, SECRET, rerun, mask, { ...CHEAP, acceptEarlierAttempts: true })).toEqual(ACCOUNT);
  });
});

describe('secretProblem', () => {
  /**
   * Bytes drawn uniformly, as openssl draws them: no bias towards zeros or repeats, and no shrinking, which would
   * turn a counterexample into bytes no generator makes.
   */
  const randomBytes = (length: number) => fc.noShrink(fc.noBias(fc.uint8Array({ minLength: length, maxLength: length })));
  const randomSecrets = fc.tuple(
    randomBytes(32).map((bytes) => Buffer.from(bytes).toString('base64')),
    randomBytes(32).map((bytes) => Buffer.from(bytes).toString('hex')),
    randomBytes(24).map((bytes) => Buffer.from(bytes).toString('base64url')),
  );

  it('accepts what openssl rand -base64 32 and -hex 32 make, and 24 random bytes in base64url, whatever the bytes', async () => {
    await fc.assert(
      fc.asyncProperty(randomSecrets, async (secrets) => {
        for (const secret of secrets) expect(await secretProblem(secret), secret).toBeUndefined();
      }),
      { numRuns: 10 },
    );
  }, 60_000);

  it.each([
    'abcdefghijklmnopqrstuvwxyz012345',
    'qwertyuiopasdfghjklzxcvbnm123456',
    '0123456789ABCDEF0123456789ABCDEF',
    '0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
    'fedcba9876543210fedcba9876543210',
    '00112233445566778899aabbccddeeff',
    'deadbeefdeadbeefdeadbeefdeadbeef',
    'correct horse battery staple 2024!',
    'correct-horse-battery-staple-2024',
    'winter is coming and so am i 2024',
    'kitten puppy rainbow unicorn castle',
    'password-password-password-12345',
    'sunshine sunshine sunshine sunshine',
    'abcabcabcabcabcabcabcabcabcabcabcabc',
    'a'.repeat(40),
    'qwertyqwertyqwertyqwertyqwerty12',
    '1q2w3e4r5t6y7u8i9o0p1q2w3e4r5t6y',
    'zaq12wsxcde34rfvbgt56yhnmju78ik,',
    // A phrase, encoded: random-looking to the estimator, so what it decodes to is judged too.
    Buffer.from('mysecretpassword').toString('hex'),
    Buffer.from('hello world, this is my secret!').toString('base64'),
    Buffer.from('correct horse battery staple\n').toString('base64url'),
  ])('refuses the guessable %j, quoting none of it, and seal refuses it too', async (secret) => {
    const problem = (await secretProblem(secret)) ?? '';
    expect(problem).toMatch(/^is too easy to guess: .* at least 32 characters, made with: openssl rand -base64 32$/);
    for (let i = 0; i + 8 <= secret.length; i++) expect(problem).not.toContain(secret.slice(i, i + 8));
    await expect(seal(ACCOUNT, secret, RUN)).rejects.toThrow(/^handoff-secret is too easy to guess/);
  });

  it.each([
    ['', /^is empty$/],
    ['short-secret', /12 characters long; it must be at least 32/],
    [`${' '.repeat(20)}k3Jd9sLq0PzX7vBn`, /16 characters long/],
  ])('refuses %j for its length, in seal and open', async (secret, problem) => {
    expect(await secretProblem(secret)).toMatch(problem);
    expect(secretLengthProblem(secret)).toMatch(problem);
    await expect(seal(ACCOUNT, secret, RUN)).rejects.toThrow(/handoff-secret/);
    expect(() => open('axh1.9001.1.AAAA', secret, RUN)).toThrow(/handoff-secret/);
  });

  it('leaves guessability to sealing: open tries any secret long enough, so revoke can end what an earlier version sealed', async () => {
    const handoff = await seal(ACCOUNT, SECRET, RUN, CHEAP);
    expect(() => open(handoff, 'abcdefghijklmnopqrstuvwxyz012345', RUN, CHEAP)).toThrow(/does not open/);
  });
});
