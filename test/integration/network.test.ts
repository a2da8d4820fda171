// Transport against real local servers: HTTPS with a private CA, a proxy on loopback, and one connection.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { useStandIn } from '../harness/fixture.ts';
import { errorOf } from '../harness/run-action.ts';
import { TEST_HOST, TestProxy } from '../stand-in/proxy.ts';

const tls = (name: string) => fileURLToPath(new URL(`../fixtures/tls/${name}`, import.meta.url));
const trustTestCa = { NODE_EXTRA_CA_CERTS: tls('ca.crt') };

describe('over HTTPS with a private CA', () => {
  const t = useStandIn({ tls: { key: readFileSync(tls('server.key')), cert: readFileSync(tls('server.crt')) } });
  const httpsInputs = () => t.inputs({ 'base-url': t.server.url.replace('127.0.0.1', 'localhost') });
  /** The stand-in by a name that is not loopback, which only the test proxy resolves. */
  const proxiedInputs = () => t.inputs({ 'base-url': t.server.url.replace('127.0.0.1', TEST_HOST) });

  it('provisions over one TLS connection when NODE_EXTRA_CA_CERTS trusts the CA', async () => {
    const run = await t.main(httpsInputs(), { env: trustTestCa });
    expect(run.exitCode, errorOf(run)).toBe(0);
    expect(t.server.keyOwner(run.outputs['api-key'] ?? '')).toMatchObject(t.accountOf(run));
    expect(t.server.connections).toBe(1);
  });

  it('fails at once with advice when the CA is not trusted, and does not retry', async () => {
    const run = await t.main(httpsInputs());
    expect(run.exitCode).toBe(1);
    expect(errorOf(run)).toMatch(
      /^create: the TLS certificate of https:\/\/localhost:\d+ is not trusted \(.+\); for a corporate CA, point NODE_EXTRA_CA_CERTS/,
    );
    expect(t.server.requests).toEqual([]);
    expect(t.server.connections).toBe(1);
  });

  describe('through HTTPS_PROXY', () => {
    let proxy: TestProxy;
    beforeEach(async () => {
      proxy = await new TestProxy().start();
    });
    afterEach(() => proxy.stop());

    it('tunnels every call through the proxy on one connection', async () => {
      const run = await t.main(proxiedInputs(), { env: { ...trustTestCa, HTTPS_PROXY: proxy.url } });
      expect(run.exitCode, errorOf(run)).toBe(0);
      expect(proxy.tunnels).toEqual([new URL(proxiedInputs()['base-url'] ?? '').host]);
      expect(t.server.requests.map((r) => r.route)).toEqual(['create', 'login', 'key/create']);
      expect(t.server.connections).toBe(1);
    });

    it('bypasses the proxy for hosts in NO_PROXY', async () => {
      const run = await t.main(proxiedInputs(), { env: { ...trustTestCa, HTTPS_PROXY: proxy.url, NO_PROXY: TEST_HOST } });
      // Only the proxy knows the test host, so going direct fails to resolve it, and names the server it tried.
      expect(errorOf(run)).toMatch(new RegExp(`^create: could not connect to https://${TEST_HOST}:\\d+ \\((ENOTFOUND|EAI_AGAIN)\\)`));
      expect(proxy.tunnels).toEqual([]);
    });

    it('never proxies loopback, whatever the proxy variables say', async () => {
      const run = await t.main(httpsInputs(), { env: { ...trustTestCa, HTTPS_PROXY: proxy.url, HTTP_PROXY: proxy.url } });
      expect(run.exitCode, errorOf(run)).toBe(0);
      expect(proxy.tunnels).toEqual([]);
    });

    it('stops at once when the proxy wants credentials (407), and says where they go', async () => {
      const refusing = await new TestProxy({ refuseTunnels: 407 }).start();
      const run = await t.main(proxiedInputs(), { env: { ...trustTestCa, HTTPS_PROXY: refusing.url } });
      await refusing.stop();
      expect(errorOf(run)).toMatch(
        new RegExp(
          `^create: the proxy refused the tunnel to https://${TEST_HOST}:\\d+ through the proxy at 127\\.0\\.0\\.1:\\d+ \\(HTTP 407\\): it wants credentials`,
        ),
      );
      expect(refusing.tunnels).toHaveLength(1);
      expect(t.server.requests).toEqual([]);
    });

    it('says the proxy refused the credentials when its URL has some (407)', async () => {
      const refusing = await new TestProxy({ refuseTunnels: 407 }).start();
      const run = await t.main(proxiedInputs(), {
        env: { ...trustTestCa, HTTPS_PROXY: refusing.url.replace('//', '//ci:wrong-proxy-pass-0123@') },
      });
      await refusing.stop();
      expect(errorOf(run)).toMatch(/\(HTTP 407\): it refused the credentials in the proxy URL$/);
      expect(t.server.requests).toEqual([]);
    });

    it('repeats a request whose tunnel the proxy refused (LAR never saw it), then names the refusal', async () => {
      const refusing = await new TestProxy({ refuseTunnels: 502 }).start();
      const run = await t.main(proxiedInputs(), { env: { ...trustTestCa, HTTPS_PROXY: refusing.url } });
      await refusing.stop();
      expect(errorOf(run)).toMatch(/^create: the proxy refused the tunnel to .+ \(HTTP 502\) \(gave up after \d+ failed attempts\)/);
      expect(refusing.tunnels.length).toBeGreaterThan(1);
      expect(t.server.requests).toEqual([]);
    });

    it.each([
      ['never answers the first CONNECT', 'connect'],
      ['answers the first CONNECT, then stalls the TLS handshake in it', 'handshake'],
    ] as const)('abandons a tunnel whose proxy %s, and retries on a new one', async (_, stage) => {
      const stalling = await new TestProxy({ stallFirstTunnel: stage }).start();
      try {
        const run = await t.main({ ...proxiedInputs(), 'timeout-seconds': '8' }, { env: { ...trustTestCa, HTTPS_PROXY: stalling.url } });
        expect(run.exitCode, errorOf(run)).toBe(0);
        // One attempt's share of the timeout, then the retry: the step ends (process exit included) well before it.
        expect(run.durationMs).toBeLessThan(6000);
        expect(stalling.tunnels.length).toBeGreaterThanOrEqual(2);
        expect([...t.server.users.values()].map((user) => user.keys.length)).toEqual([1]);
        expect(t.server.keyOwner(run.outputs['api-key'] ?? '')).toMatchObject(t.accountOf(run));
      } finally {
        await stalling.stop();
      }
    });

    // A login whose password is not proven is sent once at most; one that provably never left (no tunnel, no TLS, so
    // undici never wrote it) is not a login the server could count, so the retry on a new tunnel is safe.
    it.each([
      ['never answers the first CONNECT', 'connect'],
      ['stalls the TLS handshake in the first tunnel', 'handshake'],
    ] as const)('in mode existing, retries a login that never left when the proxy %s', async (_, stage) => {
      const user = t.server.seedUser('fixed@yourco.com', 'stored-password-0123');
      const inputs = {
        ...proxiedInputs(),
        email: 'fixed@yourco.com',
        mode: 'existing',
        password: 'stored-password-0123',
        'replace-key': 'true',
        'timeout-seconds': '8',
      };
      const stalling = await new TestProxy({ stallFirstTunnel: stage }).start();
      try {
        const main = await t.main(inputs, { env: { ...trustTestCa, HTTPS_PROXY: stalling.url } });
        expect(main.exitCode, errorOf(main)).toBe(0);
        expect(stalling.tunnels.length).toBeGreaterThanOrEqual(2);
        const post = await t.post(main, inputs, { env: { ...trustTestCa, HTTPS_PROXY: stalling.url } });
        expect(post.stdout).toMatch(/Revoked the API key/);
        expect(t.server.count('login')).toBe(2);
        expect(user.failedLoginsCounted).toBe(0);
        expect(t.server.keyOwner(main.outputs['api-key'] ?? '')).toBeUndefined();
      } finally {
        await stalling.stop();
      }
    });

    it('masks a password in the proxy URL before anything else, and names the proxy without it', async () => {
      const closed = await new TestProxy().start();
      await closed.stop();
      const run = await t.main(proxiedInputs(), {
        env: { ...trustTestCa, HTTPS_PROXY: closed.url.replace('//', '//ci:proxy-pass-0123456789@') },
      });
      const lines = run.stdout.split('\n');
      const maskAt = lines.indexOf('::add-mask::proxy-pass-0123456789');
      expect(maskAt).toBeGreaterThanOrEqual(0);
      expect(maskAt).toBeLessThan(lines.findIndex((l) => !l.startsWith('::add-mask::')));
      expect(errorOf(run)).toMatch(
        new RegExp(`could not connect to https://${TEST_HOST}:\\d+ through the proxy at 127\\.0\\.0\\.1:\\d+ \\(ECONNREFUSED\\)`),
      );
      expect(run.stdout).not.toMatch(/proxy-pass-0123456789(?!$)/m);
    });
  });
});

