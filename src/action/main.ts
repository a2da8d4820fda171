// The main step: inputs → provision → outputs (and, when asked, a sealed handoff for later jobs).
// The only place in this step that calls setFailed.
import { generatePassword, keyFingerprint, randomSuffix } from '../core/account/secrets.ts';
import { seal } from '../core/handoff/seal.ts';
import type { CallRecord } from '../core/lar/client.ts';
import type { Account } from '../core/plan.ts';
import { provision } from '../core/provision.ts';
import { type Inputs, readInputs } from './inputs.ts';
import { appendJobSummary } from './job-summary.ts';
import { connectToLar } from './lar-connection.ts';
import { OUTPUT, publishAccount } from './outputs.ts';
import { runContext } from './run-context.ts';
import { getRawInput, maskSecretInputs, requireStateFile } from './runner-inputs.ts';
import { encodeRevokeState, STATE } from './state.ts';
import { type RevokePlan, renderSummary } from './summary.ts';
import { commandsWritten, info, loadCore, setFailed, setSecret } from './workflow-commands.ts';

/** The main step. Also the entry point for `npm run local` (@github/local-action calls run()). */
export async function run(): Promise<void> {
  const calls: CallRecord[] = [];
  let inputs: Inputs | undefined;
  let account: Account | undefined;
  let failure: string | undefined;
  try {
    maskSecretInputs('password', 'handoff-secret');
    inputs = await readInputs(getRawInput, {
      run: runContext(),
      randomSuffix,
      password: generatePassword,
      nowMs: Date.now,
    });
    setSecret(inputs.password);
    if (inputs.handoff) setSecret(inputs.handoff.secret);
    if (inputs.revokeOnExit && !inputs.handoff) requireStateFile();
    account = await provisionWith(inputs, calls);
    await publish(inputs, account);
  } catch (error) {
    failure = error instanceof Error ? error.message : String(error);
    setFailed(failure);
  }
  await appendJobSummary(
    renderSummary({
      ...(account && { account: { ...account, keyFingerprint: keyFingerprint(account.apiKey) } }),
      calls,
      ...(failure !== undefined && { failure }),
      revoke: revokePlan(inputs),
    }),
  );
  await commandsWritten();
}

function revokePlan(inputs: Inputs | undefined): RevokePlan {
  if (inputs?.handoff) return 'handed-off';
  return inputs?.revokeOnExit ? 'at-job-end' : 'off';
}

async function provisionWith(inputs: Inputs, calls: CallRecord[]): Promise<Account> {
  const client = connectToLar(inputs.baseUrl, inputs.timeoutMs, (record) => calls.push(record));
  try {
    return await provision(inputs, client, info);
  } finally {
    await client.close();
  }
}

/**
 * Outputs appear only once the key is in hand, and last: everything that can still fail (exporting, sealing,
 * saving state) runs first, so a failed run never sets a partial or empty api-key.
 */
async function publish(inputs: Inputs, account: Account): Promise<void> {
  const core = await loadCore();
  const sealed =
    inputs.handoff &&
    (await seal({ ...account, password: inputs.password, baseUrl: inputs.baseUrl }, inputs.handoff.secret, inputs.handoff.run));
  // Without GITHUB_STATE, saveState would print the state (password included) to the log instead of a file.
  if (process.env.GITHUB_STATE) {
    if (sealed) core.saveState(STATE.handedOff, 'true');
    else if (inputs.revokeOnExit) {
      core.saveState(
        STATE.revoke,
        encodeRevokeState({
          baseUrl: inputs.baseUrl,
          email: account.email,
          password: inputs.password,
          timeoutMs: inputs.timeoutMs,
          keyFingerprint: keyFingerprint(account.apiKey),
        }),
      );
    }
  }
  await publishAccount(account, inputs.password, inputs.exportEnv);
  core.setOutput(OUTPUT.created, String(account.created));
  core.info(
    `Provisioned ${account.email} (user ${account.userId}) with the API key ${keyFingerprint(account.apiKey)} (a fingerprint, not part of the key)`,
  );
  if (sealed) {
    // Not masked: it is ciphertext, and a masked value could not be a job output.
    core.setOutput(OUTPUT.handoff, sealed);
    core.info(
      'Sealed the account into the output handoff for later jobs. The key is not revoked when this job ends: ' +
        "end it with org/axiom-provision/revoke@v1 in the workflow's last job.",
    );
  }
}
