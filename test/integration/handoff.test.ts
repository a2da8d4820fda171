// One account for a whole workflow, on the shipped bundle: main seals it in the account job, open hands it to
// three shard jobs at once, revoke ends it in the last job. Each step runs the way the runner runs its action.yml.
import { describe, expect, it } from 'vitest';
import { open, SCRYPT_COST } from '../../src/core/handoff/seal.ts';
import { useStandIn } from '../harness/fixture.ts';
import { errorOf, type StepRun } from '../harness/run-action.ts';

const t = useStandIn();
const SECRET = 'k3Jd9sLq0PzX7vBn2MwR5tYc8HgF1aEe4UoI6iNm=';

async function accountJob(extra: Record<string, string> = {}): Promise<StepRun> {
  t.server.secrets.add(SECRET);
  const main = await t.main(t.inputs({ 'handoff-secret': SECRET, ...extra }));
  expect(main.exitCode, errorOf(main)).toBe(0);
  return main;
}

const handoffOf = (main: StepRun): string => main.outputs.handoff ?? '';
const lines = (run: StepRun): string[] => run.stdout.split('\n').filter((l) => l !== '');

describe('main with handoff-secret', () => {
  it('sets handoff as an unmasked output that holds no secret, and leaves the key to the revoke sub-action', async () => {
    const main = await accountJob();
    const handoff = handoffOf(main);
    expect(handoff).toMatch(/^axh1\.7001\.1\.[A-Za-z0-9_-]+$/);
    expect(main.stdout).not.toContain(`::add-mask::${handoff}`);
    for (const secret of [main.outputs['api-key'] ?? '', main.outputs.password ?? '', SECRET]) {
      for (let i = 0; i + 8 <= secret.length; i++) expect(handoff).not.toContain(secret.slice(i, i + 8));
    }
    expect(JSON.parse(main.state.post ?? '')).toEqual({ kind: 'handed-off' });
    expect(main.stdout).toMatch(/not revoked when this job ends: end it with org\/axiom-provision\/revoke@v1/);
    expect(main.summary).toContain('handed off to later jobs; org/axiom-provision/revoke@v1 ends it');

    const post = await t.post(main, t.inputs({ 'handoff-secret': SECRET }), { debug: false });
    expect(post.exitCode).toBe(0);
    expect(post.stdout).toMatch(
      /^The key was handed off to later jobs \(output handoff\), so it outlives this job: org\/axiom-provision\/revoke@v1 ends it\.$/m,
    );
    expect(t.server.keyOwner(main.outputs['api-key'] ?? '')).toMatchObject(t.accountOf(main));
  });

  it('seals with the shipped scrypt cost: its handoff opens under SCRYPT_COST, and not under a cheaper one', async () => {
    const main = await accountJob();
    const run = { ci: 'github', repository: 'yourco/app', runId: '7001', runAttempt: '1' } as const;
    expect(open(handoffOf(main), SECRET, run).apiKey).toBe(main.outputs['api-key']);
    const cheaper = { ...SCRYPT_COST, N: SCRYPT_COST.N / 2 };
    expect(() => open(handoffOf(main), SECRET, run, { cost: cheaper })).toThrow(/does not open/);
  });

  it('refuses a short handoff-secret before any request, without echoing it', async () => {
    const run = await t.main(t.inputs({ 'handoff-secret': 'too-short-Zx81' }));
    expect(errorOf(run)).toMatch(
      /'handoff-secret' is 14 characters long; it must be at least 32 \(make one with: openssl rand -base64 32\)/,
    );
    expect(run.stdout).not.toMatch(/too-short-Zx81(?!$)/m);
    expect(t.server.requests).toEqual([]);
  });

  it('refuses a guessable handoff-secret before any request, quoting no piece of it', async () => {
    const guessable = 'correct horse battery staple 2024!';
    t.server.secrets.add(guessable);
    const run = await t.main(t.inputs({ 'handoff-secret': guessable }));
    expect(run.exitCode).toBe(1);
    expect(errorOf(run)).toMatch(/'handoff-secret' is too easy to guess: .*openssl rand -base64 32/);
    expect(t.server.requests).toEqual([]);
    // The runner hides its ::add-mask:: commands: everything else is shown.
    const shown = [run.stdout.replace(/^::add-mask::.*$/gm, ''), run.stderr, run.summary].join('\n');
    for (let i = 0; i + 8 <= guessable.length; i++) expect(shown).not.toContain(guessable.slice(i, i + 8));
  });

  it('refuses a handoff-secret of only spaces: set but empty is a mistake, not a wish for no handoff', async () => {
    const run = await t.main(t.inputs({ 'handoff-secret': '   ' }));
    expect(errorOf(run)).toMatch(/'handoff-secret' is only spaces/);
    expect(t.server.requests).toEqual([]);
  });

  it('works with mode existing too', async () => {
    t.server.seedUser('fixed@yourco.com', 'stored-password-0123');
    const main = await accountJob({ email: 'fixed@yourco.com', mode: 'existing', password: 'stored-password-0123', 'replace-key': 'true' });
    const opened = await t.sub('open', { handoff: handoffOf(main), 'handoff-secret': SECRET });
    expect(opened.exitCode, errorOf(opened)).toBe(0);
    expect(opened.outputs).toMatchObject({ email: 'fixed@yourco.com', 'api-key': main.outputs['api-key'] });
  });
});

