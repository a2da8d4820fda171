// Runs the committed dist/ bundle the way the GitHub runner does: a child process with INPUT_* variables
// (hyphens kept), the GITHUB_OUTPUT / GITHUB_STATE / GITHUB_ENV / GITHUB_STEP_SUMMARY files, and for the post
// step, STATE_* variables read back from the state file. The bundle is copied out of the repository first, so
// it runs with no node_modules anywhere above it, as on a runner.
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const REPO_DIST = new URL('../../dist/', import.meta.url);
let shippedBundle: string | undefined;

/** dist/index.js copied to a fresh directory outside the repository (once per test worker). */
export function shippedEntry(): string {
  if (shippedBundle === undefined) {
    const dir = mkdtempSync(join(tmpdir(), 'axiom-provision-dist-'));
    cpSync(REPO_DIST, join(dir, 'dist'), { recursive: true });
    shippedBundle = join(dir, 'dist', 'index.js');
  }
  return shippedBundle;
}

export interface StepRun {
  readonly exitCode: number | null;
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
}

export interface StepOptions {
  /** Extra environment (proxy variables, NODE_EXTRA_CA_CERTS …). Nothing is inherited from the test process. */
  readonly env?: Readonly<Record<string, string>>;
  readonly runId?: string;
  readonly runAttempt?: string;
  /** Debug logging on (RUNNER_DEBUG=1) unless set to false: secrets must not show even then. */
  readonly debug?: boolean;
  readonly workDir?: string;
  readonly killAfterMs?: number;
  /** Options for node itself, before the bundle (V8 tracing in the tests). */
  readonly nodeArgs?: readonly string[];
  /** A program to run the step under, given node and the bundle as its arguments (the bench's /usr/bin/time). */
  readonly wrapper?: readonly string[];
}

export function inputEnv(inputs: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(inputs).map(([name, value]) => [`INPUT_${name.replace(/ /g, '_').toUpperCase()}`, value]));
}

/** Runs the main step. */
export function runMain(inputs: Readonly<Record<string, string>>, options: StepOptions = {}): Promise<StepRun> {
  return runStep(inputs, {}, options);
}

/** Runs the post step of an earlier main run, with the state it saved. */
export function runPost(main: StepRun, inputs: Readonly<Record<string, string>>, options: StepOptions = {}): Promise<StepRun> {
  const stateEnv = Object.fromEntries(Object.entries(main.state).map(([name, value]) => [`STATE_${name}`, value]));
  return runStep(inputs, stateEnv, { ...options, workDir: main.workDir });
}

async function runStep(inputs: Readonly<Record<string, string>>, stateEnv: Record<string, string>, options: StepOptions): Promise<StepRun> {
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
    ...(options.debug !== false && { RUNNER_DEBUG: '1' }),
    ...files,
    ...inputEnv(inputs),
    ...stateEnv,
    ...options.env,
  };
  const [program = process.execPath, ...args] = [...(options.wrapper ?? []), process.execPath, ...(options.nodeArgs ?? []), shippedEntry()];
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
  const exitCode = await new Promise<number | null>((resolve) => child.on('close', resolve));
  clearTimeout(killer);
  return {
    exitCode,
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
  };
}

/** Parses `name<<DELIMITER` … `DELIMITER` blocks, the format @actions/core writes and the runner reads. */
export function readFileCommands(file: string): Record<string, string> {
  const lines = readFileSync(file, 'utf8').split('\n');
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
