// The CLI's main(), driven in-process through its Io: parsing, the messages, the exit codes, what goes to which
// stream; and docs/cli.md checked against the one table of flags that parsing and --help read.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { COMMANDS, FLAGS, flagForm, type Io, main, usage } from '../../src/cli/main.ts';
import { type StandInLar, startStandIn } from '../stand-in/lar-server.ts';

interface Ran {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

async function run(
  argv: readonly string[],
  {
    env = {},
    stdin = '',
    stdout,
    stderrIsFile = false,
  }: { env?: Record<string, string>; stdin?: string; stdout?: Io['stdout']; stderrIsFile?: boolean } = {},
): Promise<Ran> {
  const out = { stdout: '', stderr: '' };
  const code = await main(argv, {
    env,
    stdout:
      stdout ??
      ((text) => {
        out.stdout += text;
      }),
    stderr: (text) => {
      out.stderr += text;
    },
    readStdin: async () => stdin,
    stderrIsFile,
  });
  return { code, ...out };
}

let server: StandInLar;
const scratch = mkdtempSync(join(tmpdir(), 'axiom-provision-cli-'));
beforeAll(async () => {
  server = await startStandIn();
});
afterAll(async () => {
  await server.stop();
  rmSync(scratch, { recursive: true, force: true });
});
beforeEach(() => {
  server.requests.length = 0;
});
const create = (...args: string[]): string[] => ['create', '--email', 'qa@yourco.com', '--base-url', server.url, ...args];

/** Exit 2, nothing on stdout, nothing sent, and a message that names `named` and shows no piece of `hidden`. */
function expectRefused(ran: Ran, named: string, hidden = 'Gv7kQ2m9'): void {
  expect(ran.code, ran.stderr).toBe(2);
  expect(ran.stdout).toBe('');
  expect(ran.stderr).toContain(named);
  expect(ran.stderr).not.toContain(hidden);
  expect(server.requests).toEqual([]);
}

describe('the command line', () => {
  it('prints the usage on stdout for --help or -h anywhere, and on stderr with exit 2 for a bare call', async () => {
    for (const argv of [['--help'], ['-h'], ['create', '--email', 'x', '-h'], ['revoke', '--help']]) {
      expect(await run(argv)).toEqual({ code: 0, stdout: `${usage()}\n`, stderr: '' });
    }
    expect(await run([])).toEqual({ code: 2, stdout: '', stderr: `${usage()}\n` });
  });

  it.each(['__proto__', 'toString', 'hasOwnProperty', 'Gv7kQ2m9', '--Gv7kQ2m9'])(
    'refuses the command %s without showing it',
    async (command) => {
      expectRefused(await run([command]), 'unknown command');
    },
  );

  it.each([
    [['-pGv7kQ2m9'], 'a password is never taken from the command line'],
    [['--password=Gv7kQ2m9'], 'a password is never taken from the command line'],
    [['--password:Gv7kQ2m9'], 'a password is never taken from the command line'],
    [['--pasword=Gv7kQ2m9'], 'create takes no option --pasword\n'],
    [['--Pasword=Gv7kQ2m9'], 'create takes no such option (not shown)'],
    [['-xGv7kQ2m9'], 'create takes no such option (not shown)'],
    [['Gv7kQ2m9'], 'create takes no value without a flag (not shown)'],
    [['--email-tag', '-Gv7kQ2m9'], '--email-tag is missing its value'],
    [['--email-tag'], '--email-tag is missing its value'],
    [['--replace-key=Gv7kQ2m9'], '--replace-key takes no value'],
    [['--name', 'a-Gv7kQ2m9', '--name', 'b-Gv7kQ2m9'], '--name is given more than once'],
    [['--output', 'a\nGv7kQ2m9'], '--output takes a path without control characters'],
    [['--password-env', 'Gv7kQ2m9_NAME'], '--password-env: the environment variable it names is empty or not set'],
    [['--password-env', 'Gv7kQ2m9 not a name'], '--password-env takes the name of an environment variable'],
  ])('%j: exit 2 with %j, and no value shown', async (args, message) => {
    expectRefused(await run(create('--format', 'json', ...args)), message);
  });

  it('refuses an unknown format', async () => {
    expectRefused(await run(['create', '--email', 'qa@yourco.com', '--format', 'Gv7kQ2m9']), '--format takes json, env or dotenv');
  });

  it('refuses an empty or blank password on stdin, as from the environment', async () => {
    for (const stdin of ['', '\n', '   \n']) {
      expectRefused(await run(create('--format', 'json', '--password-stdin'), { stdin }), '--password-stdin: standard input is empty');
    }
  });

  it('refuses, before any request, a given value the chosen output cannot hold, and says what can', async () => {
    const env = { PW: "it's-$Gv7kQ2m9" };
    expectRefused(await run(create('--format', 'dotenv', '--password-env', 'PW'), { env }), 'use --format json');
    expectRefused(await run(create('--format', 'env', '--password-env', 'PW'), { env }), "holds a '");
    expectRefused(
      await run(['create', '--email', "o'$x@yourco.com", '--base-url', server.url, '--output', join(scratch, 'e.env')]),
      '--email: the value',
    );
    expect(existsSync(join(scratch, 'e.env'))).toBe(false);
  });
});

describe('create', () => {
  it('prints export lines for eval with --format env, and progress on stderr only', async () => {
    const ran = await run(create('--format', 'env'));
    expect(ran.code, ran.stderr).toBe(0);
    const [user] = [...server.users.values()].slice(-1);
    expect(ran.stdout).toBe(
      [
        `export AXIOM_API_KEY='${user?.apiKey}'`,
        `export AXIOM_EMAIL='${user?.email}'`,
        `export AXIOM_USER_ID='${user?.id}'`,
        `export AXIOM_PASSWORD='${user?.password}'`,
        `export AXIOM_BASE_URL='${server.url}'`,
        "export AXIOM_CREATED='true'",
        '',
      ].join('\n'),
    );
    expect(ran.stderr).toMatch(/^Creating .*\nLogging in as .*\nProvisioned /);
  });

  it('in GitHub Actions, masks what it hands out (the key, the password) on stderr, and again ahead of the exports on stdout', async () => {
    const env = { GITHUB_ACTIONS: 'true', GITHUB_REPOSITORY: 'o/r', GITHUB_RUN_ID: '5', GITHUB_RUN_ATTEMPT: '1' };
    const ran = await run(create('--format', 'env'), { env });
    expect(ran.code, ran.stderr).toBe(0);
    const [user] = [...server.users.values()].slice(-1);
    const masks = ran.stderr.split('\n').filter((line) => line.startsWith('::add-mask::'));
    // No mask for a login token: nothing prints one, and a mask line holds its secret whole.
    expect(masks).toEqual([`::add-mask::${user?.apiKey}`, `::add-mask::${user?.password}`]);
    expect(ran.stdout.startsWith(`cat <<'AXIOM_MASKS'\n${masks.join('\n')}\nAXIOM_MASKS\nexport AXIOM_API_KEY=`)).toBe(true);
  });

  it('in GitHub Actions, writes no mask to a stderr kept in a file, where the runner never reads it', async () => {
    const env = { GITHUB_ACTIONS: 'true', GITHUB_REPOSITORY: 'o/r', GITHUB_RUN_ID: '5', GITHUB_RUN_ATTEMPT: '1' };
    const ran = await run(create('--output', join(scratch, 'kept.env')), { env, stderrIsFile: true });
    expect(ran.code, ran.stderr).toBe(0);
    expect(ran.stderr).not.toContain('::add-mask::');
  });

  it('on a closed stdout, says so in one line, exits 1, and removes the --output file', async () => {
    const path = join(scratch, 'closed.env');
    const closed = Object.assign(new Error('write EPIPE'), { code: 'EPIPE' });
    const ran = await run(create('--format', 'json', '--output', path), { stdout: () => Promise.reject(closed) });
    expect(ran.code).toBe(1);
    expect(ran.stderr.trimEnd().split('\n').at(-1)).toBe('axiom-provision: cannot print the account: standard output is closed (EPIPE).');
    expect(existsSync(path)).toBe(false);
  });
});

describe('revoke --from', () => {
  const made = async (name: string, ...args: string[]): Promise<string> => {
    const file = join(scratch, `revoke-${name}`);
    const ran = await run([...create('--output', file), ...args], { env: { LAR_PASSWORD: 'the-stored-password-1' } });
    expect(ran.code, ran.stderr).toBe(0);
    server.requests.length = 0;
    return file;
  };

  it('with --remove, removes a file of the account alone, and keeps one a person added a line to', async () => {
    const alone = await made('alone.env');
    const kept = await made('kept.env');
    writeFileSync(kept, `${readFileSync(kept, 'utf8')}DATABASE_URL=postgres://localhost/app\n`);
    for (const file of [alone, kept]) expect((await run(['revoke', '--from', file, '--remove'])).code).toBe(0);
    expect(existsSync(alone)).toBe(false);
    expect(readFileSync(kept, 'utf8')).toContain('DATABASE_URL=postgres://localhost/app');
    const plain = await made('plain.env');
    expect((await run(['revoke', '--from', plain])).code).toBe(0);
    expect(existsSync(plain)).toBe(true);
  });

  it('refuses a file of an account this tool did not create, unless --replace-key allows ending its key', async () => {
    server.seedUser('qa@yourco.com', 'the-stored-password-1');
    const file = await made('stored.env', '--mode', 'existing', '--password-env', 'LAR_PASSWORD');
    const refused = await run(['revoke', '--from', file]);
    expectRefused(refused, '--replace-key');
    expect(refused.stderr).toContain('AXIOM_CREATED=false');
    const revoked = await run(['revoke', '--from', file, '--replace-key']);
    expect(revoked.code, revoked.stderr).toBe(0);
    expect(server.requests.map((request) => request.route)).toEqual(['login', 'key/create']);
  });

  it('refuses a file whose password is blank, and sends nothing', async () => {
    const file = await made('blank.env');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/^AXIOM_PASSWORD=.*$/m, "AXIOM_PASSWORD='   '"));
    expectRefused(await run(['revoke', '--from', file]), 'password is blank');
  });

