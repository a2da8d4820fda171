// The post step: carries out the plan main saved in the step state, and nothing else. Never fails the job:
// everything that can throw runs inside the one try, and a failure is a warning.
import { readFileSync } from 'node:fs';
import * as core from '@actions/core';
import { errorMessage } from '../core/errors.ts';
import { LarError } from '../core/lar/client.ts';
import { connectAndRevoke, type RevokeTarget } from '../core/revoke-key.ts';
import { appendJobSummary, fromRunner } from './runner.ts';
import { decodePostPlan, POST_STATE } from './state.ts';
import { type RevokeOutcome, renderRevokeLine } from './summary.ts';
import { changedTrust, trustSnapshot } from './trust.ts';

export async function run(): Promise<void> {
  const outcome = await carryOutMainsPlan();
  if (outcome !== undefined) await appendJobSummary(renderRevokeLine(outcome));
}

/** Undefined when there was nothing to revoke. */
async function carryOutMainsPlan(): Promise<RevokeOutcome | undefined> {
  try {
    const plan = decodePostPlan(core.getState(POST_STATE));
    switch (plan.kind) {
      case 'nothing':
        core.debug('No key to revoke: main minted none, or revoke-on-exit is false.');
        return undefined;
      case 'handed-off':
        core.info('The key was handed off to later jobs (output handoff), so it outlives this job: org/axiom-provision/revoke@v1 ends it.');
        return undefined;
      case 'unreadable':
        core.warning('The step state is not one the main step saves, so nothing was revoked. If main minted a key, it may still work.');
        return undefined;
    }
    core.setSecret(plan.target.password);
    const changed = changedTrust(plan.trust, trustSnapshot(process.env, readFileSync));
    if (changed.length > 0) {
      const why = `the job changed ${changed.join(', ')} after the main step, so the route to LAR or the certificates it trusts may not be the ones main used; no credentials were sent`;
      core.warning(`Did not revoke the API key of ${plan.target.email}: ${why}. The key stays valid; it is masked in this job's log.`);
      return { revoked: false, why, keyMayBeDead: false };
    }
    return await revokeOrWarn(plan.target, plan.timeoutMs);
  } catch (error) {
    // Only a bug reaches this: revokeOrWarn reports its own failures. The message is ours, never a stack.
    core.warning(`The post step could not run: ${errorMessage(error)}`);
    return undefined;
  }
}

/** How this step and the revoke sub-action end a key: a server failure only warns, as the job's real work is done. */
export async function revokeOrWarn(target: RevokeTarget, timeoutMs: number): Promise<RevokeOutcome> {
  try {
    await connectAndRevoke(target, { timeoutMs, ...fromRunner });
    return { revoked: true };
  } catch (error) {
    const why = errorMessage(error);
    // A replacement key/create may have minted before its answer was lost: then the old key is already dead.
    const keyMayBeDead = error instanceof LarError && error.call === 'key/create';
    core.warning(
      `Could not revoke the API key of ${target.email}: ${why}. ${keyMayBeDead ? 'The key may or may not still work' : 'The key stays valid'}; it is masked in this job's log.`,
    );
    return { revoked: false, why, keyMayBeDead };
  }
}
