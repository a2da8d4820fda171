// open/action.yml: the account main sealed in an earlier job, opened in this one without a request. The only place
// in this step that calls setFailed.
import * as core from '@actions/core';
import { keyFingerprint } from '../core/account/secrets.ts';
import { errorMessage } from '../core/errors.ts';
import { readOpenInputs } from '../core/inputs.ts';
import { runIdentityFrom } from '../core/run.ts';
import { publishAccount } from './outputs.ts';
import { getRawInput, maskSecretInputs, openHandoff } from './runner.ts';

export async function run(): Promise<void> {
  try {
    maskSecretInputs('handoff-secret');
    const inputs = await readOpenInputs(getRawInput, runIdentityFrom(process.env));
    const account = openHandoff(inputs, 'No key was handed out');
    publishAccount(account, inputs.exportEnv);
    core.info(
      `Opened the handoff: ${account.email} (user ${account.userId}), with the API key ${keyFingerprint(account.apiKey)} (a fingerprint, not part of the key)`,
    );
  } catch (error) {
    core.setFailed(errorMessage(error));
  }
}
