// The installed `axiom-provision` command against the stand-in: what it sends, what it writes, what it prints.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, lstatSync, mkdtempSync, readFileSync, renameSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { it as base, describe, expect, vi } from 'vitest';
import { JobLog, parseCommand } from '../harness/runner-log.ts';
import type { User } from '../stand-in/lar-rules.ts';
import { type StandInLar, startStandIn } from '../stand-in/lar-server.ts';
import {
  cli,
  GITHUB,
  installedProject,
  oldestNode,
  type Run,
  type RunOptions,
  readGitHubLog,
  runProgram,
  secretsShown,
} from './installed.ts';

// Each test has its own stand-in and folder, so the tests run side by side: each is mostly processes starting.
const it = base.extend<{ server: StandInLar; dir: string }>({
  // biome-ignore lint/correctness/noEmptyPattern: vitest reads a fixture's dependencies from this pattern.
  server: async ({}, use) => {
    const server = await startStandIn();
    await use(server);
    await server.stop();
  },
  // biome-ignore lint/correctness/noEmptyPattern: as above.
  dir: async ({}, use) => use(mkdtempSync(join(installedProject(), 'cli-'))),
});

const create = (server: StandInLar, ...args: string[]): string[] => [
  'create',
  '--email',
  'qa@yourco.com',
  '--base-url',
  server.url,
  ...args,
];
const parseDotenv = (text: string): Record<string, string> =>
  Object.fromEntries(
    text
      .trimEnd()
      .split('\n')
      .map((line) => line.split(/=(.*)/s).slice(0, 2) as [string, string]),
  );
