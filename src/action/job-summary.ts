import { loadCore, warning } from './workflow-commands.ts';

/** Appends to the job summary. A summary that cannot be written is worth a warning, never a failed step. */
export async function appendJobSummary(markdown: string): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return;
  try {
    const core = await loadCore();
    await core.summary.addRaw(markdown).write();
  } catch (error) {
    warning(`Could not write the job summary: ${error instanceof Error ? error.message : String(error)}`);
  }
}
