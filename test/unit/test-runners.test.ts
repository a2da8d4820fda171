// The test-runner doors revoke the key when the tests end, always: what that asks of their options is refused before
// any request (the base URL points nowhere, so a request would fail differently).
import { describe, expect, it } from 'vitest';
import { withAccount } from '../../src/test-runners/account.ts';

const nowhere = 'http://127.0.0.1:9';
const unused = async () => expect.unreachable('the tests must not run');

describe('withAccount refuses, with code input and nothing sent', () => {
  it('mode existing without replaceKey: its revoke would leave a key that fails the next run', async () => {
    const refusal = withAccount(
      { email: 'fixed@yourco.com', mode: 'existing', password: 'stored-password-0123', baseUrl: nowhere },
      { tagLabel: 'vitest' },
      unused,
    );
    await expect(refusal).rejects.toMatchObject({
      code: 'input',
      message: expect.stringMatching(/^Invalid input: mode 'existing' needs 'replaceKey': true here\./),
    });
  });

  it('no email', async () => {
    await expect(withAccount({ email: '', baseUrl: nowhere }, { tagLabel: 'w0' }, unused)).rejects.toMatchObject({
      code: 'input',
      message: "Invalid input: set the option 'email' (a mailbox you own). No request was sent.",
    });
  });
});
