// The flow's decisions, with a scripted fake in place of the HTTP client.
import { describe, expect, it } from 'vitest';
import type { Inputs } from '../../src/action/inputs.ts';
import type { CreateAnswer, LoginAnswer } from '../../src/lar/responses.ts';
import { type LarApi, provision } from '../../src/provision.ts';

const inputs: Inputs = Object.freeze({
  mode: 'create',
  email: 'qa+t@yourco.com',
  password: 'pw-0123456789abcdef',
  profile: { name: 'CI Test User', company: '', country: '', role: '', campaign: 'c', language: 'en-GB' },
  baseUrl: 'https://lar.axiom.ai',
  replaceKey: false,
  timeoutMs: 60_000,
  revokeOnExit: true,
  exportEnv: false,
});

function fake(create: CreateAnswer, login: LoginAnswer, earlierOutcomeUnknown = false) {
  const calls: string[] = [];
  const api: LarApi = {
    create: async () => {
      calls.push('create');
      return { value: create, earlierOutcomeUnknown };
    },
    login: async () => {
      calls.push('login');
      return login;
    },
    hasExistingKey: async () => {
      calls.push('has-existing');
      return false;
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
    await expect(provision(inputs, api, () => {})).resolves.toEqual({ email: inputs.email, userId: '9', apiKey: 'axm_key', created: true });
    expect(calls).toEqual(['create', 'login', 'key/create']);
  });

  it.each([
    ['Could not create an account, name field contains a URL or email address', /'name' because it looks like a URL.*plain words/],
    [
      'To prevent abuse of our free plan, please do not register with an anonymous email provider.',
      /yourco\.com as an anonymous \(disposable\)/,
    ],
    ['email_exists', /already registered, and not by this run.*email-tag.*mode: existing/],
    ['Something new', /refused the account with status "Something new"/],
  ])('turns the create status %j into advice, and stops', async (status, message) => {
    const { api, calls } = fake({ kind: 'refused', status }, session);
    await expect(provision(inputs, api, () => {})).rejects.toThrow(message);
    expect(calls).toEqual(['create']);
  });

  it('after a lost create answer, logs in once to claim email_exists, and stops on null', async () => {
    const { api, calls } = fake({ kind: 'refused', status: 'email_exists' }, { kind: 'wrong-credentials' }, true);
    await expect(provision(inputs, api, () => {})).rejects.toThrow(/someone else registered it/);
    expect(calls).toEqual(['create', 'login']);
  });

  it('refuses to mint for a different user than the one it created', async () => {
    const { api, calls } = fake(created, { ...session, userId: '10' } as LoginAnswer);
    await expect(provision(inputs, api, () => {})).rejects.toThrow(/logged in user 10, but create made user 9/);
    expect(calls).toEqual(['create', 'login']);
  });
});
