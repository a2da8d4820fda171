// The shipped bundle against the stand-in: the documented flow, the account rules, and the outputs.
import { describe, expect, it } from 'vitest';
import { useStandIn } from '../harness/fixture.ts';
import { errorOf } from '../harness/run-action.ts';

const t = useStandIn();

describe('create mode', () => {
  it('creates one account, logs in once, mints a key that works, and sets every output', async () => {
    const run = await t.main(t.inputs(), { runId: '4242', runAttempt: '3' });

    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.outputs.email).toMatch(/^qa\+gh-4242-3-[0-9a-z]{6}@yourco\.com$/);
    expect(run.outputs.created).toBe('true');
    const user = t.server.users.get(run.outputs.email ?? '');
    expect(user?.id).toBe(Number(run.outputs['user-id']));
    expect(t.server.keyOwner(run.outputs['api-key'] ?? '')?.email).toBe(run.outputs.email);
    expect(run.outputs.password).toBe(user?.password);
    expect(run.outputs.password?.length).toBeGreaterThanOrEqual(32);
    expect([t.server.count('create'), t.server.count('login'), t.server.count('key/create'), t.server.count('has-existing')]).toEqual([
      1, 1, 1, 0,
    ]);
    // key/create is a GET that mints a key: no cache on the way may answer it.
    expect(t.server.requests.map((r) => r.cacheControl)).toEqual(['no-store', 'no-store', 'no-store']);
  });

  it('masks the password before the first request and the key before it is an output', async () => {
    const run = await t.main(t.inputs());
    const lines = run.stdout.split('\n');
    const maskAt = (value: string | undefined) => lines.indexOf(`::add-mask::${value}`);

    expect(maskAt(run.outputs.password)).toBeGreaterThanOrEqual(0);
    expect(maskAt(run.outputs.password)).toBeLessThan(lines.findIndex((l) => l.startsWith('Creating ')));
    expect(maskAt(run.outputs['api-key'])).toBeGreaterThanOrEqual(0);
    // Email and user id are not secrets: masking them would empty them in job outputs.
    expect(maskAt(run.outputs.email)).toBe(-1);
    expect(maskAt(run.outputs['user-id'])).toBe(-1);
  });

  it('sends the profile inputs to create', async () => {
    const profile = { name: 'Ada Lovelace', company: 'Analytical', country: 'GB', role: 'QA', campaign: 'nightly-e2e', language: 'de-DE' };
    const run = await t.main(t.inputs(profile));
    expect(run.exitCode).toBe(0);
    expect(t.server.users.get(run.outputs.email ?? '')?.profile).toEqual(profile);
  });

  it('gives each matrix leg and each re-run its own address', async () => {
    const legs = await Promise.all([
      t.main(t.inputs(), { runId: '99', runAttempt: '1' }),
      t.main(t.inputs(), { runId: '99', runAttempt: '1' }),
      t.main(t.inputs(), { runId: '99', runAttempt: '1' }),
    ]);
    const rerun = await t.main(t.inputs(), { runId: '99', runAttempt: '2' });
    const emails = [...legs, rerun].map((run) => run.outputs.email);

    expect(new Set(emails).size).toBe(4);
    expect(rerun.outputs.email).toMatch(/^qa\+gh-99-2-/);
    expect(t.server.users.size).toBe(4);
  });

  it('falls back to a unique tag outside GitHub Actions', async () => {
    const run = await t.main(t.inputs(), { runId: '' });
    expect(run.exitCode).toBe(0);
    expect(run.outputs.email).toMatch(/^qa\+local-[0-9a-z]+-[0-9a-z]{6}@yourco\.com$/);
  });

  it('uses a given tag and password, extending an existing +tag with "-"', async () => {
    const run = await t.main(t.inputs({ email: 'qa+ci@yourco.com', 'email-tag': 'pr-17', password: 'correct horse battery staple' }));
    expect(run.exitCode).toBe(0);
    expect(run.outputs.email).toBe('qa+ci-pr-17@yourco.com');
    expect(t.server.users.get('qa+ci-pr-17@yourco.com')?.password).toBe('correct horse battery staple');
  });

  it('never logs in to an address someone else registered', async () => {
    t.server.seedUser('qa+taken@yourco.com', 'their-password-0123456789');
    const run = await t.main(t.inputs({ 'email-tag': 'taken' }));

    expect(run.exitCode).toBe(1);
    expect(errorOf(run)).toMatch(/qa\+taken@yourco\.com is already registered.*no login was sent to it.*'email-tag'.*'mode' existing/s);
    expect(t.server.count('login')).toBe(0);
    expect(run.outputs['api-key']).toBeUndefined();
  });

  it('explains a disposable-provider refusal and does not log in', async () => {
    const run = await t.main(t.inputs({ email: 'qa@mailinator.com' }));
    expect(run.exitCode).toBe(1);
    expect(errorOf(run)).toMatch(/mailinator\.com as an anonymous \(disposable\) email provider.*domain you own/);
    expect(t.server.count('create')).toBe(1);
    expect(t.server.count('login')).toBe(0);
  });
});

