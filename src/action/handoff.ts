import * as core from '@actions/core';
import { errorMessage } from '../core/errors.ts';
import type { LarAccount } from '../core/flow.ts';
import { type open, openAndMask } from '../core/handoff/seal.ts';
import type { OpenInputs, RevokeInputs } from '../core/inputs.ts';

/** A handoff that does not open is an input error: `consequence` says what the step did not do. */
export function openHandoff(inputs: OpenInputs | RevokeInputs, consequence: string, options?: Parameters<typeof open>[3]): LarAccount {
  try {
    return openAndMask(inputs.handoff, inputs.secret, inputs.run, core.setSecret, options);
  } catch (error) {
    throw new Error(`Invalid input: 'handoff' ${errorMessage(error)}. ${consequence}.`);
  }
}
