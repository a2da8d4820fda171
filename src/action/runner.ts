// What the steps read from the runner and write to it. Inputs come as given (readInputs decides what to trim), and
// secret ones are masked before anything can print them: a secret shown before its mask stays in the log for good.
import { closeSync, constants, openSync, statSync } from 'node:fs';
import * as core from '@actions/core';
import { errorMessage } from '../core/errors.ts';
import type { InputGetter } from '../core/inputs.ts';

/** How the action reaches LAR: through the runner's proxy and CA variables, masking with ::add-mask::. */
export const fromRunner = { env: process.env, mask: core.setSecret, debug: core.debug, info: core.info } as const;

export const getRawInput: InputGetter = (name) => core.getInput(name, { trimWhitespace: false });

export function maskSecretInputs(...names: readonly string[]): void {
  for (const name of names) {
    const given = getRawInput(name);
    // The runner cannot mask a blank value; readInputs refuses it.
    if (given.trim() !== '') core.setSecret(given);
  }
}

/**
 * The post step revokes only what main saved in the step state, and main saves it only once it has a key. So when
 * the key is to be revoked, main first makes sure it can append to the state file, before it sends anything: a key
 * whose state cannot be saved would outlive the job.
 */
export function requireStateFile(): void {
  const path = process.env.GITHUB_STATE;
  const consequence = 'so the post step could not revoke the key';
  if (!path) {
    throw new Error(
      `revoke-on-exit is true, but this runner gives the step no state file (GITHUB_STATE), ${consequence} ` +
        '(outside GitHub Actions, set revoke-on-exit: false). No request was sent.',
    );
  }
  let problem: string | undefined;
  try {
    // A regular file first: opening a FIFO for writing would block until a reader came, forever.
    if (!statSync(path).isFile()) problem = 'is not a regular file';
    // Append, never create: core.saveState also refuses a path with no file.
    else closeSync(openSync(path, constants.O_WRONLY | constants.O_APPEND));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT')
      throw new Error(`Missing file at path: ${path} (GITHUB_STATE, the step state), ${consequence}. No request was sent.`);
    problem = `cannot be written (${code ?? 'unknown error'})`;
  }
  if (problem !== undefined) throw new Error(`The step state file ${path} (GITHUB_STATE) ${problem}, ${consequence}. No request was sent.`);
}

/** A summary that cannot be written is worth a warning, never a failed step. */
export async function appendJobSummary(markdown: string): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return;
  try {
    await core.summary.addRaw(markdown).write();
  } catch (error) {
    core.warning(`Could not write the job summary: ${errorMessage(error)}`);
  }
}
