// An agent that loops: forty calls, one after another and all at once. The stand-in counts what reached LAR.
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { startStandIn } from '../stand-in/lar-server.ts';
import { data, type Session, type SessionOptions, startSession } from './harness.ts';

const CALLS = 40;
const STORED = { args: ['--email', 'stored@yourco.com', '--password-env', 'LAR_PASSWORD'], env: { LAR_PASSWORD: 'not-the-password-0' } };

describe('an agent loop', () => {
  it.for(['one after another', 'all at once'] as const)(
    'calling provision_account %s in mode existing with a wrong password costs the account one failed login',
    async (how) => {
      const server = await startStandIn();
      const user = server.seedUser('stored@yourco.com', 'the-real-password-1');
      const session = await sessionOn(server, STORED);
      const call = () => session.call('provision_account', { file: 'stored.env' });
      const results = await calling(how, CALLS, call);
      expect(user.failedLoginsCounted).toBe(1);
      expect(server.count('login')).toBe(1);
      expect(results.every((result) => result.isError && data(result).code === 'wrong-password')).toBe(true);
      expect(data(results.at(-1) ?? { content: [] }).message).toMatch(/a person must check the password .* then restart the server/);
    },
  );

  it.for([{ kind: 'lost' }, { kind: 'done-then-status', status: 502 }] as const)(
    'a wrong-password login whose answer was lost ($kind) is not sent again by any later call',
    async (fault) => {
      const server = await startStandIn();
      const user = server.seedUser('stored@yourco.com', 'the-real-password-1');
      server.inject('login', fault);
      const session = await sessionOn(server, STORED);
      const first = data(await session.call('provision_account', { file: 'stored.env' }));
      expect(first.ok).toBe(false);
      for (let n = 1; n < CALLS; n++) {
        const later = data(await session.call('provision_account', { file: 'stored.env' }));
        expect(later).toMatchObject({ ok: false, code: 'login-unanswered' });
      }
      expect(server.count('login')).toBe(1);
      expect(user.failedLoginsCounted).toBe(1);
    },
  );

  it('a locked account gets one login, and no more', async () => {
    const server = await startStandIn();
    const user = server.seedUser('stored@yourco.com', 'not-the-password-0', { failedLogins: 29 });
    const session = await sessionOn(server, STORED);
    for (let n = 0; n < CALLS; n++) expect(data(await session.call('provision_account', {})).code).toBe('blocked');
    // Nor does revoke_key of a file for the same address (ending its key is not this server's without
    // --replace-key), or for another spelling of it, which it did not make.
    for (const email of ['stored@yourco.com', 'Stored@yourco.com', ' stored@yourco.com']) {
      writeFileSync(
        join(session.dir, 'stored.env'),
        `AXIOM_API_KEY=axm_x\nAXIOM_EMAIL=${email}\nAXIOM_USER_ID=1\nAXIOM_PASSWORD=another-password-2\nAXIOM_BASE_URL=${server.url}\nAXIOM_CREATED=false\n`,
      );
      const refused = data(await session.call('revoke_key', { file: 'stored.env' })).code;
      expect(refused).toBe('input');
    }
    expect(server.count('login')).toBe(1);
    expect(user.failedLoginsCounted).toBe(0);
  });

  it.for(['one after another', 'all at once'] as const)(
    'calling provision_account %s in mode create with the default --max-accounts makes one account, and points to its file',
    async (how) => {
      const server = await startStandIn();
      const session = await sessionOn(server, { args: ['--email', 'qa@yourco.com'] });
      const call = (n: number) => session.call('provision_account', { file: `account-${n}.env` });
      const results = await calling(how, CALLS, call);
      expect(server.users.size).toBe(1);
      expect(server.count('create')).toBe(1);
      const made = results.filter((result) => !result.isError);
      expect(made).toHaveLength(1);
      const file = data(made[0] ?? { content: [] }).file;
      const refusals = results.filter((result) => result.isError).map((result) => data(result));
      expect(refusals.every((refusal) => refusal.code === 'account-limit')).toBe(true);
      if (how === 'one after another') expect(refusals.every((refusal) => String(refusal.message).includes(`it wrote ${file}`))).toBe(true);
    },
  );

  it.for(['a generated address', 'a fixed tag'] as const)(
    'a create acted on and answered 429 keeps the account counted, with %s, so a loop of retried creates makes one account',
    async (address) => {
      const server = await startStandIn();
      const session = await sessionOn(server, { args: ['--email', 'qa@yourco.com'] });
      for (let n = 0; n < 3; n++) {
        // Each create is acted on and answered 429; the retry then meets the account the first attempt made.
        server.inject('create', { kind: 'done-then-status', status: 429, retryAfter: '0' });
        await session.call('provision_account', { file: `account-${n}.env`, ...(address === 'a fixed tag' && { emailTag: `tag${n}` }) });
      }
      expect(server.users.size).toBe(1);
      expect(server.count('create')).toBe(2);
    },
  );

  it.for(['one after another', 'all at once'] as const)(
    'in mode create, a login refused after a create the server claims is sent once for a tag in any case or spacing, called %s',
    async (how) => {
      const lar = await startLyingLar();
      const session = await sessionOn(lar, { args: ['--email', 'qa@yourco.com', '--max-accounts', '5'] });
      const tags = ['fixed', 'Fixed', ' fixed', 'fixed\t', ' FIXED '];
      const call = (n: number) => session.call('provision_account', { file: `account-${n}.env`, emailTag: tags[n] });
      const results = await calling(how, tags.length, call);
      expect(lar.logins).toEqual(['qa+fixed@yourco.com']);
      expect(results.map((result) => data(result).code)).toEqual(Array(tags.length).fill('wrong-password'));
    },
  );

  it('in mode create, after a login refused behind its own create, the server sends no create to any address', async () => {
    const lar = await startLyingLar();
    const session = await sessionOn(lar, { args: ['--email', 'qa@yourco.com', '--max-accounts', '5'] });
    const codes = [];
    for (const emailTag of ['t', 'other', undefined]) {
      const result = data(await session.call('provision_account', { file: `${emailTag}.env`, ...(emailTag && { emailTag }) }));
      codes.push(result.code);
    }
    expect(codes).toEqual(['wrong-password', 'account-limit', 'account-limit']);
    expect(lar.creates).toEqual(['qa+t@yourco.com']);
    expect(lar.logins).toEqual(['qa+t@yourco.com']);
  });

  it('in mode create, a create still running when another call’s login is refused sends nothing more', async () => {
    const lar = await startLyingLar({ unavailable: 'qa+slow@yourco.com' });
    const session = await sessionOn(lar, { args: ['--email', 'qa@yourco.com', '--max-accounts', '5'] });
    const slow = session.call('provision_account', { file: 'slow.env', emailTag: 'slow' });
    await expect.poll(() => lar.creates.length).toBe(1);
    const fast = data(await session.call('provision_account', { file: 'fast.env', emailTag: 'fast' }));
    expect(fast.code).toBe('wrong-password');
    const stopped = data(await slow);
    expect(stopped.code).toBe('account-limit');
    expect(stopped.message).toMatch(/sends no further create/);
    expect(lar.creates).toEqual(['qa+slow@yourco.com', 'qa+fast@yourco.com']);
    expect(lar.logins).toEqual(['qa+fast@yourco.com']);
  });

  it('an address no account file can hold is refused before any request, and never spends or frees the budget', async () => {
    const server = await startStandIn();
    const session = await sessionOn(server, { args: [] });
    for (const email of ["o'$x@example.com", "o'`x@example.com"]) {
      const refused = data(await session.call('provision_account', { email, file: 'odd.env' }));
      expect(refused).toMatchObject({ ok: false, code: 'input' });
      expect(refused.message).toMatch(/No request was sent/);
    }
    expect(server.requests).toEqual([]);
    expect(data(await session.call('provision_account', { email: 'qa@yourco.com' }))).toMatchObject({ ok: true });
    expect(data(await session.call('provision_account', { email: 'qa@yourco.com', file: 'second.env' }))).toMatchObject({
      ok: false,
      code: 'account-limit',
    });
    expect(server.count('create')).toBe(1);
  });
});

