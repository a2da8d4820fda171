import { describe, expect, it } from 'vitest';
import { decodeRevokeState, encodeRevokeState } from '../../src/action/state.ts';
import { renderRevokeLine, renderSummary } from '../../src/action/summary.ts';
import { keyFingerprint } from '../../src/core/account/secrets.ts';
import { revokeKey } from '../../src/core/revoke.ts';

describe('renderSummary', () => {
  it('shows the account and each call as tables', () => {
    const markdown = renderSummary({
      account: { email: 'qa+gh-1-1-abc@yourco.com', userId: '1042', created: true, keyFingerprint: '3fa9c1d2' },
      calls: [
        { call: 'create', attempts: 2, ms: 310, outcome: 'ok after 1 retry' },
        { call: 'login', attempts: 1, ms: 52, outcome: 'ok' },
      ],
      revoke: 'at-job-end',
    });
    expect(markdown).toContain('| email | qa+gh-1-1-abc@yourco.com |');
    expect(markdown).toContain('| user id | 1042 |');
    expect(markdown).toContain('| account | created by this run |');
    expect(markdown).toContain('| API key | fingerprint `3fa9c1d2` |');
    expect(markdown).toContain('| create | 2 | 310 ms | ok after 1 retry |');
    expect(markdown).toContain('| revoke at job end | yes |');
  });
  it('escapes table syntax in a failure message', () => {
    const markdown = renderSummary({ calls: [], failure: 'a | b <script>', revoke: 'off' });
    expect(markdown).toContain('**Failed:** a \\| b \\<script\\>');
  });
  it('keeps a list of input errors a list, one line each', () => {
    const markdown = renderSummary({
      calls: [],
      failure: "Invalid inputs (no request was sent):\n- 'mode' must be create or existing\n- 'email' is required",
      revoke: 'off',
    });
    expect(markdown).toContain(
      "**Failed:** Invalid inputs (no request was sent):\n\n- 'mode' must be create or existing\n- 'email' is required",
    );
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

describe('revoke state', () => {
  it('round-trips what the post step needs', () => {
    const state = { baseUrl: 'https://lar.axiom.ai', email: 'qa@x.com', password: 'p', timeoutMs: 5000, keyFingerprint: '3fa9c1d2' };
    expect(decodeRevokeState(encodeRevokeState(state))).toEqual(state);
  });
  it('reads nothing from empty or foreign state', () => {
    expect(decodeRevokeState('')).toBeUndefined();
    expect(decodeRevokeState('not json')).toBeUndefined();
    expect(decodeRevokeState('{"email":"qa@x.com"}')).toBeUndefined();
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
