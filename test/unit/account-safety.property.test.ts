// The account-safety rules, searched rather than sampled: random fault schedules (a fault per request, before or
// after the server acts), account states and modes, run through the real flow and client against an in-memory
// LAR on a virtual clock. Reproduce a failure with FC_SEED=<seed> (fast-check prints the seed and path).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { keyFingerprint } from '../../src/core/account/secrets.ts';
import { ProvisionError, type ProvisionPlan, runFlow } from '../../src/core/flow.ts';
import { LarClient, LarError } from '../../src/core/lar/client.ts';
import { RevokeError, revokeKey } from '../../src/core/revoke-key.ts';
import { FAULTS, type Fault, faultyExchange, ModelLar, VirtualClock } from '../model/lar-model.ts';
import { LOCK_AFTER_FAILED_LOGINS, type User } from '../stand-in/lar-rules.ts';

const RUNS = Number(process.env.FC_RUNS ?? 3000);
const seed = process.env.FC_SEED === undefined ? {} : { seed: Number(process.env.FC_SEED) };
const PIECE = 8;

const PROFILE = Object.freeze({ name: 'CI Test User', company: '', country: '', role: '', campaign: 'prop', language: 'en-GB' });
const GIVEN_PASSWORD = 'Gv7kQ2m9xZp4LwR8sT1q';
const GENERATED_PASSWORD = 'Hq3nB8vY6cJ1eW5rT9uK2aZs';
const OTHER_PASSWORD = 'Xo4iU7yN0mF3gD6hS2lP';

/** What is at the address before the run starts. */
interface Prior {
  readonly exists: boolean;
  /** Whether it opens with the password the run logs in with. */
  readonly passwordMatches: boolean;
  readonly hasKey: boolean;
  readonly blocked: boolean;
}

interface Scenario {
  readonly mode: 'create' | 'existing';
  readonly tagGenerated: boolean;
  readonly passwordGenerated: boolean;
  readonly replaceKey: boolean;
  readonly prior: Prior;
  readonly schedule: readonly Fault[];
  readonly timeoutMs: number;
  readonly random: number;
}

const scenarios: fc.Arbitrary<Scenario> = fc
  .record({
    mode: fc.constantFrom('create', 'existing'),
    tagGenerated: fc.boolean(),
    passwordGenerated: fc.boolean(),
    replaceKey: fc.boolean(),
    prior: fc.record({ exists: fc.boolean(), passwordMatches: fc.boolean(), hasKey: fc.boolean(), blocked: fc.boolean() }),
    schedule: fc.array(fc.constantFrom(...FAULTS), { maxLength: 12 }),
    timeoutMs: fc.constantFrom(5_000, 20_000, 60_000),
    random: fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
  })
  .map((s) => {
    // A generated tag holds a random part: nobody else can have registered that address. A generated password is
    // known to nobody, so no earlier account opens with it. Mode existing is told the address and the password.
    const existing = s.mode === 'existing';
    const tagGenerated = !existing && s.tagGenerated;
    const passwordGenerated = !existing && s.passwordGenerated;
    const exists = existing || (s.prior.exists && !tagGenerated);
    return {
      ...s,
      tagGenerated,
      passwordGenerated,
      prior: { ...s.prior, exists, passwordMatches: exists && s.prior.passwordMatches && !passwordGenerated },
    };
  });

interface Outcome {
  readonly server: ModelLar;
  readonly prior: User | undefined;
  readonly priorKeys: readonly string[];
  readonly priorFailures: number;
  readonly result: { ok: true; apiKey: string; email: string; created: boolean } | { ok: false; error: unknown };
  readonly lines: readonly string[];
  readonly masked: ReadonlySet<string>;
  readonly elapsedMs: number;
  readonly loginsBefore: number;
}

const EMAIL = 'qa+nightly@yourco.com';