describe('login answers', () => {
  it('stops after exactly one login on "blocked", with no key and no outputs', async () => {
    t.server.seedUser('locked@yourco.com', 'right-password-123456', { failedLogins: 29 });
    const run = await t.main(
      t.inputs({ email: 'locked@yourco.com', mode: 'existing', password: 'right-password-123456', 'revoke-on-exit': 'false' }),
    );

    expect(run.exitCode).toBe(1);
    expect(errorOf(run)).toMatch(/locked \("blocked"\) after 29 failed logins.*support/);
    expect(t.server.count('login')).toBe(1);
    expect(t.server.count('key/create')).toBe(0);
    expect(run.outputs).toEqual({});
  });

  it('stops after exactly one login on null (wrong password)', async () => {
    const user = t.server.seedUser('known@yourco.com', 'the-real-password-1234');
    const run = await t.main(
      t.inputs({ email: 'known@yourco.com', mode: 'existing', password: 'a-wrong-password-1234', 'revoke-on-exit': 'false' }),
    );

    expect(run.exitCode).toBe(1);
    expect(errorOf(run)).toMatch(/wrong email or password for known@yourco\.com/);
    expect(t.server.count('login')).toBe(1);
    expect(user.failedLogins).toBe(1);
  });
});

describe('existing mode', () => {
  it('logs in to the address exactly as given and mints a key when the account has none', async () => {
    t.server.seedUser('fixed@yourco.com', 'stored-secret-password-1');
    const run = await t.main(
      t.inputs({ email: 'fixed@yourco.com', mode: 'existing', password: 'stored-secret-password-1', 'revoke-on-exit': 'false' }),
    );

    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.outputs.email).toBe('fixed@yourco.com');
    expect(run.outputs.created).toBe('false');
    expect(t.server.keyOwner(run.outputs['api-key'] ?? '')?.email).toBe('fixed@yourco.com');
    expect(t.server.count('create')).toBe(0);
    expect(t.server.count('has-existing')).toBe(1);
  });

  it('never invalidates an existing key unless replace-key is true', async () => {
    const user = t.server.seedUser('fixed@yourco.com', 'stored-secret-password-1', { apiKey: true });
    const oldKey = user.apiKey;
    const run = await t.main(
      t.inputs({ email: 'fixed@yourco.com', mode: 'existing', password: 'stored-secret-password-1', 'revoke-on-exit': 'false' }),
    );

    expect(run.exitCode).toBe(1);
    expect(errorOf(run)).toMatch(/already has an API key.*invalidate it.*set 'replace-key' to true/s);
    expect(t.server.count('key/create')).toBe(0);
    expect(user.apiKey).toBe(oldKey);
  });

  it('replaces the key when replace-key is true, and the old one stops working', async () => {
    const user = t.server.seedUser('fixed@yourco.com', 'stored-secret-password-1', { apiKey: true });
    const oldKey = user.apiKey ?? '';
    const run = await t.main(
      t.inputs({ email: 'fixed@yourco.com', mode: 'existing', password: 'stored-secret-password-1', 'replace-key': 'true' }),
    );

    expect(run.exitCode).toBe(0);
    expect(t.server.keyOwner(run.outputs['api-key'] ?? '')).toBe(user);
    expect(t.server.keyOwner(oldKey)).toBeUndefined();
    expect(run.stdout).toContain("Replacing the existing API key of fixed@yourco.com, as 'replace-key' allows");
  });
});
