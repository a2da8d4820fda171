// The shell's door. A secret goes only where the user asked (a new 0600 file, or stdout with --format), never to the
// terminal or a log by default; lines go to stderr. Exit codes: 0 done, 2 bad input (nothing sent), 1 anything else.
import { lstatSync } from 'node:fs';
import { createRequire } from 'node:module';
import { keyByFingerprint } from '../core/account/secrets.ts';
import {
  type AccountFile,
  accountVariables,
  claimAccountFile,
  dotenvProblem,
  dotenvValue,
  readAccountFile,
  removeAccountFile,
  toDotenv,
  VARIABLE_NAME,
  type Variables,
} from '../core/account-file.ts';
import { provisionAccount, revokeAccount, type Surroundings } from '../core/entry-points.ts';
import { AxiomError, errorMessage } from '../core/errors.ts';
import type { LarAccount } from '../core/flow.ts';
import { addMaskLine } from '../core/github-mask.ts';
import { HandoffError, open, seal } from '../core/handoff/seal.ts';
import { revokeTimeoutMs } from '../core/inputs.ts';
import { runIdentityFrom } from '../core/run.ts';

export interface Io {
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Rejects when the text cannot be written (a closed pipe). */
  readonly stdout: (text: string) => void | Promise<void>;
  readonly stderr: (text: string) => void;
  /** Rejects when the signal fires first. */
  readonly readStdin: () => Promise<string>;
  readonly signal?: AbortSignal;
  readonly stderrIsFile?: boolean;
}

type CommandName = 'create' | 'open' | 'revoke';

const C = ['create'] as const;
const PROFILE = (help = 'profile field') => ({ commands: C, value: 'TEXT', help });

/** Every flag, once: parsing, --help and the check of docs/cli.md all read this table. */
export const FLAGS = {
  email: { commands: C, value: 'ADDRESS', help: 'the base mailbox (mode create) or the account’s address (mode existing)' },
  'email-tag': { commands: C, value: 'TAG', help: 'the plus tag; empty: one unique to this run is generated' },
  'password-env': { commands: C, value: 'VAR', help: 'the password, from the environment variable VAR (never from an argument)' },
  'password-stdin': { commands: C, help: 'the password, from standard input; absent in mode create: a strong one is generated' },
  name: PROFILE(),
  company: PROFILE(),
  country: PROFILE(),
  role: PROFILE(),
  campaign: PROFILE(),
  language: { ...PROFILE('profile field: a BCP 47 tag such as en-GB'), value: 'TAG' },
  'base-url': { commands: C, value: 'URL', help: 'the LAR origin (default https://lar.axiom.ai)' },
  mode: { commands: C, value: 'create|existing', help: 'existing logs in to --email exactly as given' },
  'replace-key': {
    commands: ['create', 'revoke'],
    help: 'mode existing: may replace a key the account already has; revoke --from: may end the key of an account this tool did not create',
  },
  'timeout-seconds': {
    commands: ['create', 'revoke'],
    value: 'N',
    help: 'the bound on the whole command, retries included (5 to 3600, default 60)',
  },
  'handoff-secret-env': {
    commands: ['create', 'open', 'revoke'],
    value: 'VAR',
    help: 'the handoff’s secret, from the environment variable VAR',
  },
  'handoff-env': { commands: ['open', 'revoke'], value: 'VAR', help: 'the handoff, from the environment variable VAR' },
  from: { commands: ['revoke'], value: 'FILE', help: 'the account file create --output wrote' },
  remove: { commands: ['revoke'], help: 'then remove FILE, if it still holds nothing but the account' },
  output: { commands: ['create', 'open'], value: 'FILE', help: 'write a dotenv file (mode 0600); an existing file is never overwritten' },
  format: { commands: ['create', 'open'], value: 'json|env|dotenv', help: 'print the account on stdout' },
} as const satisfies Record<string, { commands: readonly CommandName[]; value?: string; help: string }>;
type FlagName = keyof typeof FLAGS;