async function runProvision(s: Scenario): Promise<Outcome> {
  const server = new ModelLar();
  const clock = new VirtualClock();
  const password = s.passwordGenerated ? GENERATED_PASSWORD : GIVEN_PASSWORD;
  const prior = s.prior.exists
    ? server.seedUser(EMAIL, s.prior.passwordMatches ? password : OTHER_PASSWORD, {
        apiKey: s.prior.hasKey,
        failedLogins: s.prior.blocked ? LOCK_AFTER_FAILED_LOGINS : 0,
      })
    : undefined;
  const priorKeys = [...(prior?.keys ?? [])];
  const lines: string[] = [];
  const masked = new Set<string>();
  const deadline = clock.deadline(s.timeoutMs);
  const client = new LarClient({
    exchange: faultyExchange(server, clock, s.schedule),
    deadline,
    mask: (secret) => masked.add(secret),
    debug: (line) => lines.push(line),
    info: (line) => lines.push(line),
    random: () => s.random,
    sleep: clock.sleep,
  });
  const plan: ProvisionPlan = {
    mode: s.mode,
    email: EMAIL,
    password,
    profile: PROFILE,
    addressUniqueToRun: s.tagGenerated,
    replaceKey: s.replaceKey,
    baseUrl: 'https://lar.example',
  };
  let result: Outcome['result'];
  try {
    const account = await runFlow(plan, client, (line) => lines.push(line));
    result = { ok: true, ...account };
  } catch (error) {
    result = { ok: false, error };
  }
  return { server, prior, priorKeys, priorFailures: 0, result, lines, masked, elapsedMs: deadline.elapsedMs(), loginsBefore: 0 };
}

function secretPieces(secrets: Iterable<string>): string[] {
  const pieces = new Set<string>();
  for (const secret of secrets) for (let i = 0; i + PIECE <= secret.length; i++) pieces.add(secret.slice(i, i + PIECE));
  return [...pieces];
}

function expectNoSecretShown(texts: readonly string[], secrets: Iterable<string>): void {
  const pieces = secretPieces(secrets);
  const shown = texts.flatMap((text) => pieces.filter((piece) => text.includes(piece)).map((piece) => `${piece} in: ${text}`));
  expect(shown, 'a piece of a secret is shown').toEqual([]);
}

function expectEveryIssuedSecretMasked(o: Outcome): void {
  if (!o.result.ok) return;
  expect(o.masked.has(o.result.apiKey), 'the key handed out was masked').toBe(true);
}

