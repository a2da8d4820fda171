// The launch configuration: what the person who starts the server decides, read once from its flags and frozen.
// No tool argument can reach any of it: an agent never chooses the server, the account or how many accounts.
import { realpathSync, statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { AxiomError, dotenvProblem, LAR_ORIGIN, provision, VARIABLE_NAME } from 'axiom-provision';

export interface Launch {
  /** The LAR origin every request goes to, and the only one a revoked file may name. */
  readonly baseUrl: string;
  /** The base mailbox; when set, no tool may name another address. */
  readonly email: string | undefined;
  /** Mode existing: the stored account's password, from the environment variable --password-env names. */
  readonly password: string | undefined;
  /** Mode existing: whether a tool call may replace the stored account's key (which stops it at once). */
  readonly replaceKey: boolean;
  /** How many accounts this server may create in its lifetime. */
  readonly maxAccounts: number;
  /** The working directory (its real path): every file a tool names lies inside it. */
  readonly dir: string;
}

/** A launch flag the person must fix: the server does not start. The message quotes a value whole or not at all. */
export class LaunchError extends Error {}

/** A bound on the bound: more would be a signup flood LAR's page asks to talk about first. */
const MOST_ACCOUNTS = 100;

export const USAGE = `usage: axiom-provision-mcp [--email ADDRESS] [--password-env VAR] [--base-url URL] [--replace-key] [--max-accounts N] [--dir DIR]
  An MCP server over stdio. Every flag is the person's to set; no tool argument can change one.
  --email ADDRESS      the base mailbox (mode create: plus-addressed) or the stored account (mode existing)
  --password-env VAR   mode existing: the stored account's password, read from the environment variable VAR
  --base-url URL       the LAR origin (default ${LAR_ORIGIN})
  --replace-key        mode existing: a call may replace the stored account's key (with replaceKey: true)
  --max-accounts N     how many accounts this server may create in its lifetime (0 to ${MOST_ACCOUNTS}, default 1)
  --dir DIR            where account files go (default: the directory the server starts in)`;

const FLAGS = {
  email: { type: 'string' },
  'password-env': { type: 'string' },
  'base-url': { type: 'string' },
  'max-accounts': { type: 'string' },
  'replace-key': { type: 'boolean' },
  dir: { type: 'string' },
} as const;

/** How the core's input errors name what this server takes as launch flags. */
const FLAG_OF_OPTION: Readonly<Record<string, string>> = { email: '--email', baseUrl: '--base-url', password: '--password-env' };

export async function readLaunch(argv: readonly string[], env: Readonly<Record<string, string | undefined>>, cwd: string): Promise<Launch> {
  if (argv.some((arg) => /^--?p(?:assword)?(?:=|$)/.test(arg))) {
    throw new LaunchError('a password is never a flag, where ps and the client config show it: use --password-env VAR');
  }
  let values: ReturnType<typeof parseArgs<{ options: typeof FLAGS }>>['values'];
  try {
    values = parseArgs({ args: [...argv], options: FLAGS, strict: true, allowPositionals: false }).values;
  } catch {
    // Node's message may quote what was typed, a misplaced secret included: only the flags known are named.
    throw new LaunchError(
      `unknown flag, a flag without its value, or a value without a flag; the flags are --${Object.keys(FLAGS).join(', --')}`,
    );
  }
  const maxText = values['max-accounts'] ?? '1';
  if (!/^\d{1,3}$/.test(maxText) || Number(maxText) > MOST_ACCOUNTS)
    throw new LaunchError(`--max-accounts takes a whole number from 0 to ${MOST_ACCOUNTS}`);
  const password = values['password-env'] === undefined ? undefined : passwordFrom(values['password-env'], env);
  if (password !== undefined && values.email === undefined) {
    throw new LaunchError('--password-env needs --email: mode existing logs in to that address, and to no other');
  }
  const dir = directoryOf(values.dir ?? cwd);
  await checkWithTheCore(values.email, values['base-url'], password);
  return Object.freeze({
    baseUrl: new URL(values['base-url'] ?? LAR_ORIGIN).origin,
    email: values.email,
    password,
    replaceKey: values['replace-key'] === true,
    maxAccounts: Number(maxText),
    dir,
  });
}

function passwordFrom(name: string, env: Readonly<Record<string, string | undefined>>): string {
  if (!VARIABLE_NAME.test(name)) throw new LaunchError('--password-env takes the name of an environment variable');
  const value = env[name];
  if (value === undefined || value.trim() === '')
    throw new LaunchError(
      '--password-env: the environment variable it names is empty or not set (the name is not shown: a password may stand in it)',
    );
  // Found only after the login, it would leave a key minted (and the old one replaced) with nowhere to go.
  const problem = dotenvProblem(value);
  if (problem !== undefined)
    throw new LaunchError(`--password-env: the password in the variable it names ${problem}, so no account file could hold it`);
  return value;
}

function directoryOf(path: string): string {
  try {
    const real = realpathSync(path);
    if (statSync(real).isDirectory()) return real;
  } catch {}
  throw new LaunchError('--dir must name a directory that exists');
}

/**
 * The address and the origin, judged by the core's own rules (one home for them) and with nothing sent: a signal
 * that has already fired stops provisioning after its inputs are read and before its first request.
 */
async function checkWithTheCore(email: string | undefined, baseUrl: string | undefined, password: string | undefined): Promise<void> {
  try {
    await provision({
      email: email ?? 'launch-check@example.com',
      ...(baseUrl !== undefined && { baseUrl }),
      ...(password !== undefined && { password, mode: 'existing' }),
      signal: AbortSignal.abort(),
    });
  } catch (error) {
    if (error instanceof AxiomError && error.code === 'aborted') return;
    const message = error instanceof Error ? error.message : 'an unreadable launch flag';
    const named = message.replace(/'(email|baseUrl|password)'/g, (_, name: string) => FLAG_OF_OPTION[name] ?? name);
    // One line on stderr: the core lists several problems one per line.
    throw new LaunchError(named.replace(/:?\n- /g, ': ').replace(/\n/g, ' '));
  }
  throw new LaunchError('the launch check sent nothing and expected to be stopped; report this');
}
