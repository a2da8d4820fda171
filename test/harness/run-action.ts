// Runs the committed dist/ bundle the way the GitHub runner does: a child process with INPUT_* variables
// (hyphens kept), the GITHUB_OUTPUT / GITHUB_STATE / GITHUB_ENV / GITHUB_STEP_SUMMARY files, and for the post
// step, STATE_* variables read back from the state file. The bundle is copied out of the repository first, so
// it runs with no node_modules anywhere above it, as on a runner.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const REPO_DIST = new URL('../../dist/', import.meta.url);
let shippedBundle: string | undefined;

/** Which entry of dist/ runs: action.yml's main or post step's, or a sub-action's (open/action.yml, revoke/action.yml). */
export type Entry = 'index' | 'post' | 'open' | 'revoke';

/** An entry of dist/, copied to a fresh directory outside the repository (once per test worker). */
export function shippedEntry(entry: Entry = 'index'): string {
  if (shippedBundle === undefined) {
    const dir = mkdtempSync(join(tmpdir(), 'axiom-provision-dist-'));
    cpSync(REPO_DIST, join(dir, 'dist'), { recursive: true });
    shippedBundle = join(dir, 'dist');
  }
  return join(shippedBundle, `${entry}.js`);
}

export interface StepRun {
  readonly exitCode: number | null;
  /** The signal the step died of, if it did (a cancelled job's SIGINT, say). */
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly durationMs: number;
  /** process.hrtime.bigint() when the process was spawned and when it was reaped (the bench's exit phase). */
  readonly spawnedAt: bigint;
  readonly exitedAt: bigint;
  readonly outputs: Readonly<Record<string, string>>;
  readonly state: Readonly<Record<string, string>>;
  readonly exportedEnv: Readonly<Record<string, string>>;
  readonly summary: string;
  /** The step's workspace: pass it to the post step so both share files, as on a runner. */
  readonly workDir: string;
  /** The job the step ran in: masks registered in one job do not reach another. */
  readonly job: string;
}

export interface StepOptions {
  /** Extra environment (proxy variables, NODE_EXTRA_CA_CERTS …). Nothing is inherited from the test process. */
  readonly env?: Readonly<Record<string, string>>;
  readonly runId?: string;
  readonly runAttempt?: string;
  readonly repository?: string;
  /** Debug logging on (RUNNER_DEBUG=1) unless set to false: secrets must not show even then. */
  readonly debug?: boolean;
  readonly workDir?: string;
  readonly killAfterMs?: number;
  /** The job to run in; a new one unless given (a post step runs in its main step's job). */
  readonly job?: string;
  /** A program to run the step under, given node and the bundle as its arguments (the bench's /usr/bin/time). */
  readonly wrapper?: readonly string[];
  /**
   * What earlier steps of the job appended to GITHUB_ENV. The runner gives it to every later step, the post step
   * included, under the STATE_ variables main saved: a state main saved wins over a variable of the same name.
   */
  readonly jobEnv?: Readonly<Record<string, string>>;
  /** Sends the step a signal once `when` settles, as the runner does when a job is cancelled. */
  readonly cancel?: { readonly signal: NodeJS.Signals; readonly when: Promise<unknown> };
}

export function inputEnv(inputs: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(inputs).map(([name, value]) => [`INPUT_${name.replace(/ /g, '_').toUpperCase()}`, value]));
}

/** Runs the main step. */
export function runMain(inputs: Readonly<Record<string, string>>, options: StepOptions = {}): Promise<StepRun> {
  return runStep('index', inputs, {}, options);
}

/** Runs a sub-action's step: open/action.yml or revoke/action.yml. */
export function runSubAction(
  entry: 'open' | 'revoke',
  inputs: Readonly<Record<string, string>>,
  options: StepOptions = {},
): Promise<StepRun> {
  return runStep(entry, inputs, {}, options);
}

/** Runs the post step of an earlier main run, with the state it saved. */
export function runPost(main: StepRun, inputs: Readonly<Record<string, string>>, options: StepOptions = {}): Promise<StepRun> {
  const stateEnv = Object.fromEntries(Object.entries(main.state).map(([name, value]) => [`STATE_${name}`, value]));
  return runStep('post', inputs, stateEnv, { ...options, workDir: main.workDir, job: main.job });
}

