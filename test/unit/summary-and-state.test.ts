import { describe, expect, it } from 'vitest';
import { decodeRevokeState, encodeRevokeState } from '../../src/action/state.ts';
import { renderRevokeLine, renderSummary } from '../../src/action/summary.ts';

describe('renderSummary', () => {
  it('shows the account and each call as tables', () => {
    const markdown = renderSummary({
      account: { email: 'qa+gh-1-1-abc@yourco.com', userId: '1042', created: true, keyHint: 'wxyz' },
      calls: [
        { call: 'create', attempts: 2, ms: 310, outcome: 'ok after 1 retry' },
        { call: 'login', attempts: 1, ms: 52, outcome: 'ok' },
      ],
      revokeOnExit: true,
    });
    expect(markdown).toContain('| email | qa+gh-1-1-abc@yourco.com |');
    expect(markdown).toContain('| user id | 1042 |');
    expect(markdown).toContain('| account | created by this run |');
    expect(markdown).toContain('| API key | `…wxyz` |');
    expect(markdown).toContain('| create | 2 | 310 ms | ok after 1 retry |');
    expect(markdown).toContain('| revoke at job end | yes |');
  });
  it('escapes table syntax in a failure message', () => {
    const markdown = renderSummary({ calls: [], failure: 'a | b\n<script>', revokeOnExit: false });
    expect(markdown).toContain('**Failed:** a \\| b \\<script\\>');
  });
  it('says whether the key was revoked', () => {
    expect(renderRevokeLine({ revoked: true })).toMatch(/no longer works/);
    expect(renderRevokeLine({ revoked: false, why: 'login: HTTP 503' })).toMatch(/login: HTTP 503.*still works/);
  });
});

describe('revoke state', () => {
  it('round-trips what the post step needs', () => {
    const state = { baseUrl: 'https://lar.axiom.ai', email: 'qa@x.com', password: 'p', timeoutMs: 5000 };
    expect(decodeRevokeState(encodeRevokeState(state))).toEqual(state);
  });
  it('reads nothing from empty or foreign state', () => {
    expect(decodeRevokeState('')).toBeUndefined();
    expect(decodeRevokeState('not json')).toBeUndefined();
    expect(decodeRevokeState('{"email":"qa@x.com"}')).toBeUndefined();
  });
});