/**
 * A LAR that says every create worked, even for an address it already holds, and refuses every login. A create of
 * `unavailable` is answered 503 with a Retry-After of two seconds instead.
 */
async function startLyingLar({ unavailable = '' } = {}) {
  const creates: string[] = [];
  const logins: string[] = [];
  const lar = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      const { email } = JSON.parse(body) as { email: string };
      (request.url === '/api/user/create' ? creates : logins).push(email);
      if (email === unavailable) return response.writeHead(503, { 'retry-after': '2' }).end();
      response.setHeader('content-type', 'application/json');
      response.end(request.url === '/api/user/create' ? JSON.stringify({ id: 7, email }) : 'null');
    });
  });
  await new Promise<void>((resolve) => lar.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(lar.address() as AddressInfo).port}`,
    creates,
    logins,
    stop: () => new Promise<void>((resolve) => lar.close(() => resolve())),
  };
}

/** A session of the MCP server on `lar`; both end when the test does, whether it passes or fails. */
async function sessionOn(lar: { readonly url: string; stop(): Promise<void> }, options?: SessionOptions): Promise<Session> {
  onTestFinished(() => lar.stop());
  const session = await startSession(lar, options);
  onTestFinished(() => session.close());
  return session;
}

/** `call(0)` to `call(count - 1)`, one after another or all at once; the results in call order. */
async function calling<T>(how: 'one after another' | 'all at once', count: number, call: (n: number) => Promise<T>): Promise<T[]> {
  if (how === 'all at once') return Promise.all(Array.from({ length: count }, (_, n) => call(n)));
  const results: T[] = [];
  for (let n = 0; n < count; n++) results.push(await call(n));
  return results;
}
