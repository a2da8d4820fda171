import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chooseProxy } from '../../src/core/lar/proxy.ts';
import { checkOrigin } from '../../src/core/origin.ts';

const PROXY = 'http://proxy.corp:3128';

describe('chooseProxy', () => {
  it('takes HTTPS_PROXY for https, falling back to HTTP_PROXY, lowercase first, as undici does', () => {
    expect(chooseProxy('https://lar.axiom.ai', { HTTPS_PROXY: PROXY }).proxyUrl).toBe(PROXY);
    expect(chooseProxy('https://lar.axiom.ai', { HTTP_PROXY: PROXY }).proxyUrl).toBe(PROXY);
    expect(chooseProxy('https://lar.axiom.ai', { https_proxy: 'http://a:1', HTTPS_PROXY: 'http://b:2' }).proxyUrl).toBe('http://a:1');
    expect(chooseProxy('https://lar.axiom.ai', { HTTPS_PROXY: '', HTTP_PROXY: PROXY }).proxyUrl).toBe(PROXY);
    expect(chooseProxy('https://lar.axiom.ai', {}).proxyUrl).toBeUndefined();
  });

  it.each(['http://localhost:8787', 'http://127.0.0.1:8787', 'http://127.9.9.9', 'http://[::1]:8787', 'https://localhost'])(
    'never proxies loopback (%s)',
    (origin) => {
      expect(chooseProxy(origin, { HTTP_PROXY: PROXY, HTTPS_PROXY: PROXY, http_proxy: PROXY }).proxyUrl).toBeUndefined();
    },
  );

  it('puts a proxy in front of plain http exactly where base-url refuses it as not loopback', () => {
    const host = fc.oneof(
      fc.constantFrom('localhost', 'LocalHost', '127.1', '[::1]', '[0:0:0:0:0:0:0:1]', '[::ffff:127.0.0.1]', 'localhost.example'),
      fc.ipV4(),
      fc.ipV6().map((address) => `[${address}]`),
      fc.domain(),
    );
    fc.assert(
      fc.property(host, (name) => {
        const { origin } = new URL(`http://${name}`);
        const accepted = 'origin' in checkOrigin(origin);
        expect(chooseProxy(origin, { HTTP_PROXY: PROXY }).proxyUrl === undefined, origin).toBe(accepted);
      }),
    );
  });

  it.each([
    ['lar.axiom.ai', true],
    ['.axiom.ai', true],
    ['*.axiom.ai', true],
    ['axiom.ai', false],
    ['lar.axiom.ai:443', true],
    ['lar.axiom.ai:8443', false],
    ['*', true],
    ['other.example, lar.axiom.ai', true],
    ['LAR.AXIOM.AI', true],
  ] as const)('applies NO_PROXY=%s', (noProxy, bypassed) => {
    expect(chooseProxy('https://lar.axiom.ai', { HTTPS_PROXY: PROXY, NO_PROXY: noProxy }).proxyUrl).toBe(bypassed ? undefined : PROXY);
  });

  it('finds the password to mask in every variable, parsed or not, raw and decoded', () => {
    const { secrets } = chooseProxy('https://lar.axiom.ai', {
      HTTPS_PROXY: 'http://ci:p%40ss-0123456789@proxy.corp:3128',
      http_proxy: 'http://ci:broken pass-0123@proxy corp',
    });
    expect(secrets).toEqual(expect.arrayContaining(['p%40ss-0123456789', 'p@ss-0123456789', 'broken pass-0123']));
  });

  it('reports a malformed variable that applies by name, never by value', () => {
    const choice = chooseProxy('https://lar.axiom.ai', { HTTPS_PROXY: 'http://ci:s3cr3t-pw@proxy corp:3128' });
    expect(choice.proxyUrl).toBeUndefined();
    expect(choice.problem).toMatch(/^the environment variable HTTPS_PROXY is not a URL.*not shown/);
    expect(choice.problem).not.toContain('s3cr3t');
    expect(chooseProxy('https://lar.axiom.ai', { HTTPS_PROXY: 'socks5://proxy.corp:1080' }).problem).toMatch(/http:\/\/ or https:\/\//);
  });

  it('ignores a malformed variable that does not apply to the origin', () => {
    expect(chooseProxy('http://127.0.0.1:8787', { HTTP_PROXY: 'not a url' }).problem).toBeUndefined();
  });
});

describe('chooseProxy refuses what undici would choke on, by name', () => {
  it.each([
    ['http://user:pw%zz@proxy.corp:3128', /stray %/],
    ['http://user:12345/path@proxy.corp:3128', /no path/],
  ])('%s', (value, problem) => {
    const choice = chooseProxy('https://lar.axiom.ai', { HTTPS_PROXY: value });
    expect(choice.problem).toMatch(problem);
    expect(choice.problem).toMatch(/^the environment variable HTTPS_PROXY/);
    expect(choice.problem).not.toContain('pw%zz');
  });
});