/** Each form of each command's line, after its name. */
export const COMMANDS: Readonly<Record<CommandName, readonly string[]>> = {
  create: ['--email ADDRESS (--output FILE | --format json|env|dotenv) [options]'],
  open: ['--handoff-env VAR --handoff-secret-env VAR (--output FILE | --format json|env|dotenv)'],
  revoke: [
    '--from FILE [--remove] [--replace-key] [--timeout-seconds N]',
    '--handoff-env VAR --handoff-secret-env VAR [--timeout-seconds N]',
  ],
};

const flagsOf = (command: CommandName): FlagName[] =>
  (Object.keys(FLAGS) as FlagName[]).filter((flag) => (FLAGS[flag].commands as readonly string[]).includes(command));

/** A flag as usage and docs/cli.md show it: `--email ADDRESS`. */
export const flagForm = (flag: FlagName): string => `--${flag}${'value' in FLAGS[flag] ? ` ${FLAGS[flag].value}` : ''}`;

export function usage(): string {
  const commands = Object.entries(COMMANDS) as [CommandName, readonly string[]][];
  const forms = commands.flatMap(([name, lines]) => lines.map((line) => `  axiom-provision ${name} ${line}`));
  const sections = commands.map(([name]) => {
    const rows = flagsOf(name).map((flag) => [flagForm(flag), FLAGS[flag].help] as const);
    const width = Math.max(...rows.map(([form]) => form.length));
    return `${name} options:\n${rows.map(([form, help]) => `  ${form.padEnd(width)}  ${help}`).join('\n')}`;
  });
  return [
    `usage:\n${forms.join('\n')}\n  axiom-provision --help | --version`,
    ...sections,
    'Exit codes: 0 done, 2 bad input (nothing was sent), 1 anything else.',
  ].join('\n\n');
}

/** A mistake in the command line: exit 2, nothing sent. The message never quotes a value. */
class UsageError extends Error {}

type Values = ReadonlyMap<FlagName, string | true>;

export async function main(argv: readonly string[], io: Io): Promise<number> {
  // Only what the command hands out (the key and the password) is masked: a mask line holds its secret whole, so one
  // for a token nothing prints, or on a stderr kept in a file the runner never reads, would only expose it.
  const masks: string[] = [];
  const handOut = (account: LarAccount): void => {
    if (io.env.GITHUB_ACTIONS !== 'true') return;
    for (const secret of [account.apiKey, account.password]) {
      masks.push(secret);
      if (io.stderrIsFile !== true) io.stderr(addMaskLine(secret));
    }
  };
  const around = { env: io.env, log: (line: string) => io.stderr(`${line}\n`), mask: () => undefined, signal: io.signal, handOut, masks };
  try {
    if (argv.includes('--help') || argv.includes('-h')) {
      await io.stdout(`${usage()}\n`);
      return 0;
    }
    const [command, ...rest] = argv;
    if (command === undefined) {
      io.stderr(`${usage()}\n`);
      return 2;
    }
    if (command === '--version' && rest.length === 0) {
      await io.stdout(`${(createRequire(import.meta.url)('../../package.json') as { version: string }).version}\n`);
      return 0;
    }
    if (!Object.hasOwn(COMMANDS, command)) throw new UsageError('unknown command (expected create, open or revoke; not shown)');
    const run = { create, open: openCommand, revoke: revokeCommand }[command as CommandName];
    return await run(parseFlags(command as CommandName, rest), io, around);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`axiom-provision: ${error.message}\nRun axiom-provision --help for the options.\n`);
      return 2;
    }
    io.stderr(`axiom-provision: ${errorMessage(error)}\n`);
    // A handoff that does not open is a bad value too: nothing was sent.
    return error instanceof AxiomError && (error.code === 'input' || error.code === 'handoff') ? 2 : 1;
  }
}

/**
 * The command's flags, each at most once. An unknown flag is named only when it has a flag's shape, and never with
 * what follows it: a mistyped password flag (-pSECRET, --password:SECRET) holds the password.
 */