describe('a malformed proxy variable', () => {
  const t = useStandIn();
  const malformed = { HTTPS_PROXY: 'http://ci:proxy-pass-0123456789@proxy example:3128' };
  const remote = () => t.inputs({ 'base-url': `https://${TEST_HOST}` });

  it('fails main with a clear error that names the variable, shows no value, and sends nothing', async () => {
    const run = await t.main(remote(), { env: malformed });
    expect(run.exitCode).toBe(1);
    expect(errorOf(run)).toMatch(/HTTPS_PROXY is not a URL.*the value is not shown.*No request was sent/);
    expect(run.stdout.split('\n')).toContain('::add-mask::proxy-pass-0123456789');
    expect(run.stderr).toBe('');
  });

  it('does not stop a revoke on loopback when main ran with it too: no stack trace, exit 0', async () => {
    const main = await t.main(t.inputs(), { env: malformed });
    expect(main.exitCode, errorOf(main)).toBe(0);
    const post = await t.post(main, t.inputs(), { env: malformed });
    expect(post.exitCode).toBe(0);
    expect(post.stderr).toBe('');
    expect(post.stdout).not.toMatch(/\bat .*\.js:\d+/);
    // Loopback goes direct, so the broken proxy variable does not stop the revoke.
    expect(t.server.keyOwner(main.outputs['api-key'] ?? '')).toBeUndefined();
  });
});

