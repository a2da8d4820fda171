// The library reads its options once, as own properties of their documented kinds, and stops with a typed error
// when a callback of the caller's throws. A listener counts every connection: an input error sends nothing.
import { createServer, type Server } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AxiomError, type LarAccount, provision, revoke } from '../../src/library/index.ts';

let listener: Server;
let connections = 0;
let baseUrl = '';
beforeAll(async () => {
  listener = createServer((socket) => {
    connections++;
    socket.destroy();
  });
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(listener.address() as { port: number }).port}`;
});
afterAll(() => new Promise<void>((resolve) => listener.close(() => resolve())));
beforeEach(() => {
  connections = 0;
});

const CALLERS_OWN = 'the caller-s own error: s3cr3t-in-a-message';

/** How provision ended, once the rules or the caller stopped it: nothing may have been sent. */
async function refusal(options: unknown): Promise<AxiomError> {
  const error = await provision(options as Parameters<typeof provision>[0]).then(
    () => expect.unreachable('provision resolved'),
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(AxiomError);
  expect((error as Error).message).not.toContain('s3cr3t');
  expect(connections).toBe(0);
  return error as AxiomError;
}

const throwing = () => {
  throw new Error(CALLERS_OWN);
};

describe('the library refuses options of the wrong type, with code input', () => {
  it.each([
    ['a signal that is not an AbortSignal', { signal: {} }],
    ['a log that is not a function', { log: 5 }],
    ['a mask that is not a function', { mask: 'x' }],
    ['an env that is not an object', { env: 'x' }],
    ['an env with a value that is not a string', { env: { HTTPS_PROXY: 5 } }],
    ['a password that is a symbol', { password: Symbol('x') }],
    ['timeoutSeconds as a string', { timeoutSeconds: '60' }],
    ['replaceKey as a string', { replaceKey: 'true' }],
    ['null for an option', { emailTag: null }],
    ['an option of another name', { emailtag: 'nightly' }],
    ['a property named by a symbol', { [Symbol('email')]: 'qa@yourco.com' }],
  ])('provision: %s', async (_, wrong) => {
    expect(await refusal({ email: 'qa@yourco.com', baseUrl, ...(wrong as object) })).toMatchObject({ code: 'input' });
  });

  it.each([
    ['an empty object', {}],
    ['null', null],
    ['an account without its password', { email: 'qa@x.com', userId: '1', apiKey: 'axm_k', baseUrl: 'http://127.0.0.1:9', created: true }],
    [
      'an account whose password is inherited',
      Object.create(
        { password: 'inherited-pw' },
        Object.getOwnPropertyDescriptors({ email: 'qa@x.com', userId: '1', apiKey: 'axm_k', baseUrl: 'http://127.0.0.1:9' }),
      ),
    ],
  ])('revoke: %s', async (_, account) => {
    await expect(revoke(account as unknown as LarAccount)).rejects.toMatchObject({ code: 'input' });
  });

  it('provision: any option of a kind other than its documented one, and nothing sent', async () => {
    const documented = {
      email: 'string',
      emailTag: 'string',
      password: 'string',
      name: 'string',
      company: 'string',
      country: 'string',
      role: 'string',
      campaign: 'string',
      language: 'string',
      baseUrl: 'string',
      mode: 'string',
      replaceKey: 'boolean',
      timeoutSeconds: 'number',
      log: 'function',
      mask: 'function',
    } as const;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...(Object.keys(documented) as (keyof typeof documented)[])),
        fc.anything({ withBigInt: true, withMap: true, withSet: true }).filter((value) => value !== undefined),
        async (name, value) => {
          fc.pre(typeof value !== documented[name]);
          expect(await refusal({ email: 'qa@yourco.com', baseUrl, [name]: value })).toMatchObject({ code: 'input' });
        },
      ),
    );
  });
});

describe('the library reads only own properties, once', () => {
  it('ignores options inherited from a polluted Object.prototype', async () => {
    const prototype = Object.prototype as Record<string, unknown>;
    prototype.password = 'polluted-password-0123';
    prototype.mode = 'existing';
    try {
      const masked: string[] = [];
      const error = await refusal({
        email: 'qa@yourco.com',
        baseUrl,
        mask: (secret: string) => {
          masked.push(secret);
          throwing();
        },
      });
      expect(error.code).toBe('callback');
      expect(masked).toHaveLength(1);
      expect(masked[0]).not.toBe('polluted-password-0123');
    } finally {
      delete prototype.password;
      delete prototype.mode;
    }
  });

  it('reads inherited options of no kind at all: any prototype chain is ignored', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(fc.constantFrom('email', 'password', 'mode', 'baseUrl', 'emailTag'), fc.string()),
        async (inherited) => {
          const options = Object.assign(Object.create(inherited) as object, { email: 'qa@yourco.com', baseUrl, mode: 'existing' });
          expect((await refusal(options)).message).toMatch(/'password' is required with mode existing/);
        },
      ),
    );
  });

  it.each([
    ['a getter that throws', Object.defineProperty({ email: 'qa@yourco.com' }, 'baseUrl', { enumerable: true, get: throwing })],
    ['a Proxy whose get trap throws', new Proxy({ email: 'qa@yourco.com' }, { get: throwing })],
    ['a Proxy whose ownKeys trap throws', new Proxy({ email: 'qa@yourco.com' }, { ownKeys: throwing })],
    [
      'an env whose getter throws',
      { email: 'qa@yourco.com', env: Object.defineProperty({}, 'HTTPS_PROXY', { enumerable: true, get: throwing }) },
    ],
    ['an env Proxy whose trap throws', { email: 'qa@yourco.com', env: new Proxy({}, { ownKeys: throwing }) }],
  ])('stops with code input on %s, and sends nothing', async (_, options) => {
    expect(await refusal(options)).toMatchObject({ code: 'input', message: expect.stringMatching(/threw.*No request was sent/) });
  });

  it('reads a getter once', async () => {
    let reads = 0;
    const options = Object.defineProperty({ email: 'not-an-address' }, 'baseUrl', {
      enumerable: true,
      get: () => {
        reads++;
        return baseUrl;
      },
    });
    expect(await refusal(options)).toMatchObject({ code: 'input' });
    expect(reads).toBe(1);
  });
});

describe("a callback of the caller's that throws stops the flow with code callback", () => {
  it('mask, on the password: before any request', async () => {
    expect(await refusal({ email: 'qa@yourco.com', baseUrl, mask: throwing })).toMatchObject({
      code: 'callback',
      message: expect.stringMatching(/^The option 'mask' threw/),
    });
  });

  it('log, on its first line: before any request', async () => {
    expect(await refusal({ email: 'qa@yourco.com', baseUrl, log: throwing })).toMatchObject({
      code: 'callback',
      message: expect.stringMatching(/^The option 'log' threw/),
    });
  });
});

describe('revoke', () => {
  it('refuses an account whose email is no address, before any request', async () => {
    const account = {
      email: 'not an address; really',
      userId: '1',
      apiKey: 'axm_x',
      password: 'pw-0123456789',
      baseUrl: 'http://127.0.0.1:9',
      created: true,
    };
    await expect(revoke(account)).rejects.toMatchObject({
      code: 'input',
      message: expect.stringMatching(/email is not an email address.*No request was sent/),
    });
  });
});
