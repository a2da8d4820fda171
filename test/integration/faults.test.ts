// Every line of the retry policy, against the shipped bundle with faults injected into the stand-in.
// Under each fault the action either succeeds with exactly one account and a working key, or fails with a clear
// error within timeout-seconds.
import { describe, expect, it } from 'vitest';
import { useStandIn } from '../harness/fixture.ts';
import { errorOf, type StepRun } from '../harness/run-action.ts';
import { type StandInLar, startStandIn } from '../stand-in/lar-server.ts';

const t = useStandIn();

function expectOneWorkingAccount(run: StepRun, server: StandInLar): void {
  expect(run.exitCode, `${errorOf(run)}\n${run.stdout}`).toBe(0);
  expect(server.users.size).toBe(1);
  expect(server.keyOwner(run.outputs['api-key'] ?? '')?.email).toBe(run.outputs.email);
}

function expectCleanFailure(run: StepRun, message: RegExp): void {
  expect(run.exitCode).toBe(1);
  expect(errorOf(run)).toMatch(message);
  expect(run.outputs['api-key']).toBeUndefined();
}

describe('create', () => {
  it.each([
    ['a 5xx', { kind: 'status', status: 503 }],
    ['a 429 with Retry-After in seconds', { kind: 'status', status: 429, retryAfter: '1' }],
    ['a reset before the request is handled', { kind: 'reset' }],
    ['an HTML 502 page from a proxy', { kind: 'html', status: 502 }],
  ] as const)('retries %s and makes exactly one account', async (_, fault) => {
    t.server.inject('create', fault);
    const run = await t.main(t.inputs());
    expectOneWorkingAccount(run, t.server);
    expect(t.server.count('create')).toBe(2);
  });

  it('honours Retry-After as an HTTP date', async () => {
    t.server.inject('create', { kind: 'status', status: 429, retryAfter: new Date(Date.now() + 3000).toUTCString() });
    const run = await t.main(t.inputs());
    expectOneWorkingAccount(run, t.server);
    // toUTCString drops the milliseconds and the bundle takes a moment to start, so the wait is a little under 2–3 s.
    expect(run.durationMs).toBeGreaterThanOrEqual(1500);
  });

  it('recovers a create whose answer was lost: email_exists on the retry, then one login with its own password', async () => {
    t.server.inject('create', { kind: 'lost' });
    const run = await t.main(t.inputs());
    expectOneWorkingAccount(run, t.server);
    expect(run.outputs.created).toBe('true');
    expect([t.server.count('create'), t.server.count('login')]).toEqual([2, 1]);
  });

  it('after an unknown outcome at a fixed-tag address, stops without a login: the address may be someone else’s', async () => {
    const owner = t.server.seedUser('qa+shared@yourco.com', 'somebody-elses-password');
    t.server.inject('create', { kind: 'status', status: 502 });
    const run = await t.main(t.inputs({ 'email-tag': 'shared' }));
    expectCleanFailure(run, /no telling whether this run made it, and no login was sent to it/);
    expect(t.server.count('login')).toBe(0);
    expect(t.server.count('key/create')).toBe(0);
    expect(owner.failedLogins).toBe(0);
  });

  it('never retries a status answer', async () => {
    t.server.seedUser('qa+dup@yourco.com', 'x-password-0123456789');
    const run = await t.main(t.inputs({ 'email-tag': 'dup' }));
    expectCleanFailure(run, /already registered/);
    expect(t.server.count('create')).toBe(1);
  });

  it('retries a refused connection, then fails clearly within the deadline', async () => {
    const closed = await startStandIn();
    await closed.stop();
    const run = await t.main(t.inputs({ 'base-url': closed.url, 'timeout-seconds': '5' }));
    expectCleanFailure(
      run,
      /^create: could not connect to http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\) \((gave up after 4 failed attempts|the time left .* is too short)/,
    );
    expect(run.durationMs).toBeLessThan(5000 + 1500);
  });

  it('stops after 4 attempts', async () => {
    t.server.inject('create', ...Array(5).fill({ kind: 'status', status: 500 }));
    const run = await t.main(t.inputs());
    expectCleanFailure(run, /^create: the server answered HTTP 500 \(gave up after 4 failed attempts\)/);
    expect(t.server.count('create')).toBe(4);
  });

  it.each([
    ['a truncated body', { kind: 'truncated' }, /^create: HTTP 200, but the body is truncated or malformed JSON/],
    ['an HTML body', { kind: 'html' }, /^create: HTTP 200, but the body is an HTML page, not JSON/],
  ] as const)('fails clearly on %s, without retrying a create that may have worked', async (_, fault, message) => {
    t.server.inject('create', fault);
    const run = await t.main(t.inputs());
    expectCleanFailure(run, message);
    expect(t.server.count('create')).toBe(1);
    expect(t.server.count('login')).toBe(0);
  });

  it('gives up on a hung server before timeout-seconds, with a clear error', async () => {
    t.server.inject('create', { kind: 'hang' }, { kind: 'hang' }, { kind: 'hang' }, { kind: 'hang' });
    const run = await t.main(t.inputs({ 'timeout-seconds': '5' }));
    expectCleanFailure(run, /^create: no answer from http:\/\/127\.0\.0\.1:\d+ within .* s/);
    // The bound covers the whole step, Node's start-up included, with slack for a loaded machine.
    expect(run.durationMs).toBeLessThan(5000 + 1500);
  });

  it('stops at once when Retry-After reaches past the deadline', async () => {
    t.server.inject('create', { kind: 'status', status: 429, retryAfter: '120' });
    const run = await t.main(t.inputs({ 'timeout-seconds': '10' }));
    expectCleanFailure(run, /HTTP 429 \(the server asked to wait 120 s, but the time left .* is too short/);
    expect(run.durationMs).toBeLessThan(5000);
  });
});

describe('login', () => {
  it('with the password proven by its own create, retries 5xx and waits out 429, and succeeds on the third attempt', async () => {
    t.server.inject('login', { kind: 'status', status: 500 }, { kind: 'status', status: 429, retryAfter: '0' });
    const run = await t.main(t.inputs(), { debug: false });
    expectOneWorkingAccount(run, t.server);
    expect(t.server.count('login')).toBe(3);
    // Retries show in the plain log, without debug logging; a server that asks for no wait still gets a backoff.
    expect(run.stdout).toMatch(/^login: attempt 1: the server answered HTTP 500 after \d+ ms; retrying in \d+ ms$/m);
    const throttled = /^login: attempt 2: the server answered HTTP 429 after \d+ ms; retrying in (\d+) ms$/m.exec(run.stdout);
    expect(Number(throttled?.[1])).toBeGreaterThanOrEqual(125);
  });

  it('gives up after 3 failed attempts, not counting throttled ones', async () => {
    t.server.inject('login', { kind: 'status', status: 429, retryAfter: '0' }, ...Array(4).fill({ kind: 'status', status: 500 }));
    const run = await t.main(t.inputs());
    expectCleanFailure(run, /^login: the server answered HTTP 500 \(gave up after 3 failed attempts\)/);
    expect(t.server.count('login')).toBe(4);
  });

  it('in mode existing, sends a throttled login 4 times at most, however long timeout-seconds allows', async () => {
    const user = t.server.seedUser('fixed@yourco.com', 'stored-password-0123');
    t.server.inject('login', ...Array(10).fill({ kind: 'status', status: 429, retryAfter: '0' }));
    const existing = { email: 'fixed@yourco.com', mode: 'existing', password: 'stored-password-0123', 'revoke-on-exit': 'false' };
    const run = await t.main(t.inputs({ ...existing, 'timeout-seconds': '60' }));
    expectCleanFailure(run, /^login: the server answered HTTP 429 \(gave up after 4 throttled attempts, in case/);
    expect(t.server.count('login')).toBe(4);
    expect(user.failedLoginsCounted).toBe(0);
  });

  it('retries a login whose answer was lost, when its own create proved the password', async () => {
    t.server.inject('login', { kind: 'lost' });
    const run = await t.main(t.inputs());
    expectOneWorkingAccount(run, t.server);
    expect(t.server.count('login')).toBe(2);
  });

  it.each([
    ['a truncated body (holding half a token)', { kind: 'truncated' }, /^login: HTTP 200, but the body is truncated or malformed JSON/],
    ['an answer without a token', { kind: 'wrong-shape' }, /^login: HTTP 200, but the body is a JSON object without a token/],
  ] as const)('fails clearly on %s and never sends "Bearer undefined"', async (_, fault, message) => {
    t.server.inject('login', fault);
    const run = await t.main(t.inputs());
    expectCleanFailure(run, message);
    expect(t.server.count('login')).toBe(1);
    expect(t.server.requests.filter((r) => r.authorization !== undefined)).toEqual([]);
  });

  it.each(['login', 'key/create'] as const)('does not follow a redirect to another origin from %s', async (route) => {
    const elsewhere = await startStandIn();
    try {
      t.server.inject(route, { kind: 'redirect', location: `${elsewhere.url}/steal` });
      const run = await t.main(t.inputs());
      const status = route === 'login' ? 'login' : 'key\\/create';
      expectCleanFailure(run, new RegExp(`^${status}: the server answered HTTP 307, a redirect; redirects are not followed`));
      expect(elsewhere.requests).toEqual([]);
      expect(t.server.count(route)).toBe(1);
    } finally {
      await elsewhere.stop();
    }
  });
});

describe('has-existing and key/create', () => {
  const existing = () =>
    t.inputs({ email: 'fixed@yourco.com', mode: 'existing', password: 'stored-password-0123', 'revoke-on-exit': 'false' });

  it.each([
    ['a 5xx', { kind: 'status', status: 502 }],
    ['a 429', { kind: 'status', status: 429, retryAfter: '0' }],
    ['a reset', { kind: 'reset' }],
    ['an HTML body', { kind: 'html' }],
    ['a truncated body', { kind: 'truncated' }],
  ] as const)('retries %s on both calls', async (_, fault) => {
    t.server.seedUser('fixed@yourco.com', 'stored-password-0123');
    t.server.inject('has-existing', fault).inject('key/create', fault);
    const run = await t.main(existing());
    expectOneWorkingAccount(run, t.server);
    expect([t.server.count('has-existing'), t.server.count('key/create')]).toEqual([2, 2]);
  });

  it('retries a key whose answer was lost or cut off, and hands out the key that works', async () => {
    t.server.inject('key/create', { kind: 'lost' }, { kind: 'truncated' });
    const run = await t.main(t.inputs());
    expectOneWorkingAccount(run, t.server);
    expect(t.server.count('key/create')).toBe(3);
  });

  it('takes an answer of the wrong shape as final, naming the call', async () => {
    t.server.inject('key/create', { kind: 'wrong-shape' });
    const run = await t.main(t.inputs());
    expectCleanFailure(run, /^key\/create: HTTP 200, but the body is not a JSON object with a token/);
    expect(t.server.count('key/create')).toBe(1);
  });

  it.each([401, 403])('never retries HTTP %i', async (status) => {
    t.server.inject('key/create', { kind: 'status', status });
    const run = await t.main(t.inputs());
    expectCleanFailure(run, new RegExp(`^key/create: the server refused the login token \\(HTTP ${status}\\)`));
    expect(t.server.count('key/create')).toBe(1);
  });

  it('gives up on a hung key/create before timeout-seconds', async () => {
    t.server.inject('key/create', ...Array(4).fill({ kind: 'hang' }));
    const run = await t.main(t.inputs({ 'timeout-seconds': '5' }));
    expectCleanFailure(run, /^key\/create: no answer from .* within/);
    expect(run.durationMs).toBeLessThan(5000 + 1500);
  });
});
