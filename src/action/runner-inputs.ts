// Inputs as the runner passes them, for every entry: untrimmed (readInputs decides what to trim), and the secret ones
// masked before anything else can print them, since a secret shown before its mask stays in the log for good.
import * as core from '@actions/core';
import type { InputGetter } from './inputs.ts';

export const getRawInput: InputGetter = (name) => core.getInput(name, { trimWhitespace: false });

export function maskSecretInputs(...names: readonly string[]): void {
  for (const name of names) {
    const given = getRawInput(name);
    // The runner cannot mask a blank value; readInputs refuses it.
    if (given.trim() !== '') core.setSecret(given);
  }
}