function parseFlags(command: CommandName, args: readonly string[]): Values {
  const values = new Map<FlagName, string | true>();
  const allowed: readonly string[] = flagsOf(command);
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (!arg.startsWith('-')) throw new UsageError(`${command} takes no value without a flag (not shown)`);
    const [, name = '', inline] = /^--([^=]*)(?:=(.*))?$/s.exec(arg) ?? [];
    if (!allowed.includes(name)) {
      if (/^-p|^--password/.test(arg))
        throw new UsageError(
          'a password is never taken from the command line, where ps and shell history show it: use --password-env VAR or --password-stdin',
        );
      throw new UsageError(
        /^[a-z][a-z0-9-]*$/.test(name) ? `${command} takes no option --${name}` : `${command} takes no such option (not shown)`,
      );
    }
    const flag = name as FlagName;
    if (values.has(flag)) throw new UsageError(`--${flag} is given more than once`);
    if (!('value' in FLAGS[flag])) {
      if (inline !== undefined) throw new UsageError(`--${flag} takes no value`);
      values.set(flag, true);
      continue;
    }
    // A value that starts with - may be a flag whose value is missing: --flag=-value says it is a value.
    const value = inline ?? args[i + 1];
    if (value === undefined || (inline === undefined && value.startsWith('-'))) throw new UsageError(`--${flag} is missing its value`);
    if (inline === undefined) i++;
    values.set(flag, value);
  }
  return values;
}

const FORMATS = {
  json: (variables: Variables) => `${JSON.stringify(variables, null, 2)}\n`,
  env: toShellScript,
  dotenv: toDotenv,
};
type Format = keyof typeof FORMATS;
type Around = Surroundings & { readonly handOut: (account: LarAccount) => void; readonly masks: readonly string[] };

async function create(values: Values, io: Io, around: Around): Promise<number> {
  const handoffSecret = values.has('handoff-secret-env') ? secretFrom(values, 'handoff-secret-env', io) : undefined;
  // A sealed handoff is the only secret the output then holds, and it must cross jobs unmasked.
  const output = outputOf(values, io, { printsSecrets: handoffSecret === undefined });
  const password = await passwordOf(values, io);
  // Known before any request, so refused before any: a value the chosen output cannot hold exactly.
  for (const [input, value] of [
    ['email', textOf(values, 'email')],
    ['password', password],
  ] as const) {
    const problem = value === undefined ? undefined : unwritable(value, output);
    if (problem !== undefined) throw new UsageError(`${flagOf(input)}: the value ${problem}: use --format json`);
  }
  // Claimed before the first request: an account whose key has nowhere to go would be made for nothing.
  return intoFile(output, around, async (file) => {
    const account = await provisionAccount(
      {
        // The input rules judge the handoff secret, and the run it binds to, before any request.
        get: (name) => (name === 'password' ? password : name === 'handoff-secret' ? handoffSecret : textOf(values, name)) ?? '',
        nameOf: flagOf,
        // The CLI revokes only when told to, with its own command.
        traits: { name: 'axiom-provision create', revokesAtEnd: false },
      },
      around,
    );
    if (handoffSecret === undefined) around.handOut(account);
    around.log(`Provisioned ${account.email} (user ${account.userId}) with ${keyByFingerprint(account.apiKey)}`);
    const variables =
      handoffSecret === undefined
        ? accountVariables(account)
        : { AXIOM_HANDOFF: await seal(account, handoffSecret, runIdentityFrom(io.env)), ...accountVariables(account, ['email', 'userId']) };
    try {
      await deliver(variables, output.format, file, around.masks, io);
    } catch (error) {
      // Requests were sent: whatever stops the output now is not a bad input.
      throw error instanceof AxiomError && error.code === 'input' ? new Error(error.message) : error;
    }
  });
}

async function openCommand(values: Values, io: Io, around: Around): Promise<number> {
  const output = outputOf(values, io, { printsSecrets: true });
  const account = openFromHandoff(values, io);
  around.handOut(account);
  return intoFile(output, around, (file) => deliver(accountVariables(account), output.format, file, around.masks, io));
}

