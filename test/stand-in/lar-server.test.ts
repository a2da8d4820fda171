// The stand-in must behave as ../shared/lar-signup-api.md documents, or the integration tests prove nothing.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LOCK_AFTER_FAILED_LOGINS, STATUS, type StandInLar, startStandIn } from './lar-server.ts';

let server: StandInLar;
beforeEach(async () => {
  server = await startStandIn();
});
afterEach(() => server.stop());

type Json = { token: string } & Record<string, unknown>;
const post = async (path: string, body: unknown): Promise<Json> => {
  const response = await fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return (await response.json()) as Json;
};
const get = async (path: string, bearer: string): Promise<{ status: number; body: Json }> => {
  const response = await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${bearer}` } });
  return { status: response.status, body: (await response.json()) as Json };
};
const signUp = (email: string, extra: Record<string, string> = {}) =>
  post('/api/user/create', {
    name: 'Ada Lovelace',
    email,
    password: 'pw-123',
    company: '',
    country: '',
    role: '',
    campaign: 't',
    language: 'en-GB',
    ...extra,
  });

describe('create', () => {
  it('answers the user object without the password', async () => {
    const user = await signUp('ada@example.com');
    expect(user).toEqual({
      id: expect.any(Number),
      name: 'Ada Lovelace',
      email: 'ada@example.com',
      company: '',
      role: '',
      country: '',
      language: 'en-GB',
    });
  });
  it('answers failures with HTTP 200 and the documented status strings', async () => {
    await signUp('ada@example.com');
    expect(await signUp('ada@example.com')).toEqual({ status: STATUS.emailExists });
    expect(await signUp('bob@example.com', { name: 'see example.com' })).toEqual({ status: STATUS.nameLooksLikeUrl });
    expect(await signUp('bob@mailinator.com')).toEqual({ status: STATUS.disposable });
  });
});

describe('login', () => {
  it('answers null for a wrong password or unknown email, and a JWT otherwise', async () => {
    await signUp('ada@example.com');
    expect(await post('/api/user/login', { email: 'ada@example.com', password: 'nope' })).toBeNull();
    expect(await post('/api/user/login', { email: 'nobody@example.com', password: 'pw-123' })).toBeNull();
    const session = await post('/api/user/login', { email: 'ada@example.com', password: 'pw-123' });
    expect(session).toMatchObject({
      email: 'ada@example.com',
      token: expect.stringMatching(/^eyJ/),
      refresh_token: expect.stringMatching(/^def502/),
    });
  });
  it(`locks the account after ${LOCK_AFTER_FAILED_LOGINS} failed logins, even against the right password`, async () => {
    await signUp('ada@example.com');
    for (let i = 0; i < LOCK_AFTER_FAILED_LOGINS; i++)
      expect(await post('/api/user/login', { email: 'ada@example.com', password: 'nope' })).toBeNull();
    expect(await post('/api/user/login', { email: 'ada@example.com', password: 'pw-123' })).toBe('blocked');
  });
});

describe('keys', () => {
  it('keeps one key per account: minting again invalidates the old one; has-existing tells without minting', async () => {
    await signUp('ada@example.com');
    const { token } = await post('/api/user/login', { email: 'ada@example.com', password: 'pw-123' });
    expect((await get('/api/user/key/has-existing', token)).body).toEqual({ result: false });
    const first = (await get('/api/user/key/create', token)).body.token;
    expect((await get('/api/user/key/has-existing', token)).body).toEqual({ result: true });
    const second = (await get('/api/user/key/create', token)).body.token;
    expect(first).toMatch(/^axm_/);
    expect(second).not.toBe(first);
    expect((await get('/stand-in/whoami', first)).status).toBe(401);
    expect((await get('/stand-in/whoami', second)).body).toEqual({ id: expect.any(Number), email: 'ada@example.com' });
  });
  it('refuses a bad JWT with 401', async () => {
    expect((await get('/api/user/key/create', 'not-a-jwt')).status).toBe(401);
  });
});

describe('faults', () => {
  it('does the work behind a lost answer, and not behind a reset', async () => {
    server.inject('create', { kind: 'reset' }, { kind: 'lost' });
    await expect(signUp('a@example.com')).rejects.toThrow();
    expect(server.users.size).toBe(0);
    await expect(signUp('a@example.com')).rejects.toThrow();
    expect(server.users.size).toBe(1);
  });
  it('truncates a body while framing it as whole', async () => {
    server.inject('create', { kind: 'truncated' });
    const response = await fetch(`${server.url}/api/user/create`, {
      method: 'POST',
      body: JSON.stringify({ name: 'A', email: 'a@example.com', password: 'p' }),
    });
    const text = await response.text();
    expect(response.status).toBe(200);
    expect(() => JSON.parse(text)).toThrow();
    expect(text.startsWith('{"id":')).toBe(true);
  });
});
