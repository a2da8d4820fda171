// The main step: inputs → provision → outputs (and, when asked, a sealed handoff for later jobs), then the plan for
// the post step. The only place in this step that calls setFailed.
import { readFileSync } from 'node:fs';
import * as core from '@actions/core';
import { keyByFingerprint, keyFingerprint } from '../core/account/secrets.ts';
import { errorMessage } from '../core/errors.ts';
import { type LarAccount, runFlow } from '../core/flow.ts';
import { seal } from '../core/handoff/seal.ts';
import { type Inputs, readInputs } from '../core/inputs.ts';
import type { CallRecord } from '../core/lar/client.ts';
import { connectToLar } from '../core/lar/connect.ts';
import { runIdentityFrom } from '../core/run.ts';
import { OUTPUT, publishAccount } from './outputs.ts';
import { appendJobSummary, fromRunner, getRawInput, maskSecretInputs, requireStateFile } from './runner.ts';
import { encodePostPlan, POST_STATE, type PostPlan } from './state.ts';
import { renderSummary } from './summary.ts';
import { trustSnapshot } from './trust.ts';

/** The main step. Also the entry point for `npm run local` (@github/local-action calls run()). */
export async function run(): Promise<void> {
  const calls: CallRecord[] = [];
  let inputs: Inputs | undefined;
  let account: LarAccount | undefined;
  let handedOff = false;
  let revokePlan: PostPlan = { kind: 'nothing' };
  let failure: string | undefined;
  try {
    maskSecretInputs('password', 'handoff-secret');
    inputs = await readInputs(getRawInput, { run: runIdentityFrom(process.env) });
    core.setSecret(inputs.password);
    if (inputs.handoff) core.setSecret(inputs.handoff.secret);
    if (inputs.revokeOnExit) requireStateFile();
    const { baseUrl, timeoutMs } = inputs;
    const client = connectToLar({ ...fromRunner, baseUrl, timeoutMs, onCall: (record) => calls.push(record) });
    try {
      account = await runFlow(inputs, client, core.info);
    } finally {
      await client.close();
    }
    revokePlan = planToRevoke(inputs, account);
    // Saved before anything else can fail: a key minted by a step that then fails is held by nobody.
    savePostPlan(revokePlan);
    handedOff = await publish(inputs, account);
  } catch (error) {
    failure = errorMessage(error);
  }
  try {
    // On every path that gets here, so that no STATE_ variable another step appended to GITHUB_ENV stands in for it.
    savePostPlan(handedOff ? { kind: 'handed-off' } : revokePlan);
  } catch (error) {
    failure ??= errorMessage(error);
  }
  if (failure !== undefined) core.setFailed(failure);
  await appendJobSummary(
    renderSummary({
      ...(account && { account: { ...account, keyFingerprint: keyFingerprint(account.apiKey) } }),
      calls,
      ...(failure !== undefined && { failure }),
      revoke: handedOff ? 'handed-off' : inputs?.revokeOnExit ? 'at-job-end' : 'off',
    }),
  );
}

function planToRevoke(inputs: Inputs, account: LarAccount): PostPlan {
  if (!inputs.revokeOnExit) return { kind: 'nothing' };
  return {
    kind: 'revoke',
    target: { baseUrl: inputs.baseUrl, email: account.email, password: inputs.password, keyFingerprint: keyFingerprint(account.apiKey) },
    timeoutMs: inputs.timeoutMs,
    trust: trustSnapshot(process.env, readFileSync),
  };
}

function savePostPlan(plan: PostPlan): void {
  // Without GITHUB_STATE, saveState would print the state (password included) to the log instead of a file.
  if (process.env.GITHUB_STATE) core.saveState(POST_STATE, encodePostPlan(plan));
}

/**
 * Outputs appear only once the key is in hand, and last: everything that can still fail (exporting, sealing) runs
 * first, so a failed run never sets a partial or empty api-key. Resolves true when the account was handed off.
 */
async function publish(inputs: Inputs, account: LarAccount): Promise<boolean> {
  const sealed = inputs.handoff && (await seal(account, inputs.handoff.secret, inputs.handoff.run));
  publishAccount(account, inputs.exportEnv);
  core.setOutput(OUTPUT.created, String(account.created));
  core.info(`Provisioned ${account.email} (user ${account.userId}) with ${keyByFingerprint(account.apiKey)}`);
  if (!sealed) return false;
  // Not masked: it is ciphertext, and a masked value could not be a job output.
  core.setOutput(OUTPUT.handoff, sealed);
  core.info(
    'Sealed the account into the output handoff for later jobs. The key is not revoked when this job ends: ' +
      "end it with org/axiom-provision/revoke@v1 in the workflow's last job.",
  );
  return true;
}
