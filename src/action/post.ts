// The post step: make the key handed out by main worthless when the job ends. Never fails the job: everything
// that can throw runs inside the one try, and a failure is a warning.
import * as core from '@actions/core';
import { appendJobSummary } from './job-summary.ts';
import { revokeOrWarn } from './revoking.ts';
import { decodeRevokeState, STATE } from './state.ts';
import { type RevokeOutcome, renderRevokeLine } from './summary.ts';

export async function run(): Promise<void> {
  let outcome: RevokeOutcome | undefined;
  try {
    if (core.getState(STATE.handedOff) === 'true') {
      core.info('The key was handed off to later jobs (output handoff), so it outlives this job: org/axiom-provision/revoke@v1 ends it.');
      return;
    }
    const state = decodeRevokeState(core.getState(STATE.revoke));
    if (state === undefined) {
      core.debug('No key to revoke: main minted none, or revoke-on-exit is false.');
      return;
    }
    core.setSecret(state.password);
    outcome = await revokeOrWarn(state, state.timeoutMs);
  } catch (error) {
    // Only a bug reaches this: revokeOrWarn reports its own failures. The message is ours, never a stack.
    core.warning(`The post step could not run: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (outcome !== undefined) await appendJobSummary(renderRevokeLine(outcome));
}
