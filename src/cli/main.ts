// The npm package's door for a shell: `axiom-provision create | open | revoke`. Every secret goes where the user
// asked (a 0600 file that did not exist, or stdout on --format), never to the terminal or a log by default. Lines go
// to stderr; in GitHub Actions each secret is registered with ::add-mask:: there before anything can print it.
// Exit codes: 0 done, 2 bad input (nothing sent), 1 anything else.
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';
import { keyFingerprint } from '../core/account/secrets.ts';
import {
  type AccountFile,
  accountVariables,
  claimAccountFile,
  dotenvProblem,
  dotenvValue,
  readAccountFile,
  toDotenv,
  type Variables,
} from '../core/account-file.ts';
import { AxiomError, errorMessage } from '../core/errors.ts';
import { githubMask } from '../core/github-mask.ts';
import { open as openHandoff, seal } from '../core/handoff/seal.ts';
import { InputError, TIMEOUT_RULE, timeoutMsOf } from '../core/inputs.ts';
import { type LarAccount, provisionAccount, revokeAccount } from '../core/provisioning.ts';
import { runIdentityFrom } from '../core/run.ts';

export interface Io {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** The whole of standard input, for --password-stdin. */
  /** The whole of standard input; rejects when the signal fires first. */
  readonly readStdin: () => Promise<string>;
  readonly signal?: AbortSignal;
}

const USAGE = `usage:
  axiom-provision create --email ADDRESS (--output FILE | --format json|env|dotenv) [options]
  axiom-provision open --handoff-env VAR --handoff-secret-env VAR (--output FILE | --format json|env|dotenv)
  axiom-provision revoke (--from FILE | --handoff-env VAR --handoff-secret-env VAR) [--timeout-seconds N]
  axiom-provision --help | --version

create options (the action's inputs, checked by the same rules):
  --email ADDRESS           the base mailbox (mode create) or the account's address (mode existing)
  --email-tag TAG           the plus tag; empty: one unique to this run is generated
  --password-env VAR        read the password from the environment variable VAR
  --password-stdin          read the password from standard input
                            (never from an argument: ps and shell history show those; empty in mode create:
                            a strong random one is generated)
  --name, --company, --country, --role, --campaign, --language TEXT   profile fields
  --base-url URL            the LAR origin (default https://lar.axiom.ai)
  --mode create|existing    existing logs in to --email exactly as given
  --replace-key             mode existing: may replace a key the account already has
  --timeout-seconds N       the bound on the whole command, retries included (5 to 3600, default 60)
  --handoff-secret-env VAR  seal the account with the secret in VAR: the output then holds AXIOM_HANDOFF, for
                            'open' and 'revoke' in later jobs of the same CI run, and no secret in clear
output:
  --output FILE             write a dotenv file (mode 0600); an existing file is never overwritten
  --format json|env|dotenv  print the account on stdout

Exit codes: 0 done, 2 bad input (nothing was sent), 1 anything else.`;

const PROFILE = ['name', 'company', 'country', 'role', 'campaign', 'language'] as const;
const OUTPUT_OPTIONS = { output: { type: 'string' }, format: { type: 'string' } } as const;
const HANDOFF_OPTIONS = { 'handoff-env': { type: 'string' }, 'handoff-secret-env': { type: 'string' } } as const;
const COMMANDS = {
  create: {
    email: { type: 'string' },
    'email-tag': { type: 'string' },
    'password-env': { type: 'string' },
    'password-stdin': { type: 'boolean' },
    ...Object.fromEntries(PROFILE.map((name) => [name, { type: 'string' }])),
    'base-url': { type: 'string' },
    mode: { type: 'string' },
    'replace-key': { type: 'boolean' },
    'timeout-seconds': { type: 'string' },
    'handoff-secret-env': { type: 'string' },
    ...OUTPUT_OPTIONS,
  },
  open: { ...HANDOFF_OPTIONS, ...OUTPUT_OPTIONS },
  revoke: { from: { type: 'string' }, ...HANDOFF_OPTIONS, 'timeout-seconds': { type: 'string' } },
} as const;
type Command = keyof typeof COMMANDS;
type Values = Record<string, string | boolean | undefined>;

/** A mistake in the command line: exit 2, nothing sent. The message never quotes a value. */
class UsageError extends Error {}

export async function main(argv: readonly string[], io: Io): Promise<number> {
  const mask = githubMask(io.env, io.stderr);
  const log = (line: string): void => io.stderr(`${line}\n`);
  try {
    const [command, ...rest] = argv;
    if (command === undefined || command === '--help' || command === '-h' || rest.includes('--help')) {
      io.stdout(`${USAGE}\n`);
      return command === undefined ? 2 : 0;
    }
    if (command === '--version') {
      io.stdout(`${version()}\n`);
      return 0;
    }
    if (!(command in COMMANDS)) throw new UsageError(`unknown command (expected create, open or revoke)`);
    const values = parseFlags(command as Command, rest);
    switch (command as Command) {
      case 'create':
        return await create(values, io, { mask, log });
      case 'open':
        return openCommand(values, io, mask);
      case 'revoke':
        return await revokeCommand(values, io, { mask, log });
    }
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`axiom-provision: ${error.message}\nRun axiom-provision --help for the options.\n`);
      return 2;
    }
    io.stderr(`axiom-provision: ${errorMessage(error)}\n`);
    return error instanceof AxiomError && error.code === 'input' ? 2 : 1;
  }
}

