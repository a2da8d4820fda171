// The stand-in must behave as ../shared/lar-signup-api.md documents, or the integration tests prove nothing.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LOCK_AFTER_FAILED_LOGINS, STATUS } from './lar-rules.ts';
import { type ScheduledRequest, type StandInLar, type StandInOptions, startStandIn } from './lar-server.ts';

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
/** The raw answer: fetch's text() and json() would strip a byte order mark. */
const call = async (path: string, init: RequestInit = {}, base = server.url) => {
  const response = await fetch(`${base}${path}`, init);
  return { status: response.status, headers: response.headers, bytes: Buffer.from(await response.arrayBuffer()) };
};
const loginAs = (email: string, password: string): RequestInit => ({ method: 'POST', body: JSON.stringify({ email, password }) });
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

describe('faults after the work', () => {
  it('done-then-status: creates the account, counts the failed login, mints the key, then answers the error', async () => {
    server.inject('create', { kind: 'done-then-status', status: 503, retryAfter: '2' });
    const created = await call('/api/user/create', {
      method: 'POST',
      body: JSON.stringify({ name: 'A', email: 'a@example.com', password: 'pw-123' }),
    });
    expect(created.status).toBe(503);
    expect(created.headers.get('retry-after')).toBe('2');
    const user = server.users.get('a@example.com');
    expect(user).toBeDefined();

    server.inject('login', { kind: 'done-then-status', status: 500 });
    expect((await call('/api/user/login', loginAs('a@example.com', 'nope'))).status).toBe(500);
    expect(user?.failedLoginsCounted).toBe(1);

    const { token } = await post('/api/user/login', { email: 'a@example.com', password: 'pw-123' });
    server.inject('key/create', { kind: 'done-then-status', status: 502 });
    expect((await get('/api/user/key/create', token)).status).toBe(502);
    expect(user?.keys).toHaveLength(1);
    expect(user?.apiKey).toBe(user?.keys[0]);
  });
  it('hang-after: mints the key and never answers, where hang never does the work', async () => {
    const user = server.seedUser('ada@example.com', 'pw-123');
    const { token } = await post('/api/user/login', { email: 'ada@example.com', password: 'pw-123' });
    server.inject('key/create', { kind: 'hang' }, { kind: 'hang-after' });
    const mint = () =>
      fetch(`${server.url}/api/user/key/create`, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(300) });
    await expect(mint()).rejects.toThrow();
    expect(user.keys).toEqual([]);
    await expect(mint()).rejects.toThrow();
    expect(user.keys).toHaveLength(1);
  });
  it('bom: answers the normal JSON behind a UTF-8 byte order mark, framed to the byte', async () => {
    server.inject('create', { kind: 'bom' });
    const answer = await call('/api/user/create', {
      method: 'POST',
      body: JSON.stringify({ name: 'A', email: 'a@example.com', password: 'p' }),
    });
    expect([...answer.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(JSON.parse(answer.bytes.subarray(3).toString('utf8'))).toMatchObject({ id: expect.any(Number), email: 'a@example.com' });
    expect(Number(answer.headers.get('content-length'))).toBe(answer.bytes.length);
    expect(server.users.size).toBe(1);
  });
  it.each(['newline', 'non-latin1'] as const)(
    'unsafe-token (%s): logs in with a token no header can carry, kept as a secret',
    async (variant) => {
      await signUp('ada@example.com');
      server.inject('login', { kind: 'unsafe-token', variant }, { kind: 'unsafe-token', variant });
      const { token } = await post('/api/user/login', { email: 'ada@example.com', password: 'pw-123' });
      expect(variant === 'newline' ? token.includes('\n') : [...token].some((c) => (c.codePointAt(0) ?? 0) > 0xff)).toBe(true);
      expect(() => new Headers({ authorization: `Bearer ${token}` })).toThrow(TypeError);
      expect(server.secrets.has(token)).toBe(true);
      // A failed login has no token to spoil: it answers null and is counted as usual.
      expect(await post('/api/user/login', { email: 'ada@example.com', password: 'nope' })).toBeNull();
      expect(server.users.get('ada@example.com')?.failedLoginsCounted).toBe(1);
    },
  );
});

describe('hostile answers', () => {
  it('echo-status: echoes the raw request, password included, as a create status, and creates nothing', async () => {
    server.inject('create', { kind: 'echo-status' });
    const request = JSON.stringify({ name: 'Ada', email: 'a@example.com', password: 'echoed-password-123' });
    const answer = await call('/api/user/create', { method: 'POST', body: request });
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.bytes.toString('utf8'))).toEqual({ status: request });
    expect(server.users.size).toBe(0);
    expect(server.secrets.has('echoed-password-123')).toBe(true);
  });
  it('refuses a fault on a route it cannot apply to', () => {
    expect(() => server.inject('login', { kind: 'echo-status' })).toThrow(/create only/);
    expect(() => server.inject('key/create', { kind: 'unsafe-token', variant: 'newline' })).toThrow(/login only/);
  });
});