/** What create writes of the account the stand-in made, by the names the CLI's reference gives. */
const accountVariables = (server: StandInLar, user: User | undefined): Record<string, string | undefined> => ({
  AXIOM_API_KEY: user?.apiKey,
  AXIOM_EMAIL: user?.email,
  AXIOM_USER_ID: String(user?.id),
  AXIOM_PASSWORD: user?.password,
  AXIOM_BASE_URL: server.url,
  AXIOM_CREATED: 'true',
});
const randomPassword = (): string => randomBytes(18).toString('base64url');
/** The values of the `export NAME='value'` lines --format env prints. */
const parseExports = (text: string): Record<string, string> =>
  Object.fromEntries([...text.matchAll(/^export ([A-Z_]+)='([^']*)'$/gm)].map(([, name = '', value = '']) => [name, value]));

/**
 * Reads a run's two pipes as a GitHub runner does: on separate readers, so either may lag the other by any amount.
 * Read at both extremes (all of one pipe, then all of the other), no secret may show before its mask: each pipe must
 * carry its masks ahead of its secrets. Masked: the values registered, as the runner unescapes them.
 */
function readBothPipes(run: Run, secrets: Iterable<string>): { leaks: string[]; masked: Set<string> } {
  const leaks: string[] = [];
  const masked = new Set<string>();
  for (const first of ['stdout', 'stderr'] as const) {
    const log = new JobLog();
    const lagging = [...run.lines.filter(({ stream }) => stream === first), ...run.lines.filter(({ stream }) => stream !== first)];
    for (const { stream, line } of lagging) {
      const printed = log.read(line);
      if (printed === undefined) masked.add(parseCommand(line)?.data ?? '');
      else for (const shown of secretsShown(log.masker.mask(printed.text), secrets)) leaks.push(`${first} read first, ${stream}: ${shown}`);
    }
  }
  return { leaks, masked };
}

/** The one line an error takes on stderr, after any progress lines: no stack trace. */
function errorLine(run: Run): string {
  expect(run.stderr).not.toMatch(/^\s+at |Error:/m);
  const lines = run.stderr.trimEnd().split('\n');
  expect(
    lines.filter((line) => line.startsWith('axiom-provision: ')),
    run.stderr,
  ).toEqual([lines.at(-1)]);
  return lines.at(-1) ?? '';
}

/** A mistake in the command line: exit 2, one message line (perhaps a pointer to --help), nothing sent. */
function expectBadInput(run: Run, server: StandInLar): void {
  expect(run.exitCode, run.stderr).toBe(2);
  const [first, ...rest] = run.stderr.trimEnd().split('\n');
  expect(first).toMatch(/^axiom-provision: \S/);
  expect(
    rest.every((line) => line === 'Run axiom-provision --help for the options.'),
    run.stderr,
  ).toBe(true);
  expect(run.stderr).not.toMatch(/^\s+at |Error:/m);
  expect(run.stdout).toBe('');
  expect(server.requests).toEqual([]);
}

describe.concurrent('create, then revoke', () => {
  it.for(['Node 24', 'the oldest Node the engines allow'])(
    'on %s, writes the account to a new 0600 dotenv file, prints no secret, and revoke --from ends the key',
    async (which, { server, dir }) => {
      const node = which === 'Node 24' ? undefined : oldestNode();
      if (node !== undefined) expect(spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout).toBe('v22.19.0\n');
      const file = join(dir, '.env.axiom');
      const created = await cli(create(server, '--output', file), { node });
      expect(created.exitCode, created.stderr).toBe(0);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      const written = parseDotenv(readFileSync(file, 'utf8'));
      const [user, ...others] = server.users.values();
      expect(others).toEqual([]);
      expect(user?.email).toMatch(/^qa\+local-[a-z0-9]+-[a-z0-9]+@yourco\.com$/);
      expect(written).toEqual(accountVariables(server, user));
      expect(created.stdout).toBe('');
      expect(secretsShown(created.stderr, server.secrets)).toEqual([]);

      const revoked = await cli(['revoke', '--from', file], { node });
      expect(revoked.exitCode, revoked.stderr).toBe(0);
      expect(server.keyOwner(written.AXIOM_API_KEY ?? '')).toBeUndefined();
      expect(user?.keys).toHaveLength(2);
      expect(server.count('login')).toBe(2);
      expect(secretsShown(revoked.stdout + revoked.stderr, server.secrets)).toEqual([]);
    },
  );

  it('prints the account as JSON on stdout only when asked (--format json)', async ({ server }) => {
    const run = await cli(create(server, '--format', 'json'));
    expect(run.exitCode, run.stderr).toBe(0);
    const [user] = server.users.values();
    expect(JSON.parse(run.stdout)).toEqual(accountVariables(server, user));
    expect(secretsShown(run.stderr, server.secrets)).toEqual([]);
  });

  it('never overwrites a file, nor follows a symlink, and then sends nothing', async ({ server, dir }) => {
    const existing = join(dir, 'existing.env');
    writeFileSync(existing, 'KEEP=me\n');
    const target = join(dir, 'target.env');
    symlinkSync(target, join(dir, 'dangling.env'));
    symlinkSync(existing, join(dir, 'to-existing.env'));
    const runs = await Promise.all(
      ['existing.env', 'dangling.env', 'to-existing.env'].map((name) => cli(create(server, '--output', join(dir, name)))),
    );
    for (const run of runs) expectBadInput(run, server);
    expect(readFileSync(existing, 'utf8')).toBe('KEEP=me\n');
    expect(existsSync(target)).toBe(false);
    expect(lstatSync(join(dir, 'dangling.env')).isSymbolicLink()).toBe(true);
  });
});

describe.concurrent('signals', () => {
  it('Ctrl-C ends the request in flight: no request follows, exit 130, and the output file is gone', async ({ server, dir }) => {
    server.inject('key/create', { kind: 'hang' });
    const keyRequested = vi.waitUntil(() => server.count('key/create') > 0, { timeout: 20_000, interval: 20 });
    const file = join(dir, '.env.axiom');
    const run = await cli(create(server, '--output', file), { cancel: { signal: 'SIGINT', when: keyRequested } });
    expect(run.exitCode).toBe(130);
    expect(errorLine(run)).toContain('aborted');
    expect(server.requests.map((request) => request.route)).toEqual(['create', 'login', 'key/create']);
    expect(existsSync(file)).toBe(false);
  });
});

describe.concurrent('bad input: exit 2, one line, nothing sent', () => {
  it.for([
    ['an email that is no address', ['create', '--email', 'not-an-address', '--format', 'json'], '--email'],
    ['no output chosen', ['create', '--email', 'qa@yourco.com'], '--output FILE'],
    ['a flag missing its value', ['create', '--format', 'json', '--email'], 'missing its value'],
    ['a timeout out of range', ['create', '--email', 'qa@yourco.com', '--format', 'json', '--timeout-seconds', '1'], '--timeout-seconds'],
    ['mode existing with no password', ['create', '--email', 'qa@yourco.com', '--format', 'json', '--mode', 'existing'], '--password-env'],
    ['revoke from a missing file', ['revoke', '--from', 'no-such-file.env'], '--from'],
  ] as const)('%s', async ([, args, named], { server }) => {
    const run = await cli(args[0] === 'create' ? [...args, '--base-url', server.url] : args);
    expectBadInput(run, server);
    expect(run.stderr).toContain(named);
  });

  it('names an unknown flag, and only its name', async ({ server }) => {
    const run = await cli(create(server, '--format', 'json', '--pasword=hunter2'));
    expectBadInput(run, server);
    expect(run.stderr).toContain('create takes no option --pasword\n');
    expect(run.stderr).not.toContain('hunter2');
  });

  it.for([['--password', 'hunter2'], ['--password=hunter2']])(
    'refuses a password given as an argument (%s) without echoing it',
    async (flag, { server }) => {
      const run = await cli(create(server, '--format', 'json', ...flag));
      expectBadInput(run, server);
      expect(run.stderr).toContain('--password-env');
      expect(run.stderr).not.toContain('hunter2');
    },
  );
});

describe.concurrent('the account-safety stops', () => {
  it('an address taken at a fixed tag: exit 1, and no login to an account this run did not make', async ({ server }) => {
    const owner = server.seedUser('qa+nightly@yourco.com', randomPassword(), { apiKey: true });
    const run = await cli(create(server, '--email-tag', 'nightly', '--format', 'json'));
    expect(run.exitCode).toBe(1);
    expect(errorLine(run)).toMatch(/already registered.*Set a different --email-tag.*use --mode existing/);
    expect(run.stdout).toBe('');
    expect(server.count('create')).toBe(1);
    expect(server.count('login')).toBe(0);
    expect(owner.keys).toHaveLength(1);
  });

  it('a wrong password in mode existing: exit 1 after exactly one login, and no password shown', async ({ server }) => {
    const user = server.seedUser('fixed@yourco.com', randomPassword());
    const existing = ['create', '--email', 'fixed@yourco.com', '--mode', 'existing', '--format', 'json', '--base-url', server.url];
    const run = await cli([...existing, '--password-env', 'LAR_PASSWORD'], { env: { LAR_PASSWORD: randomPassword() } });
    expect(run.exitCode).toBe(1);
    expect(errorLine(run)).toContain('wrong email or password for fixed@yourco.com');
    expect(run.stdout).toBe('');
    expect(server.count('login')).toBe(1);
    expect(user.failedLoginsCounted).toBe(1);
    expect(user.keys).toEqual([]);
    expect(secretsShown(run.stderr, server.secrets)).toEqual([]);

    // The right password, from stdin this time: one more login, and the account's first key.
    const right = await cli([...existing, '--password-stdin'], { stdin: `${user.password}\n` });
    expect(right.exitCode, right.stderr).toBe(0);
    expect(JSON.parse(right.stdout)).toMatchObject({ AXIOM_EMAIL: 'fixed@yourco.com', AXIOM_API_KEY: user.apiKey, AXIOM_CREATED: 'false' });
    expect(server.count('login')).toBe(2);

    // The account now has a key: replacing it needs --replace-key, which the progress line names.
    const replaced = await cli([...existing, '--password-stdin', '--replace-key'], { stdin: `${user.password}\n` });
    expect(replaced.exitCode, replaced.stderr).toBe(0);
    expect(replaced.stderr).toContain('Replacing the existing API key of fixed@yourco.com, as --replace-key allows');
  });
});

describe.concurrent('in GitHub Actions', () => {
  it('tags the account with the run, and masks the key and the password on each stream before any line there shows them', async ({
    server,
  }) => {
    const run = await cli(create(server, '--format', 'env'), { env: GITHUB });
    expect(run.exitCode, run.stderr).toBe(0);
    const [user] = server.users.values();
    expect(user?.email).toMatch(/^qa\+gh-4242-2-[a-z0-9]+@yourco\.com$/);
    expect(parseExports(run.stdout)).toMatchObject({ AXIOM_API_KEY: user?.apiKey, AXIOM_PASSWORD: user?.password });
    expect(readBothPipes(run, server.secrets)).toEqual({ leaks: [], masked: new Set([user?.apiKey, user?.password]) });
  });

  it('masks a password as the runner unescapes it: a % and a space in it', async ({ server }) => {
    const user = server.seedUser('fixed@yourco.com', `${randomPassword()}! %25${randomPassword()}`);
    const run = await cli(
      [
        'create',
        '--email',
        'fixed@yourco.com',
        '--mode',
        'existing',
        '--password-env',
        'LAR_PASSWORD',
        '--format',
        'env',
        '--base-url',
        server.url,
      ],
      { env: { ...GITHUB, LAR_PASSWORD: user.password } },
    );
    expect(run.exitCode, run.stderr).toBe(0);
    expect(parseExports(run.stdout)).toMatchObject({ AXIOM_PASSWORD: user.password });
    expect(readBothPipes(run, server.secrets)).toEqual({ leaks: [], masked: new Set([user?.apiKey, user?.password]) });
  });

  it('seals the account for later jobs: open in another process of the run, then revoke from the handoff', async ({ server, dir }) => {
    const env = { ...GITHUB, LAR_HANDOFF_SECRET: randomBytes(32).toString('base64url') };
    const file = join(dir, 'handoff.env');
    const created = await cli(create(server, '--handoff-secret-env', 'LAR_HANDOFF_SECRET', '--output', file), { env });
    expect(created.exitCode, created.stderr).toBe(0);
    expect(readGitHubLog(created, server.secrets, 'stderr').leaks).toEqual([]);
    const written = parseDotenv(readFileSync(file, 'utf8'));
    const [user] = server.users.values();
    const apiKey = user?.apiKey ?? '';
    expect(Object.keys(written).sort()).toEqual(['AXIOM_EMAIL', 'AXIOM_HANDOFF', 'AXIOM_USER_ID']);
    expect(written).toMatchObject({ AXIOM_EMAIL: user?.email, AXIOM_USER_ID: String(user?.id) });
    expect(secretsShown(readFileSync(file, 'utf8'), server.secrets)).toEqual([]);

    const laterJob = { ...env, AXIOM_HANDOFF: written.AXIOM_HANDOFF ?? '' };
    const open = ['open', '--handoff-env', 'AXIOM_HANDOFF', '--handoff-secret-env', 'LAR_HANDOFF_SECRET', '--format', 'env'];
    const [opened, otherRun] = await Promise.all([
      cli(open, { env: laterJob }),
      cli(open, { env: { ...laterJob, GITHUB_RUN_ID: '4243' } }),
    ]);
    expect(opened.exitCode, opened.stderr).toBe(0);
    expect(parseExports(opened.stdout)).toMatchObject({ AXIOM_API_KEY: apiKey, AXIOM_EMAIL: user?.email, AXIOM_PASSWORD: user?.password });
    expect(readBothPipes(opened, server.secrets).leaks).toEqual([]);
    expect(otherRun.exitCode).toBe(2);
    expect(otherRun.stdout).toBe('');
    expect(server.count('login')).toBe(1);

    const revoked = await cli(['revoke', '--handoff-env', 'AXIOM_HANDOFF', '--handoff-secret-env', 'LAR_HANDOFF_SECRET'], {
      env: laterJob,
    });
    expect(revoked.exitCode, revoked.stderr).toBe(0);
    expect(readGitHubLog(revoked, server.secrets, 'stderr').leaks).toEqual([]);
    expect(server.keyOwner(apiKey)).toBeUndefined();
    expect(user?.keys).toHaveLength(2);
    expect(server.count('login')).toBe(2);
  });
});

describe.concurrent('--help and --version', () => {
  it('print the usage and the version, exit 0, and send nothing', async ({ server }) => {
    const [help, version] = await Promise.all([cli(['--help']), cli(['--version'])]);
    expect(help.exitCode).toBe(0);
    expect(help.stdout).toMatch(/^usage:\n {2}axiom-provision create /);
    expect(version.exitCode).toBe(0);
    const packaged = JSON.parse(readFileSync(join(installedProject(), 'node_modules/axiom-provision/package.json'), 'utf8')) as {
      version: string;
    };
    expect(version.stdout).toBe(`${packaged.version}\n`);
    expect(server.requests).toEqual([]);
  });

  // The machine's own Node, when it is older than the package's engines (Debian's is 20).
  const oldNode = ['/usr/bin/node'].find(
    (path) => existsSync(path) && Number(/^v(\d+)/.exec(spawnSync(path, ['--version'], { encoding: 'utf8' }).stdout)?.[1]) < 22,
  );
  it.skipIf(oldNode === undefined)('on a Node older than 22.19, say which Node they need in one line, and exit 1', () => {
    const bin = join(installedProject(), 'node_modules/axiom-provision/lib/cli/bin.js');
    const run = spawnSync(oldNode ?? '', [bin, '--help'], { encoding: 'utf8' });
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^axiom-provision needs Node 22\.19 or later; this is Node 2[01]\.\d+\.\d+\.\n$/);
  });
});

