// The account-safety rules on the shipped bundle: the faults that once took over an account or counted three
// failed logins in one step, each replayed against the stand-in.
import { type AddressInfo, createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { useStandIn } from '../harness/fixture.ts';
import { errorOf, warningsOf } from '../harness/run-action.ts';

const t = useStandIn();

describe('a create whose answer was lost', () => {
  it('never logs in to an address and password that are both fixed: an earlier run may own that account', async () => {
    const earlier = t.server.seedUser('qa+nightly@yourco.com', 'team-password-0123456789', { apiKey: true });
    const earlierKey = earlier.apiKey;
    t.server.inject('create', { kind: 'status', status: 502 });
    const run = await t.main(t.inputs({ 'email-tag': 'nightly', password: 'team-password-0123456789' }));
    expect(run.exitCode).toBe(1);
    expect(errorOf(run)).toMatch(/no telling whether this run made it, and no login was sent/);
    expect(t.server.count('login')).toBe(0);
    expect(earlier.apiKey).toBe(earlierKey);
    expect(run.outputs['api-key']).toBeUndefined();
  });

  // A generated password proves nothing about who owns an address: with a fixed tag, an account may have held it
  // before the run, and one failed login there counts toward its owner's lockout.
  it.each([
    ['a reset', { kind: 'reset' }],
    ['a 500', { kind: 'status', status: 500 }],
    ['a 503 with Retry-After', { kind: 'status', status: 503, retryAfter: '0' }],
    ['a 429 from a server that acted all the same', { kind: 'done-then-status', status: 429, retryAfter: '0' }],
  ] as const)('never logs in to a fixed-tag address after %s, even with a generated password', async (_, fault) => {
    const owner = t.server.seedUser('qa+shared@yourco.com', 'somebody-elses-password', { apiKey: true });
    const ownersKey = owner.apiKey;
    t.server.inject('create', fault);
    const run = await t.main(t.inputs({ 'email-tag': 'shared' }));
    expect(run.exitCode).toBe(1);
    expect(errorOf(run)).toMatch(/no telling whether this run made it, and no login was sent to it\. Leave 'email-tag' empty/);
    expect(t.server.count('login')).toBe(0);
    expect(owner.failedLogins).toBe(0);
    expect(owner.apiKey).toBe(ownersKey);
    expect(run.outputs['api-key']).toBeUndefined();
  });

  it('recovers a lost create when the tag is generated, checking has-existing before minting', async () => {
    t.server.inject('create', { kind: 'lost' });
    const run = await t.main(t.inputs());
    expect(run.exitCode, errorOf(run)).toBe(0);
    expect(run.outputs.created).toBe('true');
    expect(t.server.requests.map((r) => r.route)).toEqual(['create', 'create', 'login', 'has-existing', 'key/create']);
  });

  it('recovers the account a throttled create made all the same, rather than calling it someone else’s', async () => {
    t.server.inject('create', { kind: 'done-then-status', status: 429, retryAfter: '0' });
    const run = await t.main(t.inputs());
    expect(run.exitCode, errorOf(run)).toBe(0);
    expect(run.outputs.created).toBe('true');
    expect(t.server.users.size).toBe(1);
  });
});

describe('a login whose password is not proven', () => {
  const existing = (password: string) =>
    t.inputs({ email: 'fixed@yourco.com', mode: 'existing', password, 'timeout-seconds': '5', 'revoke-on-exit': 'false' });

  it('is never sent again once it may have reached the server: one step counts one failed login at most', async () => {
    const user = t.server.seedUser('fixed@yourco.com', 'the-right-password-0123');
    t.server.inject('login', { kind: 'lost' });
    const run = await t.main(existing('a-wrong-password-0123'));
    expect(run.exitCode).toBe(1);
    expect(errorOf(run)).toMatch(/^login: the connection to .* failed \(.+\) \(not repeated: the server may have counted that login/);
    expect(t.server.count('login')).toBe(1);
    expect(user.failedLogins).toBe(1);
  });

  it.each([
    ['a 5xx', { kind: 'status', status: 500 }],
    ['a 503 with Retry-After', { kind: 'status', status: 503, retryAfter: '1' }],
    ['a hang', { kind: 'hang' }],
  ] as const)('is not repeated after %s', async (_, fault) => {
    t.server.seedUser('fixed@yourco.com', 'the-right-password-0123');
    t.server.inject('login', fault);
    const run = await t.main(existing('the-right-password-0123'));
    expect(run.exitCode).toBe(1);
    expect(t.server.count('login')).toBe(1);
  });

  it('waits out throttling, which the server did not count', async () => {
    t.server.seedUser('fixed@yourco.com', 'the-right-password-0123');
    t.server.inject('login', ...Array(3).fill({ kind: 'status', status: 429, retryAfter: '0' }));
    const run = await t.main(existing('the-right-password-0123'));
    expect(run.exitCode, errorOf(run)).toBe(0);
    expect(t.server.count('login')).toBe(4);
  });

  it('sends one login at most in the post step', async () => {
    const main = await t.main(t.inputs());
    expect(main.exitCode, errorOf(main)).toBe(0);
    t.server.inject('login', { kind: 'lost' });
    const post = await t.post(main, t.inputs());
    expect(post.exitCode).toBe(0);
    expect(warningsOf(post).join('\n')).toMatch(/not repeated/);
    expect(t.server.count('login')).toBe(2);
  });
});

describe('hostile answers', () => {
  it('never quotes an unknown create status: a server that echoes the request would show the password', async () => {
    t.server.inject('create', { kind: 'echo-status' });
    const run = await t.main(t.inputs({ password: 'echoed-Gv7kQ2m9xZp4LwR8' }));
    expect(run.exitCode).toBe(1);
    expect(errorOf(run)).toMatch(/^create: LAR refused the account with a status its API page does not list \(\d+ characters, not shown/);
    expect(run.summary).not.toContain('Gv7kQ2m9');
  });

  it('reads a JSON body behind a UTF-8 byte order mark', async () => {
    t.server.inject('create', { kind: 'bom' }).inject('login', { kind: 'bom' }).inject('key/create', { kind: 'bom' });
    const run = await t.main(t.inputs());
    expect(run.exitCode, errorOf(run)).toBe(0);
    expect(t.server.keyOwner(run.outputs['api-key'] ?? '')).toMatchObject(t.accountOf(run));
  });

  it.each(['newline', 'non-latin1'] as const)(
    'takes a login token with a %s for an unusable answer, not a lost connection',
    async (variant) => {
      t.server.inject('login', { kind: 'unsafe-token', variant });
      const run = await t.main(t.inputs());
      expect(run.exitCode).toBe(1);
      expect(errorOf(run)).toMatch(/^login: HTTP 200, but the login token is not a bearer token/);
      expect(t.server.requests.map((r) => r.route)).toEqual(['create', 'login']);
    },
  );

  it('counts one failed login when the server counts it and then answers a 5xx, in mode existing', async () => {
    const user = t.server.seedUser('fixed@yourco.com', 'the-right-password-0123');
    t.server.inject('login', ...Array(3).fill({ kind: 'done-then-status', status: 502 }));
    const run = await t.main(
      t.inputs({ email: 'fixed@yourco.com', mode: 'existing', password: 'a-wrong-password-0123', 'revoke-on-exit': 'false' }),
    );
    expect(run.exitCode).toBe(1);
    expect(user.failedLoginsCounted).toBe(1);
  });
});

describe('a hostile network', () => {
  // Nothing may keep the process alive past the step: undici's own connect timeout (10 s) once did, for a TLS
  // handshake inside a tunnel, which destroying the dispatcher does not reach.
  it.each([
    ['accepts the connection and never answers its CONNECT', (_: Socket) => undefined],
    [
      'opens the tunnel, then stays silent through the TLS handshake',
      (socket: Socket) => socket.once('data', () => socket.write('HTTP/1.1 200 Connection Established\r\n\r\n')),
    ],
  ])('ends within timeout-seconds when a proxy %s', async (_, behave) => {
    const sockets: Socket[] = [];
    const silent = createServer((socket) => {
      sockets.push(socket);
      behave(socket);
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const proxy = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
    try {
      t.server.seedUser('fixed@yourco.com', 'the-right-password-0123');
      const inputs = t.inputs({
        email: 'fixed@yourco.com',
        mode: 'existing',
        password: 'the-right-password-0123',
        'timeout-seconds': '5',
        'revoke-on-exit': 'false',
      });
      const run = await t.main({ ...inputs, 'base-url': 'https://lar.test' }, { env: { HTTPS_PROXY: proxy } });
      expect(run.exitCode).toBe(1);
      expect(errorOf(run)).toMatch(/^login: no answer from https:\/\/lar\.test through the proxy at 127\.0\.0\.1:\d+ within/);
      expect(run.durationMs).toBeLessThan(5000 + 2000);
    } finally {
      for (const socket of sockets) socket.destroy();
      silent.close();
    }
  });

  it('never shows where a redirect points: a server can spell a secret into the Location', async () => {
    const password = 'Sup3rSecretPassw0rd-Team';
    t.server.inject('create', { kind: 'redirect', location: `https://${password.toLowerCase()}.evil.example/` });
    const run = await t.main(t.inputs({ password }));
    expect(errorOf(run)).toMatch(/^create: the server answered HTTP 307, a redirect; redirects are not followed/);
    const shown = run.stdout.split('\n').filter((line) => !line.startsWith('::add-mask::'));
    expect(shown.join('\n').toLowerCase()).not.toContain('sup3rsecret');
    expect(run.summary.toLowerCase()).not.toContain('sup3rsecret');
  });

  it('sets no api-key when a later part of the step fails (GITHUB_ENV cannot be written)', async () => {
    const run = await t.main(t.inputs({ 'export-env': 'true' }), { env: { GITHUB_ENV: '/nonexistent/dir/env' } });
    expect(run.exitCode).toBe(1);
    expect(run.outputs['api-key']).toBeUndefined();
    expect(run.stderr).toBe('');
  });

  // Main saves the revoke state only once it has a key: a state file that cannot take it would leave a key no post
  // step can revoke, so main refuses before it sends anything.
  it.each([
    ['names no file', '/nonexistent/dir/state', /Missing file at path/],
    ['is a directory', tmpdir(), /is not a regular file/],
    ['is not set', '', /revoke-on-exit is true, but this runner gives the step no state file/],
  ])('fails cleanly, without a stack trace or a request, when GITHUB_STATE %s', async (_, path, message) => {
    const run = await t.main(t.inputs(), { env: { GITHUB_STATE: path } });
    expect(run.exitCode).toBe(1);
    expect(errorOf(run)).toMatch(message);
    expect(errorOf(run)).toMatch(/so the post step could not revoke the key.*\. No request was sent\.$/);
    expect(run.stderr).toBe('');
    expect(t.server.requests).toEqual([]);
  });
});
