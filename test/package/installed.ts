// Runs what the global setup installed, as a user's shell would: Node 24 (this process's), a controlled environment
// (nothing inherited but PATH, so a CI's own GITHUB_* or proxy variables cannot leak in), and both streams kept.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { inject } from 'vitest';
import { JobLog, parseCommand } from '../harness/runner-log.ts';

export const installedProject = (): string => inject('installedProject');
/** What a GitHub runner sets for a job's steps: run 4242, attempt 2. */
export const GITHUB = { GITHUB_ACTIONS: 'true', GITHUB_REPOSITORY: 'yourco/app', GITHUB_RUN_ID: '4242', GITHUB_RUN_ATTEMPT: '2' };
/** The oldest Node the package's engines allow. */
export const oldestNode = (): string => inject('oldestNode');

export interface Run {
  readonly exitCode: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Both streams' lines in the order they arrived, which is the order of writing: Node writes to a pipe synchronously. */
  readonly lines: readonly { readonly stream: 'stdout' | 'stderr'; readonly line: string }[];
}

export interface RunOptions {
  /** The Node binary: this process's (Node 24) unless given. */
  readonly node?: string;
  readonly env?: Readonly<Record<string, string>>;
  readonly cwd?: string;
  readonly stdin?: string;
  /** Leaves standard input open, unwritten: a user who has not typed the password yet. */
  readonly holdStdin?: boolean;
  readonly timeoutMs?: number;
  /** Sends the process a signal once `when` settles, as Ctrl-C or a CI's cancel would. */
  readonly cancel?: { readonly signal: NodeJS.Signals; readonly when: Promise<unknown> };
}

/** Node 24 first on PATH: the runners fork their workers with it, and a #! line finds it. */
const PATH = [dirname(process.execPath), process.env.PATH ?? '/usr/bin:/bin'].join(':');

/** Runs `node …args` in the installed project. */
export const runNode = (args: readonly string[], options: RunOptions = {}): Promise<Run> =>
  runProgram(options.node ?? process.execPath, args, options);

/** Runs a program in the installed project (`sh -c` for a doc's shell recipe), with Node 24 first on PATH. */
export function runProgram(program: string, args: readonly string[], options: RunOptions = {}): Promise<Run> {
  const cwd = options.cwd ?? installedProject();
  const child = spawn(program, args, {
    cwd,
    env: { PATH, HOME: cwd, NO_COLOR: '1', ...options.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  // A program may exit before it reads its stdin (sh -c does): that closed pipe is not what a test checks.
  child.stdin.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
  });
  if (!options.holdStdin) child.stdin.end(options.stdin ?? '');
  const lines: { stream: 'stdout' | 'stderr'; line: string }[] = [];
  const text = { stdout: '', stderr: '' };
  for (const stream of ['stdout', 'stderr'] as const) {
    let partial = '';
    child[stream].setEncoding('utf8').on('data', (chunk: string) => {
      text[stream] += chunk;
      const parts = (partial + chunk).split(/\r?\n/);
      partial = parts.pop() ?? '';
      for (const line of parts) lines.push({ stream, line });
    });
    child[stream].on('end', () => partial !== '' && lines.push({ stream, line: partial }));
  }
  const killer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 30_000);
  void options.cancel?.when.finally(() => child.kill(options.cancel?.signal));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (exitCode) => {
      clearTimeout(killer);
      resolve({ exitCode, stdout: text.stdout, stderr: text.stderr, lines });
    });
  });
}

/** The installed `axiom-provision` command, run from the project's node_modules/.bin. */
export const cli = (args: readonly string[], options: RunOptions = {}): Promise<Run> =>
  runNode([join(installedProject(), 'node_modules', '.bin', 'axiom-provision'), ...args], options);

const PIECE = 8;

/** Each secret of which some PIECE characters in a row show in `text` (the whole of a shorter one), labelled by its length and end. */
export function secretsShown(text: string, secrets: Iterable<string>): string[] {
  const shown: string[] = [];
  for (const secret of secrets) {
    if (secret.trim() === '') continue;
    for (let start = 0; start + PIECE <= Math.max(secret.length, PIECE); start++) {
      if (text.includes(secret.slice(start, start + PIECE))) {
        shown.push(`a secret of ${secret.length} characters ending '…${secret.slice(-3)}', characters ${start + 1}-${start + PIECE}`);
        break;
      }
    }
  }
  return shown;
}

/**
 * Reads a run's lines in order as a GitHub runner would. Leaks: what shows of any of `secrets` once the masks
 * registered so far apply, and any ::add-mask:: on the other stream than `masksOn` (the CLI's stdout may be a file).
 * Masked: the values the runner registered, as it unescapes them.
 */
export function readGitHubLog(run: Run, secrets: Iterable<string>, masksOn: 'stdout' | 'stderr'): { leaks: string[]; masked: Set<string> } {
  const log = new JobLog();
  const leaks: string[] = [];
  const masked = new Set<string>();
  for (const [n, { stream, line }] of run.lines.entries()) {
    const printed = log.read(line);
    if (printed === undefined) {
      if (stream !== masksOn) leaks.push(`line ${n + 1}: ::add-mask:: on ${stream}`);
      masked.add(parseCommand(line)?.data ?? '');
      continue;
    }
    for (const shown of secretsShown(log.masker.mask(printed.text), secrets)) leaks.push(`line ${n + 1} (${stream}): ${shown}`);
  }
  return { leaks, masked };
}