describe.concurrent('stops before harm: Ctrl-C on stdin, unbound handoffs, a FIFO, unsafe quoting', () => {
  it('stops on Ctrl-C while it waits for the password on stdin: no request, no file', async ({ server, dir }) => {
    const file = join(dir, 'waiting.env');
    const run = await cli(create(server, '--password-stdin', '--output', file), {
      holdStdin: true,
      cancel: { signal: 'SIGINT', when: new Promise((resolve) => setTimeout(resolve, 5000)) }, // once it surely waits on stdin
      timeoutMs: 10_000,
    });
    expect(run.exitCode).toBe(130);
    expect(errorLine(run)).toMatch(/Interrupted while reading the password from stdin\. No request was sent\./);
    expect(server.requests).toEqual([]);
    expect(existsSync(file)).toBe(false);
  });

  it.for<[string, Record<string, string>]>([
    ['GitHub, with no run id', { GITHUB_ACTIONS: 'true', GITHUB_REPOSITORY: 'o/r' }],
    ['GitHub, with no attempt', { GITHUB_ACTIONS: 'true', GITHUB_REPOSITORY: 'o/r', GITHUB_RUN_ID: '5' }],
    ['GitLab, with no pipeline', { GITLAB_CI: 'true', CI_PROJECT_PATH: 'g/p' }],
  ])('refuses a handoff in a CI run it cannot bind to (%s) before any request', async ([, ci], { server, dir }) => {
    const run = await cli(create(server, '--handoff-secret-env', 'HS', '--output', join(dir, 'h.env')), {
      env: { ...ci, HS: randomBytes(32).toString('base64') },
    });
    expect(run.exitCode, run.stderr).toBe(2);
    expect(errorLine(run)).toMatch(/a handoff is bound to a CI run, and none was found whole.*No request was sent\.$/);
    expect(server.requests).toEqual([]);
    expect(existsSync(join(dir, 'h.env'))).toBe(false);
  });

  it('does not open a GitHub run’s handoff in a GitLab pipeline of the same numbers', async ({ server, dir }) => {
    const secret = randomBytes(32).toString('base64');
    const github = { GITHUB_ACTIONS: 'true', GITHUB_REPOSITORY: 'o/r', GITHUB_RUN_ID: '900', GITHUB_RUN_ATTEMPT: '1', HS: secret };
    const sealed = await cli(create(server, '--handoff-secret-env', 'HS', '--format', 'dotenv'), { env: github });
    expect(sealed.exitCode, sealed.stderr).toBe(0);
    const handoff = parseDotenv(sealed.stdout).AXIOM_HANDOFF ?? '';
    const gitlab = { GITLAB_CI: 'true', CI_PROJECT_PATH: 'o/r', CI_PIPELINE_ID: '900', CI_JOB_ID: '1', HS: secret, H: handoff };
    const opened = await cli(['open', '--handoff-env', 'H', '--handoff-secret-env', 'HS', '--output', join(dir, 'o.env')], { env: gitlab });
    expect(opened.exitCode).toBe(2);
    expect(errorLine(opened)).toMatch(/does not open/);
    expect(existsSync(join(dir, 'o.env'))).toBe(false);
  });

  it('refuses revoke --from a FIFO at once, without waiting for a writer', async ({ server, dir }) => {
    const fifo = join(dir, 'fifo.env');
    const { execFileSync } = await import('node:child_process');
    execFileSync('mkfifo', [fifo]);
    const run = await cli(['revoke', '--from', fifo], { timeoutMs: 10_000 });
    expectBadInput(run, server);
  });

  it("refuses --format env for a password that holds a ' before any request: an escaped password escapes its mask", async ({ server }) => {
    const run = await cli(create(server, '--password-env', 'PW', '--format', 'env'), { env: { PW: "it's-a-Gv7kQ2m9xZp4LwR8" } });
    expectBadInput(run, server);
  });
});

