// revoke/action.yml: ends a handed-off account's key the way the post step would have. A bad handoff fails the step;
// a server failure only warns. The only place in this step that calls setFailed.
import * as core from '@actions/core';
import { keyFingerprint } from '../core/account/secrets.ts';
import { errorMessage } from '../core/errors.ts';
import { readRevokeInputs } from '../core/inputs.ts';
import { runIdentityFrom } from '../core/run.ts';
import { revokeOrWarn } from './post.ts';
import { appendJobSummary, getRawInput, maskSecretInputs, openHandoff } from './runner.ts';
import { renderRevokeLine } from './summary.ts';

export async function run(): Promise<void> {
  try {
    maskSecretInputs('handoff-secret');
    const inputs = await readRevokeInputs(getRawInput, runIdentityFrom(process.env));
    // An earlier attempt's account is ended too: revoking is always safe, and its key must not outlive the run.
    const account = openHandoff(inputs, 'Nothing was revoked', { acceptEarlierAttempts: true });
    await appendJobSummary(
      renderRevokeLine(await revokeOrWarn({ ...account, keyFingerprint: keyFingerprint(account.apiKey) }, inputs.timeoutMs)),
    );
  } catch (error) {
    core.setFailed(errorMessage(error));
  }
}
