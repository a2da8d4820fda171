import * as core from '@actions/core';
import { accountVariables, TEST_FIELDS } from '../core/account-file.ts';
import type { LarAccount } from '../core/flow.ts';

/** open/action.yml sets the first four. */
export const OUTPUT = Object.freeze({
  apiKey: 'api-key',
  email: 'email',
  userId: 'user-id',
  password: 'password',
  created: 'created',
  handoff: 'handoff',
});

/** The email and user id stay unmasked: a masked job output is empty. Exports first: a failed step sets no api-key. */
export function publishAccount(account: LarAccount, exportEnv: boolean): void {
  core.setSecret(account.apiKey);
  core.setSecret(account.password);
  if (exportEnv) {
    for (const [name, value] of Object.entries(accountVariables(account, TEST_FIELDS))) core.exportVariable(name, value);
  }
  for (const field of ['email', 'userId', 'password', 'apiKey'] as const) core.setOutput(OUTPUT[field], account[field]);
}