/** The installed command, for a shell script: "$AXIOM" … */
const shell = (script: string, options: RunOptions & { dir: string }): Promise<Run> =>
  runProgram('sh', ['-c', script], {
    ...options,
    cwd: options.dir,
    env: { AXIOM: join(installedProject(), 'node_modules', '.bin', 'axiom-provision'), ...options.env },
  });

describe.concurrent('a hostile server’s key, however the output is consumed', () => {
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell's ${IFS}, the space a visible-ASCII key cannot hold
  const forged = "axm_'$(touch${IFS}pwned)'";
  it.for([
    ['eval of --format env', `eval "$("$AXIOM" create --email qa@yourco.com --base-url "$URL" --format env)"`],
    [
      'set -a; . of --format dotenv',
      `"$AXIOM" create --email qa@yourco.com --base-url "$URL" --format dotenv > out.env; set -a; . ./out.env`,
    ],
    ['set -a; . of --output', `"$AXIOM" create --email qa@yourco.com --base-url "$URL" --output out.env; set -a; . ./out.env`],
  ] as const)(
    'runs nothing through %s: the key is refused as a bad answer, and nothing is written',
    async ([, script], { server, dir }) => {
      server.inject('key/create', { kind: 'forged-key', token: forged });
      const run = await shell(script, { dir, env: { URL: server.url } });
      expect(run.stderr).toMatch(/^axiom-provision: key\/create: HTTP 200, but the API key is not axm_ followed by a bearer token/m);
      expect(existsSync(join(dir, 'pwned'))).toBe(false);
      expect(existsSync(join(dir, 'out.env')) ? readFileSync(join(dir, 'out.env'), 'utf8') : '').toBe('');
      expect(run.stdout).toBe('');
    },
  );
});

