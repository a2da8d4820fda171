// The handoff as the open and revoke sub-actions take it in.
import * as core from '@actions/core';
import { errorMessage } from '../core/errors.ts';
import { open } from '../core/handoff/seal.ts';

/**
 * Opens, then masks at once: the key and password exist unmasked only between these two lines. A handoff that does
 * not open is an input error: `consequence` says what the step did not do.
 */
export function openHandoff(args: Parameters<typeof open>, consequence: string): ReturnType<typeof open> {
  try {
    const account = open(...args);
    core.setSecret(account.apiKey);
    core.setSecret(account.password);
    return account;
  } catch (error) {
    throw new Error(`Invalid input: 'handoff' ${errorMessage(error)}. ${consequence}.`);
  }
}