  it('refuses --remove without --from, and sends nothing', async () => {
    expectRefused(await run(['revoke', '--handoff-env', 'A', '--handoff-secret-env', 'B', '--remove']), '--remove takes --from FILE');
  });
});

describe('docs/cli.md', () => {
  const doc = readFileSync(new URL('../../docs/cli.md', import.meta.url), 'utf8');
  /** The body rows of the Markdown table under a `## heading`, as cells without their backticks. */
  const tableUnder = (heading: string): string[][] =>
    (doc.split(/^## /m).find((section) => section.startsWith(`${heading}\n`)) ?? '')
      .split('\n')
      .filter((line) => line.startsWith('| ') && !line.startsWith('| -'))
      .slice(1)
      .map((line) =>
        line
          .slice(1, -1)
          .split(/(?<!\\) \| /)
          .map((cell) => cell.trim().replace(/^`|`$/g, '').replaceAll('\\|', '|')),
      );

  it('lists each form of each command, as usage gives it', () => {
    const documented = tableUnder('Commands')
      .map(([form = '']) => form)
      .filter((form) => !form.startsWith('-'));
    const forms = Object.entries(COMMANDS).flatMap(([name, lines]) => lines.map((line) => `${name} ${line}`));
    expect(documented).toEqual(forms);
  });

  it('describes every flag, with what it takes and the commands that take it, and no other', () => {
    const documented = tableUnder('Options').map(([option = '', commands = '']) => [option, commands]);
    const flags = Object.entries(FLAGS).map(([name, flag]) => [flagForm(name as keyof typeof FLAGS), flag.commands.join(', ')]);
    expect(documented).toEqual(flags);
  });
});