describe.concurrent('the dotenv file reads back the same everywhere', () => {
  it('gives node --env-file and a shell the same password, quotes, # and spaces included', async ({ server, dir }) => {
    const password = ` it's a #${randomPassword()} one = fine `;
    const user = server.seedUser('fixed@yourco.com', password);
    const script = [
      '"$AXIOM" create --email fixed@yourco.com --mode existing --password-env PW --base-url "$URL" --output out.env || exit 1',
      `node --env-file=out.env -e 'process.stdout.write(process.env.AXIOM_PASSWORD + "\\n")'`,
      `(set -a; . ./out.env; printf '%s\\n' "$AXIOM_PASSWORD")`,
    ].join('\n');
    const run = await shell(script, { dir, env: { URL: server.url, PW: password } });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stdout).toBe(`${user.password}\n${user.password}\n`);
  });

  it.for([
    ["a ' with a backslash", "ab'c\\nde-Gv7kQ2m9xZp4LwR8"],
    ["a ' with a $", "ab'c$HOME-Gv7kQ2m9xZp4LwR8"],
  ] as const)(
    'refuses a password no dotenv form holds (%s) before any request, without quoting it',
    async ([, password], { server, dir }) => {
      const run = await shell(
        '"$AXIOM" create --email fixed@yourco.com --mode existing --password-env PW --base-url "$URL" --output out.env',
        {
          dir,
          env: { URL: server.url, PW: password },
        },
      );
      expectBadInput(run, server);
      expect(run.stderr).not.toContain('Gv7kQ2m9');
      expect(existsSync(join(dir, 'out.env'))).toBe(false);
    },
  );
});

