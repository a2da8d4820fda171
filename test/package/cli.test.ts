// The installed `axiom-provision` command against the stand-in: what it sends, what it writes, what it prints.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, lstatSync, mkdtempSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { it as base, describe, expect, vi } from 'vitest';
import type { User } from '../stand-in/lar-rules.ts';
import { type StandInLar, startStandIn } from '../stand-in/lar-server.ts';
import { cli, GITHUB, installedProject, oldestNode, type Run, readGitHubLog, secretsShown } from './installed.ts';

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
    expect(run.stderr).toContain('"--pasword"');
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
  it('tags the account with the run, and masks every secret on stderr before any line shows it', async ({ server }) => {
    const run = await cli(create(server, '--format', 'json'), { env: GITHUB });
    expect(run.exitCode, run.stderr).toBe(0);
    const [user] = server.users.values();
    expect(user?.email).toMatch(/^qa\+gh-4242-2-[a-z0-9]+@yourco\.com$/);
    expect(JSON.parse(run.stdout)).toMatchObject({ AXIOM_API_KEY: user?.apiKey, AXIOM_PASSWORD: user?.password });
    expect(readGitHubLog(run, server.secrets, 'stderr')).toEqual({ leaks: [], masked: server.secrets });
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
        'json',
        '--base-url',
        server.url,
      ],
      { env: { ...GITHUB, LAR_PASSWORD: user.password } },
    );
    expect(run.exitCode, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ AXIOM_PASSWORD: user.password });
    expect(readGitHubLog(run, server.secrets, 'stderr')).toEqual({ leaks: [], masked: server.secrets });
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
    const open = ['open', '--handoff-env', 'AXIOM_HANDOFF', '--handoff-secret-env', 'LAR_HANDOFF_SECRET', '--format', 'json'];
    const [opened, otherRun] = await Promise.all([
      cli(open, { env: laterJob }),
      cli(open, { env: { ...laterJob, GITHUB_RUN_ID: '4243' } }),
    ]);
    expect(opened.exitCode, opened.stderr).toBe(0);
    expect(JSON.parse(opened.stdout)).toMatchObject({ AXIOM_API_KEY: apiKey, AXIOM_EMAIL: user?.email, AXIOM_PASSWORD: user?.password });
    expect(readGitHubLog(opened, server.secrets, 'stderr').leaks).toEqual([]);
    expect(otherRun.exitCode).toBe(1);
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
    expect(opened.exitCode).toBe(1);
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
