// The test-runner doors' options: read as the library reads its own, with the password taken from the environment,
// and refused before any request when the door would make them unsafe (the base URL points nowhere, so a request
// would fail differently).
import { describe, expect, it } from 'vitest';
import { type ReadOptions, readTestRunnerOptions, withAccount } from '../../src/test-runners/account.ts';

const nowhere = 'http://127.0.0.1:9';
const unused = async () => expect.unreachable('the tests must not run');
const globalSetup = { traits: { name: "Vitest's larGlobalSetup" }, tagLabel: 'vitest' };
const fixture = { traits: { name: 'the Playwright fixture', accountPerWorker: { onePerRun: 'Use larGlobalSetup' } }, tagLabel: 'w0' };
const PASSWORD = 'stored-password-0123';

describe('the test-runner options', () => {
  it('refuse a password, saying to name its environment variable instead, without showing it', () => {
    const read = () => readTestRunnerOptions({ email: 'qa@yourco.com', password: PASSWORD }, 'larOptions', {});
    expect(read).toThrow(expect.objectContaining({ code: 'input', message: expect.stringContaining("passwordEnv: 'AXIOM_PASSWORD'") }));
    expect(read).toThrow(expect.objectContaining({ message: expect.not.stringContaining(PASSWORD) }));
  });

  it('take the password from the variable passwordEnv names', () => {
    const read = readTestRunnerOptions({ email: 'qa@yourco.com', passwordEnv: 'LAR_PW' }, 'larOptions', { LAR_PW: PASSWORD });
    expect(read).toEqual({ email: 'qa@yourco.com', password: PASSWORD });
  });

  it.each([
    ['a value that is no variable name, unshown', 'Wq8n T3-a-password', /'passwordEnv' must be the name of an environment variable/],
    ['a variable that is not set, unnamed', 'LAR_UNSET_PW', /'passwordEnv' names an environment variable that is empty or not set/],
  ])('refuse as passwordEnv %s', (_, passwordEnv, message) => {
    const read = () => readTestRunnerOptions({ email: 'qa@yourco.com', passwordEnv }, 'larOptions', {});
    expect(read).toThrow(expect.objectContaining({ code: 'input', message: expect.stringMatching(message) }));
    expect(read).toThrow(expect.objectContaining({ message: expect.not.stringContaining(passwordEnv) }));
  });
});

describe('withAccount refuses, with code input and nothing sent', () => {
  const existing = (mode: string, extra: object = {}): ReadOptions => ({
    email: 'fixed@yourco.com',
    mode,
    password: PASSWORD,
    baseUrl: nowhere,
    ...extra,
  });

  it.each([' existing', 'existing ', '\texisting\n'])('mode %j in the per-worker fixture, naming larGlobalSetup', async (mode) => {
    await expect(withAccount(existing(mode, { replaceKey: true }), fixture, unused)).rejects.toMatchObject({
      code: 'input',
      message: expect.stringMatching(
        /^Invalid input: 'mode' existing does not fit the Playwright fixture: .* Use larGlobalSetup\. No request was sent\.$/,
      ),
    });
  });

  it('mode existing without replaceKey in a global setup, naming the options as the door spells them', async () => {
    const refusal = withAccount(existing(' existing'), globalSetup, unused);
    await expect(refusal).rejects.toMatchObject({
      code: 'input',
      message: expect.stringMatching(/^Invalid input: 'mode' existing needs 'replaceKey' set to true with Vitest's larGlobalSetup: /),
    });
    await expect(refusal).rejects.toMatchObject({ message: expect.not.stringMatching(/revoke-?on-?exit|replace-key/i) });
  });

  it('mode existing without a password names passwordEnv', async () => {
    const refusal = withAccount({ email: 'fixed@yourco.com', mode: 'existing', replaceKey: true, baseUrl: nowhere }, globalSetup, unused);
    await expect(refusal).rejects.toMatchObject({
      code: 'input',
      message: expect.stringContaining("the password (from 'passwordEnv') is required"),
    });
  });

  it('no email', async () => {
    await expect(withAccount({ email: '', baseUrl: nowhere }, fixture, unused)).rejects.toMatchObject({
      code: 'input',
      message: "Invalid input: 'email' is required: a mailbox you own, such as qa@yourco.com. No request was sent.",
    });
  });
});
