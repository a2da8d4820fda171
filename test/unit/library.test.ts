// The library's options that are not inputs are checked as inputs are: a wrong type is an input error with a code,
// and nothing is sent (the base URL points nowhere, so a request would fail differently).
import { describe, expect, it } from 'vitest';
import { type LarAccount, provision, revoke } from '../../src/library/index.ts';

const nowhere = 'http://127.0.0.1:9';

describe('the library refuses options of the wrong type, with code input', () => {
  it.each([
    ['a signal that is not an AbortSignal', { signal: {} }],
    ['a log that is not a function', { log: 5 }],
    ['a mask that is not a function', { mask: 'x' }],
    ['an env that is not an object', { env: 'x' }],
  ])('provision: %s', async (_, wrong) => {
    await expect(provision({ email: 'qa@yourco.com', baseUrl: nowhere, ...(wrong as object) })).rejects.toMatchObject({ code: 'input' });
  });

  it.each([
    ['an empty object', {}],
    ['null', null],
    ['an account without its password', { email: 'qa@x.com', userId: '1', apiKey: 'axm_k', baseUrl: nowhere, created: true }],
  ])('revoke: %s', async (_, account) => {
    await expect(revoke(account as unknown as LarAccount)).rejects.toMatchObject({ code: 'input' });
  });
});
