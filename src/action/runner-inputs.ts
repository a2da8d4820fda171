// Inputs and step state as the runner passes them, for every entry: untrimmed (readInputs decides what to trim), and
// the secret inputs masked before anything else can print them, since a secret shown before its mask stays in the
// log for good. Read from the environment, as core.getInput and core.getState read them, so that no entry has to
// load @actions/core before its first request (see workflow-commands.ts).
import { existsSync } from 'node:fs';
import type { InputGetter } from './inputs.ts';
import { setSecret } from './workflow-commands.ts';

export const getRawInput: InputGetter = (name) => process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] || '';

/** What main saved for this job's post step with core.saveState; empty when it saved nothing. */
export const getState = (name: string): string => process.env[`STATE_${name}`] || '';

/**
 * core.saveState throws when GITHUB_STATE names no file, but main saves state only once it has a key, and without
 * the state the post step cannot revoke that key. So main asks first, before it sends anything.
 */
export function requireStateFile(): void {
  const path = process.env.GITHUB_STATE;
  if (path && !existsSync(path)) throw new Error(`Missing file at path: ${path} (GITHUB_STATE, the step state). No request was sent.`);
}

export function maskSecretInputs(...names: readonly string[]): void {
  for (const name of names) {
    const given = getRawInput(name);
    // The runner cannot mask a blank value; readInputs refuses it.
    if (given.trim() !== '') setSecret(given);
  }
}
