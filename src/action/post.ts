// The post step: make the key handed out by main worthless when the job ends. Never fails the job: everything
// that can throw runs inside the one try, and a failure is a warning.
import * as core from '@actions/core';
import { revokeKey } from '../core/revoke.ts';
import { appendJobSummary } from './job-summary.ts';
import { connectToLar } from './lar-connection.ts';
import { decodeRevokeState, STATE } from './state.ts';
import { renderRevokeLine } from './summary.ts';

export async function run(): Promise<void> {
  let outcome: Parameters<typeof renderRevokeLine>[0] | undefined;
  try {
    const state = decodeRevokeState(core.getState(STATE.revoke));
    if (state === undefined) {
      core.debug('No key to revoke: main minted none, or revoke-on-exit is false.');
      return;
    }
    core.setSecret(state.password);
    outcome = await revoke(state.baseUrl, state.email, state.password, state.timeoutMs);
  } catch (error) {
    // Only a bug reaches this: revoke() reports its own failures. The message is ours, never a stack.
    core.warning(`The post step could not run: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (outcome !== undefined) await appendJobSummary(renderRevokeLine(outcome));
}

/** One login and one mint, whose failure is a warning: the key then stays valid, masked in this job's log. */
export async function revoke(
  baseUrl: string,
  email: string,
  password: string,
  timeoutMs: number,
): Promise<Parameters<typeof renderRevokeLine>[0]> {
  try {
    const client = connectToLar(baseUrl, timeoutMs);
    try {
      await revokeKey(client, email, password);
    } finally {
      await client.close();
    }
    core.info(`Revoked the API key of ${email}: a replacement was minted and discarded.`);
    return { revoked: true };
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    core.warning(`Could not revoke the API key of ${email}: ${why}. The key stays valid; it is masked in this job's log.`);
    return { revoked: false, why };
  }
}