describe('the three-job recipe', () => {
  it('hands one working key to three parallel shard jobs, sending no request, and revoke ends it', async () => {
    const main = await accountJob();
    const key = main.outputs['api-key'] ?? '';
    const requestsBefore = t.server.requests.length;
    const shards = await Promise.all(
      [1, 2, 3].map(() => t.sub('open', { handoff: handoffOf(main), 'handoff-secret': SECRET, 'export-env': 'true' })),
    );
    for (const shard of shards) {
      expect(shard.exitCode, errorOf(shard)).toBe(0);
      expect(shard.outputs).toEqual({
        'api-key': key,
        password: main.outputs.password,
        email: main.outputs.email,
        'user-id': main.outputs['user-id'],
      });
      expect(shard.exportedEnv).toEqual({
        AXIOM_API_KEY: key,
        AXIOM_EMAIL: main.outputs.email,
        AXIOM_USER_ID: main.outputs['user-id'],
        AXIOM_BASE_URL: t.server.url,
      });
      // A job starts with no masks: open masks the key and password before it prints anything else.
      const firstOther = lines(shard).findIndex((l) => !l.startsWith('::add-mask::'));
      expect(lines(shard).slice(0, firstOther)).toEqual(
        expect.arrayContaining([`::add-mask::${key}`, `::add-mask::${main.outputs.password}`]),
      );
      expect(t.server.keyOwner(shard.outputs['api-key'] ?? '')?.email).toBe(main.outputs.email);
    }
    expect(t.server.requests.length).toBe(requestsBefore);

    const revoke = await t.sub('revoke', { handoff: handoffOf(main), 'handoff-secret': SECRET });
    expect(revoke.exitCode, errorOf(revoke)).toBe(0);
    expect(t.server.keyOwner(key)).toBeUndefined();
    expect(revoke.summary).toMatch(/\*\*Key revoked:\*\*/);
    expect(t.server.requests.slice(requestsBefore).map((r) => r.route)).toEqual(['login', 'key/create']);
  });

  it('revoke warns, and does not fail, when the server fails', async () => {
    const main = await accountJob();
    t.server.inject('login', { kind: 'status', status: 503 });
    const revoke = await t.sub('revoke', { handoff: handoffOf(main), 'handoff-secret': SECRET, 'timeout-seconds': '5' });
    expect(revoke.exitCode).toBe(0);
    expect(revoke.stdout).toMatch(/^::warning::Could not revoke the API key of .*HTTP 503/m);
    expect(t.server.keyOwner(main.outputs['api-key'] ?? '')).toMatchObject(t.accountOf(main));
  });
});

describe('re-runs', () => {
  it('open refuses an earlier attempt’s handoff, saying to re-run all jobs; revoke still ends its key', async () => {
    const main = await accountJob();
    const rerun = { runAttempt: '2' };
    const opened = await t.sub('open', { handoff: handoffOf(main), 'handoff-secret': SECRET }, rerun);
    expect(opened.exitCode).toBe(1);
    expect(errorOf(opened)).toMatch(/made in attempt 1 of this workflow run, and this is attempt 2.*Re-run all jobs/);
    expect(opened.outputs).toEqual({});
    const revoke = await t.sub('revoke', { handoff: handoffOf(main), 'handoff-secret': SECRET }, rerun);
    expect(revoke.exitCode, errorOf(revoke)).toBe(0);
    expect(t.server.keyOwner(main.outputs['api-key'] ?? '')).toBeUndefined();
  });
});

describe('refusals: a clear error, no request, no key, no leak', () => {
  const tamper = (handoff: string): string => {
    const at = handoff.length - 10;
    return handoff.slice(0, at) + (handoff[at] === 'A' ? 'B' : 'A') + handoff.slice(at + 1);
  };

  it.each([
    [
      'a tampered handoff',
      (h: string) => ({ handoff: tamper(h), 'handoff-secret': SECRET }),
      {},
      /'handoff' does not open: it was changed/,
    ],
    ['a wrong secret', (h: string) => ({ handoff: h, 'handoff-secret': `${SECRET}x` }), {}, /sealed with another handoff-secret/],
    [
      'another run’s handoff',
      (h: string) => ({ handoff: h, 'handoff-secret': SECRET }),
      { runId: '7002' },
      /made by workflow run 7001, and this is run 7002/,
    ],
    ['another repository', (h: string) => ({ handoff: h, 'handoff-secret': SECRET }), { repository: 'someone/else' }, /does not open/],
    ['an empty secret', (h: string) => ({ handoff: h, 'handoff-secret': '' }), {}, /'handoff-secret' is empty.*fork's pull request/],
    [
      'a malformed handoff',
      () => ({ handoff: 'not-a-handoff', 'handoff-secret': SECRET }),
      {},
      /'handoff' is not a handoff axiom-provision made/,
    ],
    ['an empty handoff', () => ({ handoff: '', 'handoff-secret': SECRET }), {}, /'handoff' is required/],
  ] as const)('open and revoke refuse %s', async (_, inputs, options, message) => {
    const main = await accountJob();
    const before = t.server.requests.length;
    for (const entry of ['open', 'revoke'] as const) {
      const run = await t.sub(entry, inputs(handoffOf(main)), options);
      expect(run.exitCode, entry).toBe(1);
      expect(errorOf(run), entry).toMatch(message);
      expect(run.outputs, entry).toEqual({});
    }
    expect(t.server.requests.length).toBe(before);
    expect(t.server.keyOwner(main.outputs['api-key'] ?? '')).toMatchObject(t.accountOf(main));
  });
});