function parseFlags(command: Command, args: readonly string[]): Values {
  for (const arg of args) {
    const name = arg.split('=')[0] ?? '';
    if (name === '--password' || name === '-p') {
      throw new UsageError(
        'a password is never taken from the command line, where ps and shell history show it: use --password-env VAR or --password-stdin',
      );
    }
  }
  try {
    return parseArgs({ args: [...args], options: COMMANDS[command], strict: true, allowPositionals: false }).values as Values;
  } catch (error) {
    // Node's message may quote what was typed, a misplaced secret included: only a flag's name is shown.
    const code = (error as { code?: string }).code;
    const flag = args.find((arg) => arg.startsWith('-') && !((arg.split('=')[0] ?? '').replace(/^-+/, '') in COMMANDS[command]));
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && flag !== undefined)
      throw new UsageError(`${command} takes no option ${JSON.stringify(flag.split('=')[0])}`);
    if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') throw new UsageError(`${command} takes no value without a flag (not shown)`);
    throw new UsageError(`${command}: an option is missing its value, or a flag was given a value (the values are not shown)`);
  }
}

interface Sinks {
  readonly mask: (secret: string) => void;
  readonly log: (line: string) => void;
}

async function create(values: Values, io: Io, { mask, log }: Sinks): Promise<number> {
  const output = outputOf(values);
  const password = await passwordOf(values, io);
  if (password !== undefined && output.format === 'env' && password.includes("'")) {
    throw new UsageError(`--format env cannot print a password that holds a ': use --format json or --output`);
  }
  const dotenvIssue = password === undefined ? undefined : dotenvProblem(password);
  if (dotenvIssue !== undefined && (output.format === 'dotenv' || output.file !== undefined)) {
    throw new UsageError(`the password ${dotenvIssue}: use --format json`);
  }
  const handoffSecret = values['handoff-secret-env'] === undefined ? undefined : secretFrom(values, 'handoff-secret-env', io);
  if (handoffSecret !== undefined) mask(handoffSecret);
  const run = runIdentityFrom(io.env);
  // Claimed before the first request: an account whose key has nowhere to go would be made for nothing.
  const file = output.file === undefined ? undefined : claimFile(output.file);
  let delivered = false;
  try {
    const account = await provisionAccount(
      {
        // The input rules judge the handoff secret, and the run it binds to, before any request.
        get: (name) => inputFrom(values, name, { password, handoffSecret }),
        nameOf: (name) => FLAG_OF_INPUT[name] ?? `--${name}`,
      },
      { env: io.env, log, mask, signal: io.signal },
    );
    log(
      `Provisioned ${account.email} (user ${account.userId}) with the API key ${keyFingerprint(account.apiKey)} (a fingerprint, not part of the key)`,
    );
    const variables =
      handoffSecret === undefined
        ? accountVariables(account)
        : {
            AXIOM_HANDOFF: await seal(account, handoffSecret, run),
            AXIOM_EMAIL: account.email,
            AXIOM_USER_ID: account.userId,
          };
    deliver(variables, output.format, file, io);
    delivered = true;
    return 0;
  } finally {
    if (!delivered) file?.abandon();
  }
}

function openCommand(values: Values, io: Io, mask: (secret: string) => void): number {
  const output = outputOf(values);
  const account = openFromHandoff(values, io, mask);
  const file = output.file === undefined ? undefined : claimFile(output.file);
  try {
    deliver(accountVariables(account), output.format, file, io);
  } catch (error) {
    file?.abandon();
    throw error;
  }
  return 0;
}

async function revokeCommand(values: Values, io: Io, { mask, log }: Sinks): Promise<number> {
  const fromFile = values.from !== undefined;
  if (fromFile === (values['handoff-env'] !== undefined))
    throw new UsageError('revoke takes --from FILE, or --handoff-env with --handoff-secret-env');
  const account = fromFile
    ? accountFromFile(stringOf(values.from), mask)
    : openFromHandoff(values, io, mask, { acceptEarlierAttempts: true });
  const timeoutMs = timeoutMsOf(stringOf(values['timeout-seconds']) || '60');
  if (timeoutMs === undefined) throw new InputError([`--timeout-seconds ${TIMEOUT_RULE}`]);
  await revokeAccount(account, timeoutMs, { env: io.env, log, mask, signal: io.signal });
  return 0;
}