describe('over plain HTTP on loopback', () => {
  const t = useStandIn();

  it('sends every request of a provisioning over one keep-alive connection', async () => {
    const run = await t.main(
      t.inputs({ email: 'fixed@yourco.com', mode: 'existing', password: 'stored-password-0123', 'revoke-on-exit': 'false' }),
      {},
    );
    expect(run.exitCode).toBe(1); // no such account: one login, answered null
    t.server.seedUser('fixed2@yourco.com', 'stored-password-0123');
    const before = t.server.connections;
    const ok = await t.main(
      t.inputs({ email: 'fixed2@yourco.com', mode: 'existing', password: 'stored-password-0123', 'revoke-on-exit': 'false' }),
    );
    expect(ok.exitCode).toBe(0);
    expect(t.server.requests.slice(-3).map((r) => r.route)).toEqual(['login', 'has-existing', 'key/create']);
    expect(t.server.connections - before).toBe(1);
  });

  it('never sends loopback http through HTTP_PROXY: the password would cross to the proxy in clear', async () => {
    const proxy = await new TestProxy().start();
    try {
      const run = await t.main(t.inputs(), { env: { HTTP_PROXY: proxy.url, http_proxy: proxy.url } });
      expect(run.exitCode, errorOf(run)).toBe(0);
      expect([...proxy.tunnels, ...proxy.forwarded]).toEqual([]);
    } finally {
      await proxy.stop();
    }
  });
});
