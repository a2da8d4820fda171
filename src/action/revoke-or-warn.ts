// Ending a key, as the post step and the revoke sub-action both do it: a server failure is a warning, never a
// failed step, because the job's real work is done by then.
import * as core from '@actions/core';
import { errorMessage } from '../core/errors.ts';
import { LarError } from '../core/lar/client.ts';
import { connectAndRevoke, type RevokeTarget } from '../core/revoke-key.ts';
import { fromRunner } from './runner.ts';

export type RevokeOutcome = { readonly revoked: true } | { readonly revoked: false; readonly why: string; readonly keyMayBeDead: boolean };

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
