// Main and post steps run as the runner runs them: the key works during the job and not after it.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { useStandIn } from '../harness/fixture.ts';
import { errorOf, warningsOf } from '../harness/run-action.ts';
import type { User } from '../stand-in/lar-rules.ts';

const t = useStandIn();

describe('revoke-on-exit', () => {
  it('makes the key worthless in the post step (the default), minting one replacement it never shows', async () => {
    const main = await t.main(t.inputs());
    const key = main.outputs['api-key'] ?? '';
    expect(t.server.keyOwner(key)).toMatchObject(t.accountOf(main));

    const post = await t.post(main, t.inputs());
    expect(post.exitCode).toBe(0);
    expect(t.server.keyOwner(key)).toBeUndefined();
    expect([t.server.count('login'), t.server.count('key/create')]).toEqual([2, 2]);
    expect(post.outputs).toEqual({});
    expect(post.summary).toMatch(/\*\*Key revoked:\*\*/);
  });

  it('leaves the key valid with revoke-on-exit: false, and the post step sends nothing', async () => {
    const inputs = t.inputs({ 'revoke-on-exit': 'false' });
    const main = await t.main(inputs);
    const requests = t.server.requests.length;
    const post = await t.post(main, inputs);
    expect(post.exitCode).toBe(0);
    expect(t.server.requests.length).toBe(requests);
    expect(t.server.keyOwner(main.outputs['api-key'] ?? '')).toMatchObject(t.accountOf(main));
  });

  it('skips quietly when main minted no key', async () => {
    const main = await t.main(t.inputs({ 'email-tag': 'bad+tag' }));
    expect(main.exitCode).toBe(1);
    const post = await t.post(main, t.inputs());
    expect(post.exitCode).toBe(0);
    expect(t.server.requests).toEqual([]);
    expect(warningsOf(post)).toEqual([]);
  });

  it('saves in state only what the post step needs', async () => {
    const main = await t.main(t.inputs());
    expect(Object.keys(main.state)).toEqual(['post']);
    const plan = JSON.parse(main.state.post ?? '{}');
    expect(Object.keys(plan).sort()).toEqual(['kind', 'target', 'timeoutMs', 'trust']);
    expect(Object.keys(plan.target).sort()).toEqual(['baseUrl', 'email', 'keyFingerprint', 'password']);
    // No piece of the key: a fingerprint only tells the post step whether a "replacement" is the same key.
    const key = main.outputs['api-key'] ?? '';
    for (let i = 0; i + 8 <= key.length; i++) expect(main.state.post).not.toContain(key.slice(i, i + 8));
  });

  it('warns, naming the cause, when revoking fails, and does not fail the job: one login that may have counted, no more', async () => {
    const main = await t.main(t.inputs());
    t.server.inject('login', ...Array(3).fill({ kind: 'status', status: 503 }));
    const post = await t.post(main, t.inputs());
    expect(post.exitCode).toBe(0);
    expect(errorOf(post)).toBeUndefined();
    expect(warningsOf(post).join('\n')).toMatch(
      /Could not revoke the API key of .*: login: the server answered HTTP 503 \(not repeated: the server may have counted that login/,
    );
    expect(t.server.count('login')).toBe(2);
    expect(t.server.keyOwner(main.outputs['api-key'] ?? '')).toMatchObject(t.accountOf(main));
    expect(post.summary).toMatch(/\*\*Key not revoked:\*\* `login: the server answered HTTP 503/);
  });

  it.each([
    [
      'null (the password was changed)',
      (user: User) => {
        user.password = 'changed-by-someone-else';
      },
    ],
    [
      '"blocked"',
      (user: User) => {
        user.failedLogins = 29;
      },
    ],
  ])('sends exactly one login in the post step when it answers %s', async (_, tamper) => {
    const main = await t.main(t.inputs());
    const user = t.server.users.get(main.outputs.email ?? '');
    if (user === undefined) throw new Error('main created no account');
    tamper(user);
    const post = await t.post(main, t.inputs());
    expect(post.exitCode).toBe(0);
    expect(warningsOf(post)).toHaveLength(1);
    expect(t.server.count('login')).toBe(2);
    expect(t.server.count('key/create')).toBe(1);
  });
});

describe('job summary', () => {
  it('names the account, each call with its retries, and the key by its last four characters only', async () => {
    t.server.inject('login', { kind: 'status', status: 502 });
    const main = await t.main(t.inputs());
    const key = main.outputs['api-key'] ?? '';
    expect(main.summary).toContain(`| email | \`${main.outputs.email}\` |`);
    expect(main.summary).toContain(`| user id | \`${main.outputs['user-id']}\` |`);
    expect(main.summary).toContain('| account | created by this run |');
    expect(main.summary).toContain(`| API key | fingerprint \`${createHash('sha256').update(key).digest('hex').slice(0, 8)}\` |`);
    expect(main.summary).not.toContain(key.slice(-4));
    expect(main.summary).toMatch(/\| login \| 2 \| \d+ ms \| `ok, after 1 failed attempt` \|/);
    expect(main.summary).toMatch(/\| create \| 1 \| \d+ ms \| `ok` \|/);
  });

  it('explains a failure without any secret', async () => {
    t.server.seedUser('fixed@yourco.com', 'stored-password-0123', { apiKey: true });
    const main = await t.main(
      t.inputs({ email: 'fixed@yourco.com', mode: 'existing', password: 'stored-password-0123', 'revoke-on-exit': 'false' }),
    );
    expect(main.summary).toMatch(/\*\*Failed:\*\*\n\n```\nfixed@yourco\.com already has an API key/);
    expect(main.summary).toMatch(/\| has-existing \| 1 \|/);
  });
});

describe('export-env', () => {
  it('exports the key, the email, the user id and the origin only when asked, never the password', async () => {
    const quiet = await t.main(t.inputs());
    expect(quiet.exportedEnv).toEqual({});

    const loud = await t.main(t.inputs({ 'export-env': 'true' }));
    expect(loud.exportedEnv).toEqual({
      AXIOM_API_KEY: loud.outputs['api-key'],
      AXIOM_EMAIL: loud.outputs.email,
      AXIOM_USER_ID: loud.outputs['user-id'],
      AXIOM_BASE_URL: t.server.url,
    });
  });
});
