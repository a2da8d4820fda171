import * as core from '@actions/core';
import { errorMessage } from '../core/errors.ts';

/** Appends to the job summary. A summary that cannot be written is worth a warning, never a failed step. */
export async function appendJobSummary(markdown: string): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return;
  try {
    await core.summary.addRaw(markdown).write();
  } catch (error) {
    core.warning(`Could not write the job summary: ${errorMessage(error)}`);
  }
}
