// The account-safety invariants on the shipped bundle, over random fault schedules: each case is a mode, an
// account already at the address (or none), and up to three faults per route, played by the stand-in. Seeded:
// a failure prints its seed and case; SOAK_SEED=<seed> replays the same cases.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findLeaks } from '../harness/leaks.ts';
import { runMain, runPost, type StepRun } from '../harness/run-action.ts';
import type { Route } from '../stand-in/lar-rules.ts';
import { type Fault, startStandIn } from '../stand-in/lar-server.ts';

const SEED = Number(process.env.SOAK_SEED ?? Math.floor(Math.random() * 2 ** 31));
const CASES = Number(process.env.SOAK_CASES ?? 18);
const PARALLEL = 3;
const TIMEOUT_SECONDS = 5;
/** Node's start-up and exit on a loaded machine, on top of timeout-seconds. */
const SLACK_MS = 2500;
const EMAIL = 'qa+soak@yourco.com';
const PASSWORD = 'soak-Gv7kQ2m9xZp4LwR8';
const OTHER_PASSWORD = 'other-Xo4iU7yN0mF3gD6h';

const ANY_ROUTE: readonly Fault[] = [
  { kind: 'status', status: 500 },
  { kind: 'status', status: 502 },
  { kind: 'status', status: 503, retryAfter: '1' },
  { kind: 'status', status: 429, retryAfter: '0' },
  { kind: 'status', status: 429, retryAfter: '1' },
  { kind: 'done-then-status', status: 502 },
  { kind: 'done-then-status', status: 503, retryAfter: '1' },
  { kind: 'reset' },
  { kind: 'lost' },
  { kind: 'truncated' },
  { kind: 'html', status: 200 },
  { kind: 'wrong-shape' },
  { kind: 'bom' },
  { kind: 'hang' },
  { kind: 'hang-after' },
];
const ONLY: Readonly<Partial<Record<Route, readonly Fault[]>>> = {
  create: [{ kind: 'echo-status' }],
  login: [{ kind: 'unsafe-token', variant: 'newline' }],
};
const faultsFor = (route: Route) => fc.array(fc.constantFrom(...ANY_ROUTE, ...(ONLY[route] ?? [])), { maxLength: 3 });

const cases = fc.record({
  mode: fc.constantFrom('create', 'existing'),
  fixedTag: fc.boolean(),
  givenPassword: fc.boolean(),
  replaceKey: fc.boolean(),
  prior: fc.record({ exists: fc.boolean(), passwordMatches: fc.boolean(), hasKey: fc.boolean() }),
  faults: fc.record({
    create: faultsFor('create'),
    login: faultsFor('login'),
    'has-existing': faultsFor('has-existing'),
    'key/create': faultsFor('key/create'),
  }),
  postLoginFaults: faultsFor('login'),
});
type Case = typeof cases extends fc.Arbitrary<infer T> ? T : never;

async function play(c: Case): Promise<string[]> {
  const server = await startStandIn();
  const problems: string[] = [];
  const check = (ok: boolean, what: string): void => void (ok || problems.push(what));
  try {
    const existing = c.mode === 'existing';
    // A generated tag holds a random part, so nobody can hold that address: only a fixed tag can meet an account.
    const priorPossible = existing || c.fixedTag;
    const password = existing || c.givenPassword ? PASSWORD : undefined;
    const prior =
      priorPossible && (existing || c.prior.exists)
        ? server.seedUser(existing ? 'fixed@yourco.com' : EMAIL, c.prior.passwordMatches && password ? PASSWORD : OTHER_PASSWORD, {
            apiKey: c.prior.hasKey,
          })
        : undefined;
    const priorKeys = [...(prior?.keys ?? [])];
    for (const [route, faults] of Object.entries(c.faults) as [Route, Fault[]][]) server.inject(route, ...faults);
    const inputs = {
      'base-url': server.url,
      'timeout-seconds': String(TIMEOUT_SECONDS),
      ...(existing
        ? {
            email: 'fixed@yourco.com',
            mode: 'existing',
            password: PASSWORD,
            'replace-key': String(c.replaceKey),
            'revoke-on-exit': String(c.replaceKey),
          }
        : { email: 'qa@yourco.com', ...(c.fixedTag && { 'email-tag': 'soak' }), ...(password && { password }) }),
    };
    const failuresBefore = (): number => [...server.users.values()].reduce((sum, u) => sum + u.failedLoginsCounted, 0);

    const main = await runMain(inputs, { killAfterMs: 20_000 });
    const steps: StepRun[] = [main];
    const created = server.users.size - (prior ? 1 : 0);
    check(created <= 1, `main created ${created} accounts`);
    check(failuresBefore() <= 1, `main counted ${failuresBefore()} failed logins`);
    check(main.durationMs <= TIMEOUT_SECONDS * 1000 + SLACK_MS, `main took ${Math.round(main.durationMs)} ms`);
    if (prior !== undefined && priorKeys.length > 0 && prior.keys.length > priorKeys.length) {
      check(existing && c.replaceKey, 'main invalidated a key it had no permission to touch');
    }
    if (!existing && prior !== undefined)
      check(prior.keys.length === priorKeys.length, 'mode create minted a key for an account it did not make');
    if (main.exitCode === 0) {
      const owner = server.keyOwner(main.outputs['api-key'] ?? '');
      check(owner?.email === main.outputs.email, 'main succeeded, but its key does not work');
      if (!existing) check(owner !== prior && main.outputs.created === 'true', 'mode create handed out an account it did not make');
    } else {
      check(main.outputs['api-key'] === undefined, 'a failed main set api-key');
    }

    if (main.exitCode === 0) {
      server.clearFaults().inject('login', ...c.postLoginFaults);
      const before = failuresBefore();
      const post = await runPost(main, inputs, { killAfterMs: 20_000 });
      steps.push(post);
      check(post.exitCode === 0, 'the post step failed the job');
      check(failuresBefore() - before <= 1, `post counted ${failuresBefore() - before} failed logins`);
    }
    problems.push(...findLeaks(steps, server.secrets));
  } finally {
    await server.stop();
  }
  return problems;
}

describe('the shipped bundle under random fault schedules', () => {
  it(`keeps every invariant (seed ${SEED}, ${CASES} cases)`, { timeout: 240_000 }, async () => {
    const all = fc.sample(cases, { seed: SEED, numRuns: CASES });
    const failures: string[] = [];
    for (let i = 0; i < all.length; i += PARALLEL) {
      const batch = all.slice(i, i + PARALLEL);
      const results = await Promise.all(batch.map(play));
      for (const [j, problems] of results.entries()) {
        if (problems.length > 0) failures.push(`case ${i + j} ${JSON.stringify(batch[j])}:\n  ${problems.join('\n  ')}`);
      }
    }
    expect(failures, `replay with SOAK_SEED=${SEED}`).toEqual([]);
  });
});
