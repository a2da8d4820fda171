// The main step: inputs → provision → outputs. The only place that calls core.setFailed.
import * as core from '@actions/core';
import { generatePassword, randomSuffix } from '../core/account/secrets.ts';
import type { CallRecord } from '../core/lar/client.ts';
import type { Account } from '../core/plan.ts';
import { provision } from '../core/provision.ts';
import { type Inputs, readInputs } from './inputs.ts';
import { appendJobSummary } from './job-summary.ts';
import { connectToLar } from './lar-connection.ts';
import { encodeRevokeState, STATE } from './state.ts';
import { renderSummary } from './summary.ts';

export const OUTPUT = Object.freeze({
  apiKey: 'api-key',
  email: 'email',
  userId: 'user-id',
  password: 'password',
  created: 'created',
});

/** The main step. Also the entry point for `npm run local` (@github/local-action calls run()). */
export async function run(): Promise<void> {
  core.saveState(STATE.isPost, 'true');
  const calls: CallRecord[] = [];
  let inputs: Inputs | undefined;
  let account: Account | undefined;
  let failure: string | undefined;
  try {
    inputs = readInputs((name) => core.getInput(name, { trimWhitespace: false }), {
      // The run context is two variables; @actions/github would add octokit and ~25 ms of start-up to read them.
      run: { runId: process.env.GITHUB_RUN_ID, runAttempt: process.env.GITHUB_RUN_ATTEMPT },
      randomSuffix,
      password: generatePassword,
      nowMs: Date.now,
    });
    core.setSecret(inputs.password);
    account = await provisionWith(inputs, calls);
    publish(inputs, account);
  } catch (error) {
    failure = error instanceof Error ? error.message : String(error);
    core.setFailed(failure);
  }
  await appendJobSummary(
    renderSummary({
      ...(account && { account: { ...account, keyHint: account.apiKey.slice(-4) } }),
      calls,
      ...(failure !== undefined && { failure }),
      revokeOnExit: inputs?.revokeOnExit ?? false,
    }),
  );
}

async function provisionWith(inputs: Inputs, calls: CallRecord[]): Promise<Account> {
  const client = connectToLar(inputs.baseUrl, inputs.timeoutMs, (record) => calls.push(record));
  try {
    return await provision(inputs, client, core.info);
  } finally {
    await client.close();
  }
}

/** Outputs appear only once the key is in hand, so a failed run never sets a partial or empty api-key. */
function publish(inputs: Inputs, account: Account): void {
  // The client masked the key when it parsed it; masking again is free and keeps this function safe alone.
  core.setSecret(account.apiKey);
  core.setOutput(OUTPUT.apiKey, account.apiKey);
  core.setOutput(OUTPUT.password, inputs.password);
  core.setOutput(OUTPUT.email, account.email);
  core.setOutput(OUTPUT.userId, account.userId);
  core.setOutput(OUTPUT.created, String(account.created));
  if (inputs.exportEnv) {
    core.exportVariable('AXIOM_API_KEY', account.apiKey);
    core.exportVariable('AXIOM_EMAIL', account.email);
  }
  // Without GITHUB_STATE, saveState would print the state (password included) to the log instead of a file.
  if (inputs.revokeOnExit && process.env.GITHUB_STATE) {
    core.saveState(
      STATE.revoke,
      encodeRevokeState({ baseUrl: inputs.baseUrl, email: account.email, password: inputs.password, timeoutMs: inputs.timeoutMs }),
    );
  }
  core.info(`Provisioned ${account.email} (user ${account.userId}) with an API key ending in ${account.apiKey.slice(-4)}`);
}
