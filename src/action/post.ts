// The post step: make the key handed out by main worthless when the job ends. Never fails the job: everything
// that can throw runs inside the one try, and a failure is a warning.
import { appendJobSummary } from './job-summary.ts';
import { revokeOrWarn } from './revoking.ts';
import { getState } from './runner-inputs.ts';
import { decodeRevokeState, STATE } from './state.ts';
import { type RevokeOutcome, renderRevokeLine } from './summary.ts';
import { commandsWritten, debug, info, setSecret, warning } from './workflow-commands.ts';

export async function run(): Promise<void> {
  const outcome = await revokeUnlessHandedOff();
  if (outcome !== undefined) await appendJobSummary(renderRevokeLine(outcome));
  await commandsWritten();
}

/** Undefined when there was nothing to revoke. */
async function revokeUnlessHandedOff(): Promise<RevokeOutcome | undefined> {
  try {
    if (getState(STATE.handedOff) === 'true') {
      info('The key was handed off to later jobs (output handoff), so it outlives this job: org/axiom-provision/revoke@v1 ends it.');
      return undefined;
    }
    const state = decodeRevokeState(getState(STATE.revoke));
    if (state === undefined) {
      debug('No key to revoke: main minted none, or revoke-on-exit is false.');
      return undefined;
    }
    setSecret(state.password);
    return await revokeOrWarn(state, state.timeoutMs);
  } catch (error) {
    // Only a bug reaches this: revokeOrWarn reports its own failures. The message is ours, never a stack.
    warning(`The post step could not run: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
}