describe.concurrent('a mistyped flag never shows a value', () => {
  it.for([
    ['-pGv7kQ2m9xZp4LwR8'],
    ['--password:Gv7kQ2m9xZp4LwR8'],
    ['--passwordGv7kQ2m9xZp4LwR8'],
    ['--Gv7kQ2m9xZp4LwR8'],
    ['--name', '-Gv7kQ2m9xZp4LwR8'],
    ['--pasword=Gv7kQ2m9xZp4LwR8'],
    ['Gv7kQ2m9xZp4LwR8'],
  ])('%s …: exit 2, nothing sent, and no piece of it shown', async (args, { server }) => {
    const run = await cli(create(server, '--format', 'json', ...args));
    expectBadInput(run, server);
    expect(run.stderr).not.toContain('Gv7kQ2m9');
  });

  it('never shows what was given as a variable name: a secret put there names the flag only', async ({ server, dir }) => {
    const run = await shell('"$AXIOM" create --email qa@yourco.com --base-url "$URL" --format json --password-env "$PW"', {
      dir,
      env: { URL: server.url, PW: 'Gv7kQ2m9xZp4LwR8_secret' },
    });
    expectBadInput(run, server);
    expect(run.stderr).toContain('--password-env');
    expect(run.stderr).not.toContain('Gv7kQ2m9');
  });

  it('refuses a flag given twice, naming only the flag', async ({ server }) => {
    const run = await cli(create(server, '--format', 'json', '--email-tag', 'one-Gv7kQ2m9', '--email-tag', 'two-Gv7kQ2m9'));
    expectBadInput(run, server);
    expect(errorLine({ ...run, stderr: run.stderr.split('\n')[0] ?? '' })).toBe('axiom-provision: --email-tag is given more than once');
  });

  it('refuses an empty --password-stdin, as an empty --password-env, before any request', async ({ server }) => {
    const [stdin, env] = await Promise.all([
      cli(create(server, '--format', 'json', '--password-stdin'), { stdin: '\n' }),
      cli(create(server, '--format', 'json', '--password-env', 'PW'), { env: { PW: '' } }),
    ]);
    for (const run of [stdin, env]) expectBadInput(run, server);
  });
});

