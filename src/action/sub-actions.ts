// open/action.yml and revoke/action.yml: the account main sealed in an earlier job, opened in this one without a
// request. Each step's one setFailed is here: a bad handoff fails it, but a server failure of revoke only warns.
import * as core from '@actions/core';
import { keyByFingerprint, keyFingerprint } from '../core/account/secrets.ts';
import { errorMessage } from '../core/errors.ts';
import type { LarAccount } from '../core/flow.ts';
import { openAndMask, type open as openSealed } from '../core/handoff/seal.ts';
import { type OpenInputs, type RevokeInputs, readOpenInputs, readRevokeInputs } from '../core/inputs.ts';
import { runIdentityFrom } from '../core/run.ts';
import { publishAccount } from './outputs.ts';
import { revokeOrWarn } from './post.ts';
import { appendJobSummary, getRawInput, maskSecretInputs } from './runner.ts';
import { renderRevokeLine } from './summary.ts';

export async function open(): Promise<void> {
  try {
    maskSecretInputs('handoff-secret');
    const inputs = await readOpenInputs(getRawInput, runIdentityFrom(process.env));
    const account = openHandoff(inputs, 'No key was handed out');
    publishAccount(account, inputs.exportEnv);
    core.info(`Opened the handoff: ${account.email} (user ${account.userId}), with ${keyByFingerprint(account.apiKey)}`);
  } catch (error) {
    core.setFailed(errorMessage(error));
  }
}

/** Ends a handed-off account's key the way the post step would have. */
export async function revoke(): Promise<void> {
  try {
    maskSecretInputs('handoff-secret');
    const inputs = await readRevokeInputs(getRawInput, runIdentityFrom(process.env));
    // An earlier attempt's account is ended too: revoking is always safe, and its key must not outlive the run.
    const account = openHandoff(inputs, 'Nothing was revoked', { acceptEarlierAttempts: true });
    const outcome = await revokeOrWarn({ ...account, keyFingerprint: keyFingerprint(account.apiKey) }, inputs.timeoutMs);
    await appendJobSummary(renderRevokeLine(outcome));
  } catch (error) {
    core.setFailed(errorMessage(error));
  }
}

/** A handoff that does not open is an input error: `consequence` says what the step did not do. */
function openHandoff(inputs: OpenInputs | RevokeInputs, consequence: string, options?: Parameters<typeof openSealed>[3]): LarAccount {
  try {
    return openAndMask(inputs.handoff, inputs.secret, inputs.run, core.setSecret, options);
  } catch (error) {
    throw new Error(`Invalid input: 'handoff' ${errorMessage(error)}. ${consequence}.`);
  }
}
