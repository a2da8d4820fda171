// Bad input is refused by the shipped bundle before any request: the error names the input, the server sees nothing.
import { describe, expect, it } from 'vitest';
import { useStandIn } from '../harness/fixture.ts';
import { errorOf } from '../harness/run-action.ts';

const t = useStandIn();

describe('bad input', () => {
  it.each([
    ['an empty email', { email: '' }, /'email' is required/],
    ['a malformed email', { email: 'qa-at-yourco.com' }, /'email' "qa-at-yourco.com" is not an email address/],
    [
      'an email with a newline (workflow-command injection)',
      { email: 'qa@yourco.com\n::add-mask::x' },
      /'email' contains a control character/,
    ],
    [
      'http to a host that is not loopback',
      { 'base-url': 'http://lar.axiom.ai' },
      /'base-url' "http:\/\/lar.axiom.ai" uses http to a host that is not loopback/,
    ],
    ['another scheme', { 'base-url': 'ftp://127.0.0.1' }, /'base-url' "ftp:\/\/127.0.0.1" uses another scheme/],
    ['a tag that pushes the local part past 64', { 'email-tag': 'x'.repeat(70) }, /'email-tag' .* does not fit/],
    ['a timeout that is not a number', { 'timeout-seconds': 'ten' }, /'timeout-seconds' must be a number of seconds from 5 to 3600/],
    ['an unknown mode', { mode: 'upsert' }, /'mode' must be create or existing, not "upsert"/],
    ['existing mode without a password', { mode: 'existing', 'revoke-on-exit': 'false' }, /'password' is required with mode existing/],
    ['a name that looks like a URL', { name: 'www.example.com' }, /'name' .* looks like a URL/],
  ])('refuses %s and sends nothing', async (_, bad, message) => {
    const run = await t.main({ ...t.inputs(), ...bad });
    expect(run.exitCode).toBe(1);
    expect(errorOf(run)).toMatch(message);
    expect(errorOf(run)).toMatch(/No request was sent/);
    expect(t.server.requests).toEqual([]);
    expect(t.server.connections).toBe(0);
    expect(run.outputs).toEqual({});
  });
});
