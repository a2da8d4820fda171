// Which CI run this is, read from the variables each CI sets. A generated email tag carries it, and a handoff is
// bound to it. Pure: the environment comes in.

export interface RunIdentity {
  readonly ci: 'github' | 'gitlab' | 'local';
  /** The repository or project (owner/name); a handoff is bound to it. */
  readonly repository?: string | undefined;
  /** GitHub's run id, GitLab's pipeline id: shared by every job of the run. */
  readonly runId?: string | undefined;
  /** GitHub's run attempt (a re-run keeps the run id); always 1 on GitLab, which has no attempt for a pipeline. */
  readonly runAttempt?: string | undefined;
  /** GitLab's job id: jobs of one pipeline share the rest. */
  readonly jobId?: string | undefined;
}

export function runIdentityFrom(env: Readonly<Record<string, string | undefined>>): RunIdentity {
  if (env.GITHUB_ACTIONS === 'true') {
    return { ci: 'github', repository: env.GITHUB_REPOSITORY, runId: env.GITHUB_RUN_ID, runAttempt: env.GITHUB_RUN_ATTEMPT };
  }
  if (env.GITLAB_CI === 'true') {
    // A handoff opens in any job of the pipeline: it binds to the pipeline, and GitLab has no attempt for one.
    return { ci: 'gitlab', repository: env.CI_PROJECT_PATH, runId: env.CI_PIPELINE_ID, runAttempt: '1', jobId: env.CI_JOB_ID };
  }
  return { ci: 'local' };
}

const whole = (value: string | undefined, fallback = ''): string => (value !== undefined && /^[1-9]\d*$/.test(value) ? value : fallback);

/** The run a handoff is bound to: its repository, and whole numbers for the run and the attempt; undefined when the CI did not say them all. */
export function boundRun(run: RunIdentity): { repository: string; runId: string; runAttempt: string } | undefined {
  const { repository, runId = '', runAttempt = '' } = run;
  return repository && whole(runId) && whole(runAttempt) ? { repository, runId, runAttempt } : undefined;
}

/**
 * The plus tag a run gets when none is given. Matrix legs share run id and attempt, and re-runs share the run id, so
 * neither alone is unique: the random part separates them. Outside a CI the clock takes the run id's place.
 */
export function generateTag(run: RunIdentity, random: string, nowMs: number, label?: string): string {
  const parts = (...head: string[]): string => [...head, ...(label ? [label] : []), random].join('-');
  const runId = whole(run.runId);
  if (run.ci === 'github' && runId) return parts('gh', runId, whole(run.runAttempt, '1'));
  if (run.ci === 'gitlab' && runId) return parts('gl', runId, whole(run.jobId, '0'));
  return parts('local', nowMs.toString(36));
}
