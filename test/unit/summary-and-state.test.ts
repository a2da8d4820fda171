import { describe, expect, it } from 'vitest';
import { decodePostPlan, encodePostPlan, type PostPlan } from '../../src/action/state.ts';
import { renderRevokeLine, renderSummary } from '../../src/action/summary.ts';
import { changedTrust, trustSnapshot } from '../../src/action/trust.ts';
import { keyFingerprint } from '../../src/core/account/secrets.ts';
import { revokeKey } from '../../src/core/revoke-key.ts';

describe('renderSummary', () => {
  it('shows the account and each call as tables', () => {
    const markdown = renderSummary({
      account: { email: 'qa+gh-1-1-abc@yourco.com', userId: '1042', created: true, keyFingerprint: '3fa9c1d2' },
      calls: [
        { call: 'create', attempts: 2, ms: 310, outcome: 'ok, after 1 failed attempt' },
        { call: 'login', attempts: 1, ms: 52, outcome: 'ok' },
      ],
      revoke: 'at-job-end',
    });
    expect(markdown).toContain('| email | `qa+gh-1-1-abc@yourco.com` |');
    expect(markdown).toContain('| user id | `1042` |');
    expect(markdown).toContain('| account | created by this run |');
    expect(markdown).toContain('| API key | fingerprint `3fa9c1d2` |');
    expect(markdown).toContain('| create | 2 | 310 ms | `ok, after 1 failed attempt` |');
    expect(markdown).toContain('| revoke at job end | yes |');
  });
  it('shows a failure as the log does, in a code block, unescaped: a secret quoted whole stays whole', () => {
    const failure = "Invalid inputs (no request was sent):\n- 'email' \"a_b|c<d>*e`f\" is not an email address\n- 'mode' must be create";
    const markdown = renderSummary({ calls: [], failure, revoke: 'off' });
    expect(markdown).toContain(`**Failed:**\n\n\`\`\`\n${failure}\n\`\`\`\n`);
  });
  it('fences a failure with more backticks than it holds', () => {
    const markdown = renderSummary({ calls: [], failure: '\'name\' "a```b" looks like a URL', revoke: 'off' });
    expect(markdown).toContain('\n````\n\'name\' "a```b" looks like a URL\n````\n');
  });
  it('says when the key outlives the job because it was handed off, and what ends it', () => {
    const markdown = renderSummary({
      account: { email: 'qa@yourco.com', userId: '1', created: true, keyFingerprint: '3fa9c1d2' },
      calls: [],
      revoke: 'handed-off',
    });
    expect(markdown).toContain('| revoke at job end | no: handed off to later jobs; org/axiom-provision/revoke@v1 ends it |');
  });
  it('says whether the key was revoked', () => {
    expect(renderRevokeLine({ revoked: true })).toMatch(/no longer works/);
    expect(renderRevokeLine({ revoked: false, why: 'login: HTTP 503', keyMayBeDead: false })).toMatch(/login: HTTP 503.*still works/);
    expect(renderRevokeLine({ revoked: false, why: 'key/create: HTTP 502', keyMayBeDead: true })).toMatch(/may or may not still work/);
  });
});

describe('the post plan main saves', () => {
  const trust = trustSnapshot({ HTTPS_PROXY: 'http://proxy.example:3128' }, () => Buffer.from(''));
  const revoke: PostPlan = {
    kind: 'revoke',
    target: { baseUrl: 'https://lar.axiom.ai', email: 'qa@x.com', password: 'p', keyFingerprint: '3fa9c1d2' },
    timeoutMs: 5000,
    trust,
  };
  it('round-trips each plan', () => {
    for (const plan of [revoke, { kind: 'nothing' }, { kind: 'handed-off' }] as const)
      expect(decodePostPlan(encodePostPlan(plan))).toEqual(plan);
  });
  it('reads nothing to do from an empty state, and nothing usable from a foreign one', () => {
    expect(decodePostPlan('')).toEqual({ kind: 'nothing' });
    for (const foreign of ['not json', 'null', '"revoke"', '{"email":"qa@x.com"}', '{"kind":"revoke"}'])
      expect(decodePostPlan(foreign), foreign).toEqual({ kind: 'unreadable' });
  });
  it.each([
    ['an http base URL to a host that is not loopback', { target: { ...revoke.target, baseUrl: 'http://evil.example' } }],
    ['a base URL with credentials', { target: { ...revoke.target, baseUrl: 'https://u:p@lar.axiom.ai' } }],
    ['a base URL with a path', { target: { ...revoke.target, baseUrl: 'https://lar.axiom.ai/x' } }],
    ['a timeout past an hour', { timeoutMs: 3_600_001 }],
    ['a timeout under five seconds', { timeoutMs: 10 }],
    ['an email that is not one', { target: { ...revoke.target, email: 'qa' } }],
    ['a password with a newline', { target: { ...revoke.target, password: 'a\nb' } }],
    ['a password of spaces only', { target: { ...revoke.target, password: '   ' } }],
    ['a fingerprint of another shape', { target: { ...revoke.target, keyFingerprint: 'xyz' } }],
    ['trust that is not digests', { trust: { HTTPS_PROXY: 'http://proxy' } }],
  ])('refuses a revoke plan with %s, as inputs are refused', (_, change) => {
    expect(decodePostPlan(JSON.stringify({ ...revoke, ...change }))).toEqual({ kind: 'unreadable' });
  });
  it('names each trust setting that changed, and only those, never their values', () => {
    const ca = (content: string) => () => Buffer.from(content);
    const before = trustSnapshot({ HTTPS_PROXY: 'http://u:pw@a:1', NODE_EXTRA_CA_CERTS: '/ca.pem', PATH: '/bin' }, ca('one'));
    expect(
      changedTrust(before, trustSnapshot({ HTTPS_PROXY: 'http://u:pw@a:1', NODE_EXTRA_CA_CERTS: '/ca.pem', PATH: '/x' }, ca('one'))),
    ).toEqual([]);
    expect(
      changedTrust(
        before,
        trustSnapshot({ HTTPS_PROXY: 'http://u:pw@b:1', NODE_EXTRA_CA_CERTS: '/ca.pem', NODE_TLS_REJECT_UNAUTHORIZED: '0' }, ca('two')),
      ),
    ).toEqual(['HTTPS_PROXY', 'NODE_TLS_REJECT_UNAUTHORIZED', 'the content of NODE_EXTRA_CA_CERTS']);
    expect(JSON.stringify(before)).not.toContain('pw');
  });
});

describe('revokeKey', () => {
  const session = { kind: 'session', userId: '1', token: 'jwt-0123456789', refreshToken: '' } as const;
  it('does not take the same key minted again for a revoke', async () => {
    const client = { login: async () => session, mintKey: async () => 'axm_same-key-0123456789' };
    await expect(revokeKey(client, 'qa@x.com', 'pw', keyFingerprint('axm_same-key-0123456789'))).rejects.toThrow(/not a new one/);
    await expect(revokeKey(client, 'qa@x.com', 'pw', keyFingerprint('axm_old-key-0123456789'))).resolves.toBeUndefined();
  });
});
