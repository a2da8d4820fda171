// The flow's decisions, with a scripted fake in place of the HTTP client.
import { describe, expect, it } from 'vitest';
import { type ProvisionPlan, runFlow } from '../../src/core/flow.ts';
import type { LarApi } from '../../src/core/lar/client.ts';
import type { CreateAnswer, LoginAnswer } from '../../src/core/lar/responses.ts';

const inputs: ProvisionPlan = Object.freeze({
  mode: 'create',
  email: 'qa+t@yourco.com',
  password: 'pw-0123456789abcdef',
  profile: { name: 'CI Test User', company: '', country: '', role: '', campaign: 'c', language: 'en-GB' },
  addressUniqueToRun: true,
  replaceKey: false,
  baseUrl: 'https://lar.example',
});

function fake(create: CreateAnswer, login: LoginAnswer, earlierAttemptSent = false, hasKey = false) {
  const calls: string[] = [];
  const api: LarApi = {
    create: async () => {
      calls.push('create');
      return { value: create, earlierAttemptSent };
    },
    login: async (_email, _password, { passwordProven }) => {
      calls.push(passwordProven ? 'login' : 'login (unproven)');
      return login;
    },
    hasExistingKey: async () => {
      calls.push('has-existing');
      return hasKey;
    },
    mintKey: async () => {
      calls.push('key/create');
      return 'axm_key';
    },
  };
  return { api, calls };
}
const session: LoginAnswer = { kind: 'session', userId: '9', token: 'jwt', refreshToken: 'r' };
const created: CreateAnswer = { kind: 'created', userId: '9', email: inputs.email };

describe('provision', () => {
  it('runs create → login → key and reports the account', async () => {
    const { api, calls } = fake(created, session);
    await expect(runFlow(inputs, api, () => {})).resolves.toEqual({
      email: inputs.email,
      userId: '9',
      apiKey: 'axm_key',
      password: inputs.password,
      baseUrl: inputs.baseUrl,
      created: true,
    });
    expect(calls).toEqual(['create', 'login', 'key/create']);
  });

  it.each([
    ['Could not create an account, name field contains a URL or email address', /'name' because it looks like a URL.*plain words/],
    [
      'To prevent abuse of our free plan, please do not register with an anonymous email provider.',
      /yourco\.com as an anonymous \(disposable\)/,
    ],
    ['email_exists', /already registered, and not by this run.*'email-tag'.*'mode' existing/],
    ['Something new: Gv7kQ2m9xZp4', /a status its API page does not list \(27 characters, not shown/],
  ])('turns the create status %j into advice, and stops', async (status, message) => {
    const { api, calls } = fake({ kind: 'refused', status }, session);
    const refusal = runFlow(inputs, api, () => {});
    await expect(refusal).rejects.toThrow(message);
    await expect(refusal).rejects.not.toThrow(/Gv7k/);
    expect(calls).toEqual(['create']);
  });

  it('after a lost create answer, logs in once to claim email_exists, and stops on null', async () => {
    const { api, calls } = fake({ kind: 'refused', status: 'email_exists' }, { kind: 'wrong-credentials' }, true);
    await expect(runFlow(inputs, api, () => {})).rejects.toThrow(/someone else registered it/);
    expect(calls).toEqual(['create', 'login (unproven)']);
  });

  it('after a lost create answer, checks has-existing before minting, and mints for a keyless account', async () => {
    const { api, calls } = fake({ kind: 'refused', status: 'email_exists' }, session, true);
    await expect(runFlow(inputs, api, () => {})).resolves.toMatchObject({ created: true, apiKey: 'axm_key' });
    expect(calls).toEqual(['create', 'login (unproven)', 'has-existing', 'key/create']);
  });

  it('after a lost create answer, stops without minting when the account already has a key: not ours', async () => {
    const { api, calls } = fake({ kind: 'refused', status: 'email_exists' }, session, true, true);
    await expect(runFlow(inputs, api, () => {})).rejects.toThrow(
      /already has an API key, so it is not an account this run's create made.*No key was minted/,
    );
    expect(calls).toEqual(['create', 'login (unproven)', 'has-existing']);
  });

  it('never logs in after a lost create answer when the address is not unique to the run', async () => {
    const { api, calls } = fake({ kind: 'refused', status: 'email_exists' }, session, true);
    await expect(runFlow({ ...inputs, addressUniqueToRun: false }, api, () => {})).rejects.toThrow(
      /no telling whether this run made it, and no login was sent.*Leave 'email-tag' empty/,
    );
    expect(calls).toEqual(['create']);
  });

  it('logs in with a proven password only after its own create was answered', async () => {
    const created_ = fake(created, session);
    await runFlow(inputs, created_.api, () => {});
    expect(created_.calls[1]).toBe('login');
    const existing = fake(created, session);
    await runFlow({ ...inputs, mode: 'existing' }, existing.api, () => {});
    expect(existing.calls).toEqual(['login (unproven)', 'has-existing', 'key/create']);
  });

  it('refuses to mint for a different user than the one it created', async () => {
    const { api, calls } = fake(created, { ...session, userId: '10' } as LoginAnswer);
    await expect(runFlow(inputs, api, () => {})).rejects.toThrow(/logged in user 10, but create made user 9/);
    expect(calls).toEqual(['create', 'login']);
  });
});
