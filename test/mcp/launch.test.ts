// The launch flags, read once into a frozen configuration: every refusal names the flag, quotes no secret, and
// happens before the server starts (so before any request).
import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LaunchError, readLaunch } from '../../mcp/src/launch.ts';
import { workDir } from './harness.ts';

const SECRET = 'hunter2-launch-secret';

describe('the launch configuration', () => {
  it('defaults to LAR, no address, one account and the directory it starts in, and is frozen', async () => {
    const dir = workDir();
    const launch = await readLaunch([], {}, dir);
    expect(launch).toEqual({
      baseUrl: 'https://lar.axiom.ai',
      email: undefined,
      password: undefined,
      replaceKey: false,
      maxAccounts: 1,
      dir,
    });
    expect(Object.isFrozen(launch)).toBe(true);
  });

  it('reads the stored account from the environment, the origin as an origin, and --dir as its real path', async () => {
    const dir = workDir();
    mkdirSync(join(dir, 'real'));
    symlinkSync(join(dir, 'real'), join(dir, 'link'));
    const launch = await readLaunch(
      [
        '--email',
        'qa@yourco.com',
        '--password-env',
        'LAR_PASSWORD',
        '--base-url',
        'http://127.0.0.1:8787/',
        '--replace-key',
        '--max-accounts',
        '0',
        '--dir',
        join(dir, 'link'),
      ],
      { LAR_PASSWORD: SECRET },
      dir,
    );
    expect(launch).toEqual({
      baseUrl: 'http://127.0.0.1:8787',
      email: 'qa@yourco.com',
      password: SECRET,
      replaceKey: true,
      maxAccounts: 0,
      dir: join(dir, 'real'),
    });
  });

  it.for([
    [['--max-accounts', '101'], /--max-accounts takes a whole number from 0 to 100/],
    [['--max-accounts', 'lots'], /--max-accounts takes a whole number from 0 to 100/],
    [['--password-env', 'LAR_PASSWORD'], /--password-env needs --email/],
    [
      ['--email', 'qa@yourco.com', '--password-env', 'Summer2026Secret'],
      /--password-env: the environment variable it names is empty or not set/,
    ],
    [['--email', 'qa@yourco.com', '--password-env', 'BLANK'], /is empty or not set/],
    [['--email', 'qa@yourco.com', '--password-env', 'AWKWARD'], /the password in the variable it names .* no account file could hold it/],
    [['--email', 'qa@yourco.com', '--password-env', 'not a name'], /--password-env takes the name of an environment variable/],
    [['--base-url', 'http://lar.example'], /--base-url .*loopback/],
    [['--base-url', `https://me:${SECRET}@lar.example`], /--base-url must not contain credentials/],
    [['--email', 'not-an-address'], /--email/],
    [['--password', SECRET], /a password is never a flag/],
    [[`--password=${SECRET}`], /a password is never a flag/],
    [['-p', SECRET], /a password is never a flag/],
    [['--handoff-secret', SECRET], /unknown flag/],
    [[SECRET], /unknown flag/],
    [['--email'], /without its value/],
    [['--dir', '/no/such/dir'], /--dir must name a directory that exists/],
  ] as const)('refuses %j in one line that quotes no secret', async ([args, message]) => {
    const env = { LAR_PASSWORD: SECRET, BLANK: '  ', AWKWARD: `it's $HOME` };
    const refusal = await readLaunch(args, env, workDir()).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(LaunchError);
    const text = (refusal as LaunchError).message;
    expect(text).toMatch(message);
    expect(text).not.toContain('\n');
    // A variable's name is not shown either: a person may have put the password where the name goes.
    expect(text).not.toMatch(/hunter2|HOME|Summer2026Secret|AWKWARD/);
  });
});
