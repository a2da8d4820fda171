import type { RunContext } from './inputs.ts';

/** The run, as the runner describes it. Read directly: @actions/github would bring octokit to read three variables. */
export function runContext(env: NodeJS.ProcessEnv = process.env): RunContext {
  return { repository: env.GITHUB_REPOSITORY, runId: env.GITHUB_RUN_ID, runAttempt: env.GITHUB_RUN_ATTEMPT };
}
