// Transport against real local servers: HTTPS with a private CA, a proxy on loopback, and one connection.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { useStandIn } from '../harness/fixture.ts';
import { errorOf } from '../harness/run-action.ts';
import { TestProxy } from '../stand-in/proxy.ts';

const tls = (name: string) => fileURLToPath(new URL(`../fixtures/tls/${name}`, import.meta.url));
const trustTestCa = { NODE_EXTRA_CA_CERTS: tls('ca.crt') };

describe('over HTTPS with a private CA', () => {
  const t = useStandIn({ tls: { key: readFileSync(tls('server.key')), cert: readFileSync(tls('server.crt')) } });
  const httpsInputs = () => t.inputs({ 'base-url': t.server.url.replace('127.0.0.1', 'localhost') });

  it('provisions over one TLS connection when NODE_EXTRA_CA_CERTS trusts the CA', async () => {
    const run = await t.main(httpsInputs(), { env: trustTestCa });
    expect(run.exitCode, errorOf(run)).toBe(0);
    expect(t.server.keyOwner(run.outputs['api-key'] ?? '')).toBeDefined();
    expect(t.server.connections).toBe(1);
  });

  it('fails at once with advice when the CA is not trusted, and does not retry', async () => {
    const run = await t.main(httpsInputs());
    expect(run.exitCode).toBe(1);
    expect(errorOf(run)).toMatch(
      /^create: the server's TLS certificate is not trusted \(.+\); for a corporate CA, point NODE_EXTRA_CA_CERTS/,
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
      const run = await t.main(httpsInputs(), { env: { ...trustTestCa, HTTPS_PROXY: proxy.url } });
      expect(run.exitCode, errorOf(run)).toBe(0);
      expect(proxy.tunnels).toEqual([new URL(httpsInputs()['base-url'] ?? '').host]);
      expect(t.server.requests.map((r) => r.route)).toEqual(['create', 'login', 'key/create']);
      expect(t.server.connections).toBe(1);
    });

    it('bypasses the proxy for hosts in NO_PROXY', async () => {
      const run = await t.main(httpsInputs(), { env: { ...trustTestCa, HTTPS_PROXY: proxy.url, NO_PROXY: 'localhost' } });
      expect(run.exitCode, errorOf(run)).toBe(0);
      expect(proxy.tunnels).toEqual([]);
    });

    it('masks a password in the proxy URL', async () => {
      const run = await t.main(httpsInputs(), {
        env: { ...trustTestCa, HTTPS_PROXY: proxy.url.replace('//', '//ci:proxy-pass-0123456789@') },
      });
      expect(run.stdout.split('\n')).toContain('::add-mask::proxy-pass-0123456789');
    });
  });
});

describe('over plain HTTP on loopback', () => {
  const t = useStandIn();

  it('sends every request of a provisioning over one keep-alive connection', async () => {
    const run = await t.main(t.inputs({ email: 'fixed@yourco.com', mode: 'existing', password: 'stored-password-0123' }), {});
    expect(run.exitCode).toBe(1); // no such account: one login, answered null
    t.server.seedUser('fixed2@yourco.com', 'stored-password-0123');
    const before = t.server.connections;
    const ok = await t.main(t.inputs({ email: 'fixed2@yourco.com', mode: 'existing', password: 'stored-password-0123' }));
    expect(ok.exitCode).toBe(0);
    expect(t.server.requests.slice(-3).map((r) => r.route)).toEqual(['login', 'has-existing', 'key/create']);
    expect(t.server.connections - before).toBe(1);
  });

  it('forwards plain-http calls through HTTP_PROXY', async () => {
    const proxy = await new TestProxy().start();
    try {
      const run = await t.main(t.inputs(), { env: { HTTP_PROXY: proxy.url } });
      expect(run.exitCode, errorOf(run)).toBe(0);
      expect(proxy.tunnels.length + proxy.forwarded.length).toBeGreaterThan(0);
    } finally {
      await proxy.stop();
    }
  });
});