async function revokeCommand(values: Values, io: Io, around: Surroundings): Promise<number> {
  const fromFile = values.has('from');
  if (fromFile === values.has('handoff-env')) throw new UsageError('revoke takes --from FILE, or --handoff-env with --handoff-secret-env');
  if (values.has('remove') && !fromFile) throw new UsageError('--remove takes --from FILE');
  const timeoutMs = revokeTimeoutMs(textOf(values, 'timeout-seconds'), '--timeout-seconds');
  if (!fromFile) {
    await revokeAccount(openFromHandoff(values, io, { acceptEarlierAttempts: true }), timeoutMs, around);
    return 0;
  }
  const path = textOf(values, 'from');
  const read = lstatSync(path, { throwIfNoEntry: false });
  const account = asInputOf('--from', () => readAccountFile(path));
  // Mode existing's rule: ending the key of an account someone else keeps replaces the key they use.
  if (!account.created && !values.has('replace-key')) {
    throw new AxiomError(
      'input',
      `--from: the file holds ${account.email}, an account this tool did not create (AXIOM_CREATED=false): ending its key replaces the key its owner uses. ` +
        'If that key is yours to replace, add --replace-key. No request was sent.',
    );
  }
  await revokeAccount(account, timeoutMs, around);
  if (values.has('remove') && read !== undefined) around.log(`Then ${removeAccountFile(path, read, JSON.stringify(path))}.`);
  return 0;
}

function openFromHandoff(values: Values, io: Io, options = {}): LarAccount {
  const handoff = secretFrom(values, 'handoff-env', io);
  const secret = secretFrom(values, 'handoff-secret-env', io);
  try {
    return open(handoff, secret, runIdentityFrom(io.env), options);
  } catch (error) {
    if (!(error instanceof HandoffError)) throw error;
    // The seal's messages start with what they are about: the handoff, or (by that name) its secret.
    const secretProblem = /^handoff-secret (.*)$/s.exec(error.message)?.[1];
    throw new AxiomError(
      'handoff',
      secretProblem === undefined
        ? `--handoff-env: the handoff ${error.message}. No request was sent.`
        : `--handoff-secret-env: the secret ${secretProblem}. No request was sent.`,
    );
  }
}

interface Output {
  readonly file?: string;
  readonly format?: Format;
}

function outputOf(values: Values, io: Io, { printsSecrets }: { printsSecrets: boolean }): Output {
  const file = values.get('output');
  const format = values.get('format');
  // biome-ignore lint/suspicious/noControlCharactersInRegex: a line break in a path printed to the log could forge a workflow command
  if (/[\u0000-\u001f\u007f]/.test(textOf(values, 'output'))) throw new UsageError('--output takes a path without control characters');
  if (format !== undefined && (format === true || !Object.hasOwn(FORMATS, format)))
    throw new UsageError('--format takes json, env or dotenv');
  if (file === undefined && format === undefined) {
    throw new UsageError('say where the account goes: --output FILE (a dotenv file, mode 0600) or --format json|env|dotenv (stdout)');
  }
  // The runner reads stdout and stderr apart, so only a mask on stdout surely comes before a secret printed there,
  // and only env's shell script has a place for one that its reader skips (see docs/cli.md).
  if (io.env.GITHUB_ACTIONS === 'true' && printsSecrets && (format === 'json' || format === 'dotenv')) {
    throw new UsageError(
      `in GitHub Actions, --format ${format} has no place for the masks that must come before the secrets: use --format env or --output FILE`,
    );
  }
  return { ...(typeof file === 'string' && { file }), ...(format !== undefined && { format: format as Format }) };
}

/** Why the output cannot hold a value exactly; undefined when it can. */
function unwritable(value: string, { file, format }: Output): string | undefined {
  if (format === 'env' && (value.includes("'") || dotenvValue(value) === undefined))
    return "holds a ' or a character that is not printable, which --format env cannot print";
  return file !== undefined || format === 'dotenv' ? dotenvProblem(value) : undefined;
}

