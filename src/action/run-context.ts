import type { RunIdentity } from '../core/run.ts';

/** The run, as the runner describes it. Read directly: @actions/github would bring octokit to read three variables. */
export function runContext(env: NodeJS.ProcessEnv = process.env): RunIdentity {
  return { ci: 'github', repository: env.GITHUB_REPOSITORY, runId: env.GITHUB_RUN_ID, runAttempt: env.GITHUB_RUN_ATTEMPT };
}
