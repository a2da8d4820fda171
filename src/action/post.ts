// The post step: make the key handed out by main worthless. LAR has no revoke call, but minting a new key
// invalidates the old one, so log in again, mint a replacement, mask it and throw it away. Never fails the job.
import * as core from '@actions/core';
import { LarClient } from '../lar/client.ts';
import { Deadline } from '../lar/deadline.ts';
import { appendJobSummary } from './job-summary.ts';
import { decodeRevokeState, STATE } from './state.ts';
import { renderRevokeLine } from './summary.ts';

export async function run(): Promise<void> {
  const state = decodeRevokeState(core.getState(STATE.revoke));
  if (state === undefined) {
    core.debug('No key to revoke: main minted none, or revoke-on-exit is false.');
    return;
  }
  core.setSecret(state.password);
  const client = new LarClient({
    baseUrl: state.baseUrl,
    deadline: new Deadline(state.timeoutMs),
    mask: core.setSecret,
    debug: core.debug,
    info: core.info,
  });
  let outcome: Parameters<typeof renderRevokeLine>[0];
  try {
    const session = await client.login(state.email, state.password);
    if (session.kind !== 'session') {
      // One login only, whatever it answered: a second could help lock the account.
      throw new Error(
        session.kind === 'blocked'
          ? 'login answered "blocked": the account is locked'
          : 'login answered null: the password no longer works',
      );
    }
    await client.mintKey(session.token);
    outcome = { revoked: true };
    core.info(`Revoked the API key of ${state.email}: a replacement was minted and discarded.`);
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    outcome = { revoked: false, why };
    core.warning(`Could not revoke the API key of ${state.email}: ${why}. The key stays valid; it is masked in this job's log.`);
  } finally {
    await client.close();
  }
  await appendJobSummary(renderRevokeLine(outcome));
}