function openFromHandoff(values: Values, io: Io, mask: (secret: string) => void, options = {}): LarAccount {
  const handoff = secretFrom(values, 'handoff-env', io);
  const secret = secretFrom(values, 'handoff-secret-env', io);
  mask(secret);
  const run = runIdentityFrom(io.env);
  try {
    const sealed = openHandoff(handoff, secret, run, options);
    mask(sealed.apiKey);
    mask(sealed.password);
    return sealed;
  } catch (error) {
    throw new AxiomError('handoff', `the handoff ${errorMessage(error)}`);
  }
}

function accountFromFile(path: string, mask: (secret: string) => void): LarAccount {
  let account: LarAccount;
  try {
    account = readAccountFile(path);
  } catch (error) {
    throw new AxiomError('input', `--from: ${errorMessage(error)} No request was sent.`);
  }
  mask(account.apiKey);
  mask(account.password);
  return account;
}

function outputOf(values: Values): { file?: string; format?: 'json' | 'env' | 'dotenv' } {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: a line break in a path printed to the log could forge a workflow command
  if (/[\u0000-\u001f\u007f]/.test(stringOf(values.output))) throw new UsageError('--output takes a path without control characters');
  const format = values.format;
  if (format !== undefined && format !== 'json' && format !== 'env' && format !== 'dotenv') {
    throw new UsageError('--format takes json, env or dotenv');
  }
  if (values.output === undefined && format === undefined) {
    throw new UsageError('say where the account goes: --output FILE (a dotenv file, mode 0600) or --format json|env|dotenv (stdout)');
  }
  return { ...(values.output !== undefined && { file: stringOf(values.output) }), ...(format !== undefined && { format }) };
}

function deliver(variables: Variables, format: 'json' | 'env' | 'dotenv' | undefined, file: AccountFile | undefined, io: Io): void {
  // Every text is made before anything is written: a value one format cannot hold stops the command with nothing out.
  const printed =
    format === 'json'
      ? `${JSON.stringify(variables, null, 2)}\n`
      : format === 'env'
        ? toShellExports(variables)
        : format === 'dotenv'
          ? toDotenv(variables)
          : '';
  if (file !== undefined) {
    file.writeVariables(variables);
    io.stderr(`Wrote ${Object.keys(variables).join(', ')} to ${file.path} (mode 0600).\n`);
  }
  if (printed !== '') io.stdout(printed);
}

/** For a POSIX shell: single quotes, which hold any value but a ' or a line break exactly. */
function toShellExports(variables: Variables): string {
  return Object.entries(variables)
    .map(([name, value]) => {
      if (value.includes("'") || dotenvValue(value) === undefined) throw new AxiomError('input', `${name} cannot be printed as env.`);
      return `export ${name}='${value}'\n`;
    })
    .join('');
}

function claimFile(path: string): AccountFile {
  try {
    return claimAccountFile(path);
  } catch (error) {
    throw new AxiomError('input', `--output: ${errorMessage(error)} No request was sent.`);
  }
}

async function passwordOf(values: Values, io: Io): Promise<string | undefined> {
  if (values['password-env'] !== undefined && values['password-stdin'] === true) {
    throw new UsageError('give the password one way: --password-env VAR or --password-stdin');
  }
  if (values['password-env'] !== undefined) return secretFrom(values, 'password-env', io);
  if (values['password-stdin'] === true) return (await io.readStdin()).replace(/\r?\n$/, '');
  return undefined;
}

/** The value of the environment variable a flag names; the value itself is never shown. */
function secretFrom(values: Values, flag: string, io: Io): string {
  const name = stringOf(values[flag]);
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new UsageError(`--${flag} takes the name of an environment variable`);
  const value = io.env[name];
  if (value === undefined || value.trim() === '') {
    throw new AxiomError('input', `--${flag}: the environment variable ${name} is empty or not set. No request was sent.`);
  }
  return value;
}

/** The inputs the command line takes by another flag: never a password or a secret as an argument. */
const FLAG_OF_INPUT: Readonly<Record<string, string>> = {
  password: '--password-env (or --password-stdin)',
  'handoff-secret': '--handoff-secret-env',
};

/** An action input, as the command line gives it: the CLI revokes only when told to, with its own command. */
function inputFrom(values: Values, name: string, secrets: { password?: string | undefined; handoffSecret?: string | undefined }): string {
  if (name === 'password') return secrets.password ?? '';
  if (name === 'handoff-secret') return secrets.handoffSecret ?? '';
  if (name === 'replace-key') return String(values[name] === true);
  if (name === 'revoke-on-exit') return 'false';
  if (name === 'export-env') return '';
  return stringOf(values[name]);
}

const stringOf = (value: string | boolean | undefined): string => (typeof value === 'string' ? value : '');

function version(): string {
  return (createRequire(import.meta.url)('../../package.json') as { version: string }).version;
}