describe('throttle by concurrency', () => {
  const withServer = async (options: StandInOptions, test: (throttled: StandInLar) => Promise<void>): Promise<void> => {
    const throttled = await startStandIn(options);
    try {
      await test(throttled);
    } finally {
      await throttled.stop();
    }
  };

  it('answers 429 with Retry-After beyond maxInFlight, before any work: a throttled login is never counted', () =>
    withServer({ maxInFlight: 1, latencyMs: 150 }, async (throttled) => {
      const user = throttled.seedUser('ada@example.com', 'pw-123');
      const answers = await Promise.all([1, 2, 3].map(() => call('/api/user/login', loginAs('ada@example.com', 'nope'), throttled.url)));
      expect(answers.map((a) => a.status).sort()).toEqual([200, 429, 429]);
      expect(answers.filter((a) => a.status === 429).map((a) => a.headers.get('retry-after'))).toEqual(['1', '1']);
      expect(user.failedLoginsCounted).toBe(1);
      expect(throttled.throttled).toBe(2);
      expect(throttled.requests.filter((r) => r.throttled)).toHaveLength(2);
      // Once the admitted request is answered, its place is free again.
      expect((await call('/api/user/login', loginAs('ada@example.com', 'pw-123'), throttled.url)).status).toBe(200);
    }));

  it('keeps a hung request in flight until its connection closes, and never throttles its own extras', () =>
    withServer({ maxInFlight: 1, throttleRetryAfter: '7' }, async (throttled) => {
      throttled.inject('has-existing', { kind: 'hang' });
      const abandon = new AbortController();
      const hung = fetch(`${throttled.url}/api/user/key/has-existing`, { signal: abandon.signal }).catch(() => undefined);
      await expect.poll(() => throttled.requests.length).toBe(1);
      const refused = await call('/api/user/key/has-existing', {}, throttled.url);
      expect([refused.status, refused.headers.get('retry-after')]).toEqual([429, '7']);
      expect((await call('/stand-in/stats', {}, throttled.url)).status).toBe(200);
      abandon.abort();
      await hung;
      await expect.poll(async () => (await call('/api/user/key/has-existing', {}, throttled.url)).status).toBe(401);
    }));
});

describe('bookkeeping', () => {
  it('counts every failed login in failedLoginsCounted, which a successful login does not reset', async () => {
    const user = server.seedUser('ada@example.com', 'pw-123', { failedLogins: 5 });
    expect([user.failedLogins, user.failedLoginsCounted]).toEqual([5, 0]);
    for (const password of ['nope', 'nope', 'pw-123', 'nope']) await post('/api/user/login', { email: 'ada@example.com', password });
    expect([user.failedLogins, user.failedLoginsCounted]).toEqual([1, 3]);
  });
  it('keeps every key minted, so a test can tell that a key from before the run was invalidated', async () => {
    const user = server.seedUser('ada@example.com', 'pw-123', { apiKey: true });
    const before = user.apiKey;
    expect(user.keys).toEqual([before]);
    const { token } = await post('/api/user/login', { email: 'ada@example.com', password: 'pw-123' });
    const minted = (await get('/api/user/key/create', token)).body.token;
    expect(user.keys).toEqual([before, minted]);
    expect(server.keyOwner(before ?? '')).toBeUndefined();
  });
});

describe('fault schedules', () => {
  it('asks the schedule about every handled request, on any route, after the queue of its route', async () => {
    const asked: ScheduledRequest[] = [];
    server.inject('login', { kind: 'status', status: 503 });
    server.schedule((request) => {
      asked.push(request);
      return request.index === 2 ? { kind: 'status', status: 502 } : undefined;
    });
    await signUp('ada@example.com');
    expect((await call('/api/user/login', loginAs('ada@example.com', 'pw-123'))).status).toBe(503);
    expect((await call('/api/user/login', loginAs('ada@example.com', 'pw-123'))).status).toBe(502);
    expect((await call('/api/user/login', loginAs('ada@example.com', 'pw-123'))).status).toBe(200);
    expect(asked).toEqual([
      { route: 'create', index: 0, routeIndex: 0 },
      { route: 'login', index: 2, routeIndex: 1 },
      { route: 'login', index: 3, routeIndex: 2 },
    ]);
  });
  it('clearFaults drops the queues and the schedule', async () => {
    server.inject('create', { kind: 'reset' }).schedule(() => ({ kind: 'hang' }));
    server.clearFaults();
    expect(await signUp('ada@example.com')).toMatchObject({ email: 'ada@example.com' });
  });
});

describe('saved accounts', () => {
  it('carry every account, its password, keys and failed logins to another stand-in', async () => {
    const first = await startStandIn();
    const second = await startStandIn();
    try {
      const user = first.seedUser('carried@yourco.com', 'carried-password-0123', { apiKey: true, failedLogins: 3 });
      second.loadAccounts(first.saveAccounts());
      const copy = second.users.get('carried@yourco.com');
      expect(copy).toEqual(user);
      expect(second.keyOwner(user.apiKey ?? '')?.email).toBe('carried@yourco.com');
      // A new account on the second server does not reuse a carried id.
      expect(second.seedUser('new@yourco.com', 'new-password-0123').id).toBeGreaterThan(user.id);
    } finally {
      await Promise.all([first.stop(), second.stop()]);
    }
  });
});