/** Every text is made before anything is written: a value the format cannot hold stops the command with nothing out. */
async function deliver(variables: Variables, format: Format | undefined, file: AccountFile | undefined, masks: readonly string[], io: Io) {
  const printed = format === undefined ? '' : FORMATS[format](variables, masks);
  if (file !== undefined) {
    file.writeVariables(variables);
    io.stderr(`Wrote ${Object.keys(variables).join(', ')} to ${file.path} (mode 0600).\n`);
  }
  if (printed === '') return;
  try {
    await io.stdout(printed);
  } catch (error) {
    throw new Error(`cannot print the account: standard output is closed (${(error as NodeJS.ErrnoException).code ?? 'error'}).`);
  }
}

/**
 * `export NAME='value'` lines for a POSIX shell's eval. In GitHub Actions they follow the masks, as lines a `cat`
 * heredoc holds: printed as they are, the runner reads each mask before the secrets; eval'd, cat prints them.
 */
function toShellScript(variables: Variables, masks: readonly string[]): string {
  const exports = Object.entries(variables).map(([name, value]) => {
    if (unwritable(value, { format: 'env' }) !== undefined)
      throw new AxiomError('input', `${name} cannot be printed as env: it holds a ' or a character that is not printable.`);
    return `export ${name}='${value}'\n`;
  });
  // Only the masks of what is printed here: stdout may be kept in a file, and must hold no other secret.
  const printed = masks.filter((secret) => Object.values(variables).includes(secret));
  const header = printed.length === 0 ? '' : `cat <<'AXIOM_MASKS'\n${printed.map(addMaskLine).join('')}AXIOM_MASKS\n`;
  return header + exports.join('');
}

/** Claims --output's file, if one is given, for `write`, and removes it again when the command fails. */
async function intoFile({ file: path }: Output, { log }: Surroundings, write: (file?: AccountFile) => Promise<void>): Promise<number> {
  const file = path === undefined ? undefined : asInputOf('--output', () => claimAccountFile(path));
  try {
    await write(file);
    return 0;
  } catch (error) {
    if (file !== undefined && !file.abandon())
      log(`Left ${JSON.stringify(file.path)} in place: it is no longer the file this command created.`);
    throw error;
  }
}

/** A file the flag names that cannot be read or made is a bad value of that flag. */
function asInputOf<T>(flag: string, act: () => T): T {
  try {
    return act();
  } catch (error) {
    throw new AxiomError('input', `${flag}: ${errorMessage(error)} No request was sent.`);
  }
}

async function passwordOf(values: Values, io: Io): Promise<string | undefined> {
  if (values.has('password-env') && values.has('password-stdin'))
    throw new UsageError('give the password one way: --password-env VAR or --password-stdin');
  if (values.has('password-env')) return secretFrom(values, 'password-env', io);
  if (values.has('password-stdin')) return given('password-stdin', (await io.readStdin()).replace(/\r?\n$/, ''), 'standard input is empty');
  return undefined;
}

/** The value of the environment variable a flag names. Neither the value nor the name is shown: a secret may be in either. */
function secretFrom(values: Values, flag: 'password-env' | 'handoff-env' | 'handoff-secret-env', io: Io): string {
  const name = textOf(values, flag);
  if (!VARIABLE_NAME.test(name)) throw new UsageError(`--${flag} takes the name of an environment variable`);
  return given(flag, io.env[name], 'the environment variable it names is empty or not set');
}

/** A secret as given: empty or blank is refused, the same way wherever it came from. */
function given(flag: string, value: string | undefined, empty: string): string {
  if (value === undefined || value.trim() === '') throw new AxiomError('input', `--${flag}: ${empty}. No request was sent.`);
  return value;
}

/** An input as the command line names it: never a password or a secret as an argument, so those by another flag. */
function flagOf(input: string): string {
  return input === 'password' ? '--password-env (or --password-stdin)' : input === 'handoff-secret' ? '--handoff-secret-env' : `--${input}`;
}

/** A flag's value as an action input takes it: '' when absent, 'true' for a flag that takes no value. */
function textOf(values: Values, name: string): string {
  const value = Object.hasOwn(FLAGS, name) ? values.get(name as FlagName) : undefined;
  return value === true ? 'true' : (value ?? '');
}