describe('provisioning under any fault schedule', () => {
  it('keeps every account-safety invariant', async () => {
    await fc.assert(
      fc.asyncProperty(scenarios, async (s) => {
        const o = await runProvision(s);
        const users = [...o.server.users.values()];
        const createdByRun = users.filter((u) => u !== o.prior);

        // At most one account created.
        expect(createdByRun.length).toBeLessThanOrEqual(1);
        // At most one counted failed login in the step, on any account.
        expect(users.reduce((sum, u) => sum + u.failedLoginsCounted, 0)).toBeLessThanOrEqual(1);
        // A key the account had before is invalidated only with permission: mode existing and replace-key.
        if (o.prior !== undefined && o.priorKeys.length > 0 && o.prior.keys.length > o.priorKeys.length) {
          expect(s.mode === 'existing' && s.replaceKey).toBe(true);
        }
        // Mode create never takes over an account it did not make: no key minted for an account that existed before,
        // and not even a login to it (a failed one would count toward someone else's lockout).
        if (s.mode === 'create' && o.prior !== undefined) {
          expect(o.prior.keys).toEqual(o.priorKeys);
          expect(
            o.server.requests.filter((r) => r.endsWith('login')),
            'a login to an address that existed before the run',
          ).toEqual([]);
        }
        // The step ends within timeout-seconds.
        expect(o.elapsedMs).toBeLessThanOrEqual(s.timeoutMs);

        if (o.result.ok) {
          // A successful run's key works, for the account it names.
          expect(o.server.keyOwner(o.result.apiKey)?.email).toBe(o.result.email);
          if (s.mode === 'create') {
            expect(o.result.created).toBe(true);
            expect(createdByRun.map((u) => u.email)).toEqual([o.result.email]);
          }
        } else {
          // A failure is one the user can read: the flow's or the client's, never a crash.
          expect(o.result.error).toSatisfy((e: unknown) => e instanceof ProvisionError || e instanceof LarError);
        }
        expectEveryIssuedSecretMasked(o);
        const messages = o.result.ok ? [] : [(o.result.error as Error).message];
        expectNoSecretShown([...o.lines, ...messages], o.server.secrets);
      }),
      { numRuns: RUNS, ...seed },
    );
  });

  it('succeeds whenever the faults are only throttling that fits the deadline', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom<Fault>('429', '429-no-retry-after'), { maxLength: 20 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        async (schedule, random) => {
          const o = await runProvision({
            mode: 'create',
            tagGenerated: true,
            passwordGenerated: true,
            replaceKey: false,
            prior: { exists: false, passwordMatches: false, hasKey: false, blocked: false },
            schedule,
            timeoutMs: 60_000,
            random,
          });
          expect(o.result.ok, o.result.ok ? '' : String((o.result as { error: unknown }).error)).toBe(true);
        },
      ),
      { numRuns: Math.ceil(RUNS / 6), ...seed },
    );
  });

  it('recovers a lost create for an address unique to the run, and only then (a generated password proves nothing)', async () => {
    for (const [tagGenerated, passwordGenerated, recovers] of [
      [true, false, true],
      [true, true, true],
      [false, true, false],
      [false, false, false],
    ] as const) {
      const o = await runProvision({
        mode: 'create',
        tagGenerated,
        passwordGenerated,
        replaceKey: false,
        prior: { exists: false, passwordMatches: false, hasKey: false, blocked: false },
        schedule: ['lost-after'],
        timeoutMs: 60_000,
        random: 0.5,
      });
      expect(o.result.ok, `tag generated ${tagGenerated}, password generated ${passwordGenerated}`).toBe(recovers);
      expect(o.server.requests.filter((r) => r === 'login').length).toBe(recovers ? 1 : 0);
    }
  });
});

describe('revoking under any fault schedule', () => {
  it('sends at most one login that may count, and invalidates only the key it was given', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom(...FAULTS), { maxLength: 10 }),
        fc.boolean(),
        fc.boolean(),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        async (schedule, passwordChanged, blocked, random) => {
          const server = new ModelLar();
          const clock = new VirtualClock();
          const user = server.seedUser(EMAIL, GIVEN_PASSWORD, { apiKey: true, failedLogins: blocked ? LOCK_AFTER_FAILED_LOGINS : 0 });
          const handedOut = user.keys.at(-1);
          if (passwordChanged) user.password = OTHER_PASSWORD;
          const lines: string[] = [];
          const deadline = clock.deadline(20_000);
          const client = new LarClient({
            exchange: faultyExchange(server, clock, schedule),
            deadline,
            mask: () => {},
            debug: (line) => lines.push(line),
            info: (line) => lines.push(line),
            random: () => random,
            sleep: clock.sleep,
          });
          let error: unknown;
          await revokeKey(client, EMAIL, GIVEN_PASSWORD, keyFingerprint(handedOut ?? '')).catch((e: unknown) => {
            error = e;
          });
          expect(user.failedLoginsCounted).toBeLessThanOrEqual(1);
          expect(deadline.elapsedMs()).toBeLessThanOrEqual(20_000);
          if (error === undefined) expect(server.keyOwner(handedOut ?? '')).toBeUndefined();
          else expect(error).toSatisfy((e: unknown) => e instanceof RevokeError || e instanceof LarError);
          expectNoSecretShown([...lines, ...(error instanceof Error ? [error.message] : [])], server.secrets);
        },
      ),
      { numRuns: Math.ceil(RUNS / 3), ...seed },
    );
  });
});