describe.concurrent('commands, --help and a bare call', () => {
  it.for([['__proto__'], ['toString'], ['constructor'], ['nosuch']])(
    'refuses the command %s with exit 2',
    async ([command], { server }) => {
      expectBadInput(await cli([command ?? '']), server);
    },
  );

  it.for([
    ['create', '--email', 'qa@yourco.com', '--help'],
    ['revoke', '-h'],
    ['open', '--format', 'json', '-h'],
  ])('%j prints the usage on stdout, exit 0', async (args, { server }) => {
    const run = await cli(args);
    expect({ code: run.exitCode, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
    expect(run.stdout).toMatch(/^usage:\n/);
    expect(server.requests).toEqual([]);
  });

  it('a bare call prints the usage on stderr, exit 2', async () => {
    const run = await cli([]);
    expect({ code: run.exitCode, stdout: run.stdout }).toEqual({ code: 2, stdout: '' });
    expect(run.stderr).toMatch(/^usage:\n/);
  });
});

describe.concurrent('clean-up on every failure', () => {
  it('SIGHUP stops like SIGTERM: no request follows, exit 129, and the output file is gone', async ({ server, dir }) => {
    server.inject('key/create', { kind: 'hang' });
    const keyRequested = vi.waitUntil(() => server.count('key/create') > 0, { timeout: 20_000, interval: 20 });
    const file = join(dir, '.env.axiom');
    const run = await cli(create(server, '--output', file), { cancel: { signal: 'SIGHUP', when: keyRequested } });
    expect(run.exitCode).toBe(129);
    expect(server.requests.map((request) => request.route)).toEqual(['create', 'login', 'key/create']);
    expect(existsSync(file)).toBe(false);
  });

  it('removes only the file it created: one put in its place mid-run is left, and it says so', async ({ server, dir }) => {
    server.inject('key/create', { kind: 'hang' });
    const file = join(dir, '.env.axiom');
    const swapped = vi
      .waitUntil(() => server.count('key/create') > 0, { timeout: 20_000, interval: 20 })
      .then(() => {
        renameSync(file, join(dir, 'moved.env'));
        writeFileSync(file, 'SOMEONE=else\n');
      });
    const run = await cli(create(server, '--output', file), { cancel: { signal: 'SIGTERM', when: swapped } });
    expect(run.exitCode).toBe(143);
    expect(readFileSync(file, 'utf8')).toBe('SOMEONE=else\n');
    expect(run.stderr).toContain(`Left ${JSON.stringify(file)} in place: it is no longer the file this command created.`);
  });

  it('a closed stdout is one message, exit 1, and the output file is removed', async ({ server, dir }) => {
    const script = '{ "$AXIOM" create --email qa@yourco.com --base-url "$URL" --format json --output out.env; echo "exit $?" >&2; } | true';
    const run = await shell(script, { dir, env: { URL: server.url } });
    expect(run.stderr).toMatch(/\naxiom-provision: cannot print the account: standard output is closed \(EPIPE\)\.\nexit 1\n$/);
    expect(run.stderr).not.toMatch(/^\s+at |Error/m);
    expect(existsSync(join(dir, 'out.env'))).toBe(false);
  });
});

describe.concurrent('in GitHub Actions, what eval gets', () => {
  it('eval of --format env defines the account, and cat prints each mask on the step’s stdout ahead of any use', async ({
    server,
    dir,
  }) => {
    const script = 'eval "$("$AXIOM" create --email qa@yourco.com --base-url "$URL" --format env)" && echo "key: $AXIOM_API_KEY"';
    const run = await shell(script, { dir, env: { ...GITHUB, URL: server.url } });
    expect(run.exitCode, run.stderr).toBe(0);
    const [user] = server.users.values();
    expect(run.stdout.split('\n').filter((line) => !line.startsWith('::add-mask::'))).toEqual([`key: ${user?.apiKey}`, '']);
    expect(readBothPipes(run, server.secrets)).toEqual({ leaks: [], masked: new Set([user?.apiKey, user?.password]) });
  });

  it('prints on stdout the masks of what it prints there, and no other secret: not the tokens, nor a handoff’s secret', async ({
    server,
  }) => {
    const plain = await cli(create(server, '--format', 'env'), { env: GITHUB });
    expect(plain.exitCode, plain.stderr).toBe(0);
    const [user] = server.users.values();
    const notPrinted = [...server.secrets].filter((secret) => secret !== user?.apiKey && secret !== user?.password);
    expect(notPrinted.length).toBeGreaterThan(0);
    expect(secretsShown(plain.stdout, notPrinted)).toEqual([]);

    const HS = randomBytes(32).toString('base64');
    const sealed = await cli(create(server, '--handoff-secret-env', 'HS', '--format', 'env'), { env: { ...GITHUB, HS } });
    expect(sealed.exitCode, sealed.stderr).toBe(0);
    expect(parseExports(sealed.stdout)).toHaveProperty('AXIOM_HANDOFF');
    expect(secretsShown(sealed.stdout, [...server.secrets, HS])).toEqual([]);
    expect(readBothPipes(sealed, [...server.secrets, HS]).leaks).toEqual([]);
  });

  it.for(['json', 'dotenv'])('refuses --format %s, which has no place for masks, before any request', async (format, { server }) => {
    const run = await cli(create(server, '--format', format), { env: GITHUB });
    expectBadInput(run, server);
  });
});

describe.concurrent('handoff messages', () => {
  it('a handoff that does not open is bad input: exit 2, the flag named once, no "run undefined"', async ({ server, dir }) => {
    const secret = randomBytes(32).toString('base64');
    const sealed = await cli(create(server, '--handoff-secret-env', 'HS', '--format', 'dotenv'), { env: { ...GITHUB, HS: secret } });
    expect(sealed.exitCode, sealed.stderr).toBe(0);
    const handoff = parseDotenv(sealed.stdout).AXIOM_HANDOFF ?? '';
    const sent = server.requests.length;
    const open = (env: Record<string, string>) =>
      cli(['open', '--handoff-env', 'H', '--handoff-secret-env', 'HS', '--output', join(dir, 'o.env')], { env });
    const [local, emptyPipeline, shortSecret, garbage] = await Promise.all([
      open({ H: handoff, HS: secret }),
      open({ GITLAB_CI: 'true', CI_PROJECT_PATH: 'g/p', CI_PIPELINE_ID: '', H: handoff, HS: secret }),
      open({ ...GITHUB, H: handoff, HS: 'short' }),
      open({ ...GITHUB, H: 'not-a-handoff', HS: secret }),
    ]);
    expect(errorLine(local)).toMatch(
      /^axiom-provision: --handoff-env: the handoff was made by workflow run 4242, and this is no CI run with an id\./,
    );
    expect(errorLine(emptyPipeline)).toMatch(/this is no CI run with an id\./);
    expect(errorLine(shortSecret)).toMatch(/^axiom-provision: --handoff-secret-env: the secret /);
    expect(errorLine(garbage)).toMatch(/^axiom-provision: --handoff-env: the handoff is not a handoff/);
    for (const run of [local, emptyPipeline, shortSecret, garbage]) {
      expect({ code: run.exitCode, stdout: run.stdout }).toEqual({ code: 2, stdout: '' });
      expect(run.stderr).not.toMatch(/undefined|run \.|handoff handoff/);
    }
    expect(server.requests).toHaveLength(sent);
    expect(existsSync(join(dir, 'o.env'))).toBe(false);
  });

  it('revoke --from a directory says why', async ({ server, dir }) => {
    const run = await cli(['revoke', '--from', dir]);
    expectBadInput(run, server);
    expect(errorLine(run)).toBe(
      `axiom-provision: --from: ${JSON.stringify(dir)} is a directory, not an account file. No request was sent.`,
    );
  });
});
