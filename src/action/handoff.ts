// The handoff as the open and revoke sub-actions take it in.
import * as core from '@actions/core';
import { errorMessage } from '../core/errors.ts';
import { openAndMask, type Sealed } from '../core/handoff/seal.ts';
import type { OpenInputs } from '../core/inputs.ts';

/** A handoff that does not open is an input error: `consequence` says what the step did not do. */
export function openHandoff(
  { handoff, secret, run }: Pick<OpenInputs, 'handoff' | 'secret' | 'run'>,
  consequence: string,
  options: Parameters<typeof openAndMask>[4] = {},
): Sealed {
  try {
    return openAndMask(handoff, secret, run, core.setSecret, options);
  } catch (error) {
    throw new Error(`Invalid input: 'handoff' ${errorMessage(error)}. ${consequence}.`);
  }
}