async function runStep(
  entry: Entry,
  inputs: Readonly<Record<string, string>>,
  stateEnv: Record<string, string>,
  options: StepOptions,
): Promise<StepRun> {
  const workDir = options.workDir ?? mkdtempSync(join(tmpdir(), 'axiom-provision-step-'));
  const files = {
    GITHUB_OUTPUT: join(workDir, `output-${Date.now()}-${Math.random()}`),
    GITHUB_STATE: join(workDir, `state-${Date.now()}-${Math.random()}`),
    GITHUB_ENV: join(workDir, `env-${Date.now()}-${Math.random()}`),
    GITHUB_STEP_SUMMARY: join(workDir, 'summary.md'),
  };
  for (const file of [files.GITHUB_OUTPUT, files.GITHUB_STATE, files.GITHUB_ENV]) writeFileSync(file, '');
  if (options.workDir === undefined) writeFileSync(files.GITHUB_STEP_SUMMARY, '');
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: workDir,
    RUNNER_TEMP: workDir,
    GITHUB_ACTIONS: 'true',
    GITHUB_RUN_ID: options.runId ?? '7001',
    GITHUB_RUN_ATTEMPT: options.runAttempt ?? '1',
    GITHUB_REPOSITORY: options.repository ?? 'yourco/app',
    ...(options.debug !== false && { RUNNER_DEBUG: '1' }),
    ...files,
    ...inputEnv(inputs),
    ...options.jobEnv,
    ...stateEnv,
    ...options.env,
  };
  const [program = process.execPath, ...args] = [...(options.wrapper ?? []), process.execPath, shippedEntry(entry)];
  const started = performance.now();
  const spawnedAt = process.hrtime.bigint();
  const child = spawn(program, args, { cwd: workDir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let exitedAt = spawnedAt;
  child.on('exit', () => (exitedAt = process.hrtime.bigint()));
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const killer = setTimeout(() => child.kill('SIGKILL'), options.killAfterMs ?? 30_000);
  void options.cancel?.when.finally(() => child.kill(options.cancel?.signal));
  const [exitCode, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
    child.on('close', (code, signal) => resolve([code, signal])),
  );
  clearTimeout(killer);
  return {
    exitCode,
    signal,
    stdout,
    stderr,
    durationMs: performance.now() - started,
    spawnedAt,
    exitedAt,
    outputs: readFileCommands(files.GITHUB_OUTPUT),
    state: readFileCommands(files.GITHUB_STATE),
    exportedEnv: readFileCommands(files.GITHUB_ENV),
    summary: readFileSync(files.GITHUB_STEP_SUMMARY, 'utf8'),
    workDir,
    job: options.job ?? randomUUID(),
  };
}

/** Parses `name<<DELIMITER` … `DELIMITER` blocks, the format @actions/core writes and the runner reads. */
export function readFileCommands(file: string): Record<string, string> {
  // @actions/core ends lines with os.EOL: \r\n on Windows.
  const lines = readFileSync(file, 'utf8').split(/\r?\n/);
  const values: Record<string, string> = {};
  for (let i = 0; i < lines.length; i++) {
    const match = /^([^<=]+)<<(.+)$/.exec(lines[i] ?? '');
    if (!match) continue;
    const [, name = '', delimiter] = match;
    const end = lines.indexOf(delimiter ?? '', i + 1);
    values[name] = lines.slice(i + 1, end).join('\n');
    i = end;
  }
  return values;
}

/** The error annotation of a failed step, unescaped the way the runner shows it. */
export function errorOf(run: StepRun): string | undefined {
  const line = run.stdout.split('\n').find((l) => l.startsWith('::error'));
  return line
    ?.replace(/^::error[^:]*::/, '')
    .replace(/%0A/g, '\n')
    .replace(/%0D/g, '\r')
    .replace(/%25/g, '%');
}

export function warningsOf(run: StepRun): string[] {
  return run.stdout
    .split('\n')
    .filter((l) => l.startsWith('::warning'))
    .map((l) => l.replace(/^::warning[^:]*::/, ''));
}
