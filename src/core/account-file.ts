// The account as a dotenv file: what the CLI's --output writes and `revoke --from` reads, and what any other door
// that keeps an account on disk writes the same way. One form, read back alike by Node's --env-file, the dotenv
// package and a POSIX shell (`set -a; . file`); a value none of those forms holds exactly is refused, never escaped.
import { closeSync, constants, fstatSync, lstatSync, openSync, readFileSync, readSync, unlinkSync, writeSync } from 'node:fs';
import { AxiomError } from './errors.ts';
import type { LarAccount } from './flow.ts';

/** The variable of each field, wherever a door hands an account on. */
export const ACCOUNT_VARIABLE = Object.freeze({
  apiKey: 'AXIOM_API_KEY',
  email: 'AXIOM_EMAIL',
  userId: 'AXIOM_USER_ID',
  password: 'AXIOM_PASSWORD',
  baseUrl: 'AXIOM_BASE_URL',
  created: 'AXIOM_CREATED',
} as const satisfies Record<keyof LarAccount, string>);

/** In the order a file of an account holds them. */
export const ACCOUNT_FILE_VARIABLES = Object.freeze(Object.values(ACCOUNT_VARIABLE));

/** What a door hands on to tests through the environment: the key and where it lives, never the password. */
export const TEST_FIELDS = ['apiKey', 'email', 'userId', 'baseUrl'] as const;

export type Variables = Readonly<Record<string, string>>;

/** The name of an environment variable, as a shell and a dotenv file spell one. */
export const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function accountVariables(account: LarAccount, fields = Object.keys(ACCOUNT_VARIABLE) as readonly (keyof LarAccount)[]): Variables {
  return Object.fromEntries(fields.map((field) => [ACCOUNT_VARIABLE[field], String(account[field])]));
}

// Bare, the three readers agree only on these; none of them starts a comment, a quote, an expansion or a tilde.
const BARE = /^[\w@.+:/=,%-]*$/;
// A line break (dotenv's reader also ends a line at U+2028 and U+2029) or anything not printable.
const UNPRINTABLE = /[\p{Cc}\p{Cf}\p{Co}\p{Cn}\p{Cs}\p{Zl}\p{Zp}]/u;
// Inside double quotes a shell expands these, and the env-file readers turn a backslash sequence into a line break.
const SPECIAL_IN_DOUBLE_QUOTES = /[$`\\"]/;

/** A value in the first form that every reader takes back exactly (single quotes expand nothing); else undefined. */
export function dotenvValue(value: string): string | undefined {
  if (UNPRINTABLE.test(value)) return undefined;
  if (BARE.test(value)) return value;
  if (!value.includes("'")) return `'${value}'`;
  if (!SPECIAL_IN_DOUBLE_QUOTES.test(value)) return `"${value}"`;
  return undefined;
}

/** Why the file cannot hold a value exactly, or undefined when it can: for refusing a given value before any request. */
export function dotenvProblem(value: string): string | undefined {
  if (dotenvValue(value) !== undefined) return undefined;
  return UNPRINTABLE.test(value)
    ? 'holds a line break or another character that is not printable'
    : `holds a ' together with one of $ \` \\ ", which no dotenv form keeps exactly for every reader`;
}

/** The KEY=value lines; throws (naming the variable, never quoting the value) when a value cannot be held exactly. */
export function toDotenv(variables: Variables): string {
  return Object.entries(variables)
    .map(([name, value]) => {
      const written = dotenvValue(value);
      if (written === undefined) throw new AxiomError('input', `${name} cannot be written as dotenv: it ${dotenvProblem(value)}.`);
      return `${name}=${written}\n`;
    })
    .join('');
}

/**
 * Reads what toDotenv writes, and what earlier versions wrote: a value in backticks, or in double quotes with \\ and
 * \" escaped (toDotenv never puts a backslash or a " inside double quotes). Lines of another shape are skipped.
 */
export function parseDotenv(text: string): Record<string, string> {
  const variables: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const match = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=(.*?)\s*$/.exec(line);
    if (!match) continue;
    const [, name = '', raw = ''] = match;
    const [, quote, inner = ''] = /^(['"`])(.*)\1$/.exec(raw) ?? [];
    variables[name] = quote === undefined ? raw : quote === '"' ? inner.replace(/\\([\\"])/g, '$1') : inner;
  }
  return variables;
}

/** A file this process created for an account, and only it. Each write closes it. */
export interface AccountFile {
  readonly path: string;
  write(account: LarAccount): void;
  /** Other variables, such as a sealed handoff's. */
  writeVariables(variables: Variables): void;
  /** Closes and removes the file; false, leaving it, when something else is at the path now. */
  abandon(): boolean;
}

/** Creates the file, mode 0600, only where nothing is: never an overwrite, nor through a symlink; else AxiomError('input'). */
export function claimAccountFile(path: string): AccountFile {
  let fd: number | undefined;
  try {
    fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new AxiomError(
      'input',
      code === 'EEXIST'
        ? `${JSON.stringify(path)} already exists, and is never overwritten; remove it or choose another path.`
        : `cannot create ${JSON.stringify(path)} (${code ?? 'error'}).`,
    );
  }
  const created = fstatSync(fd);
  const close = (): void => {
    if (fd !== undefined) closeSync(fd);
    fd = undefined;
  };
  const writeVariables = (variables: Variables): void => {
    if (fd === undefined) throw new Error(`${path} was already written`);
    const text = toDotenv(variables);
    // Checked before the secrets are written too, so that they never go to a file nobody will look at.
    const replacedBefore = !isStill(path, created);
    if (!replacedBefore) writeSync(fd, text);
    close();
    if (replacedBefore || !isStill(path, created)) {
      const lost = replacedBefore ? 'nothing was written' : 'what was written is not there';
      throw new Error(`${JSON.stringify(path)} was replaced while the account was made; ${lost}.`);
    }
  };
  return {
    path,
    write: (account) => writeVariables(accountVariables(account)),
    writeVariables,
    abandon: () => {
      close();
      if (!isStill(path, created)) return false;
      unlinkSync(path);
      return true;
    },
  };
}

/** Whether `path` is still the file `created` describes (by lstat): not removed, replaced or swapped for a link. */
export function isStill(path: string, created: { readonly dev: number; readonly ino: number }): boolean {
  try {
    const now = lstatSync(path);
    return now.dev === created.dev && now.ino === created.ino;
  } catch {
    return false;
  }
}

/** A file of an account is a few hundred bytes; anything far larger is not one. */
const MAX_ACCOUNT_FILE_BYTES = 64 * 1024;

/** Reads an account from a file claimAccountFile wrote. Throws AxiomError('input') saying what is wrong, never quoting the content. */
export function readAccountFile(path: string): LarAccount {
  const shown = JSON.stringify(path);
  let fd: number;
  try {
    // Non-blocking: opening a FIFO would otherwise wait for a writer, and no signal interrupts that.
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    throw new AxiomError('input', `cannot read ${shown} (${(error as NodeJS.ErrnoException).code ?? 'error'}).`);
  }
  let text: string;
  try {
    const file = fstatSync(fd);
    const kind = file.isDirectory() ? 'a directory' : file.isFile() ? undefined : 'not a regular file';
    if (kind !== undefined) throw new AxiomError('input', `${shown} is ${kind}, not an account file.`);
    if (file.size > MAX_ACCOUNT_FILE_BYTES) throw new AxiomError('input', `${shown} is too large to be an account file.`);
    const buffer = Buffer.alloc(file.size);
    const read = readSync(fd, buffer, 0, file.size, 0);
    text = buffer.subarray(0, read).toString('utf8');
  } finally {
    closeSync(fd);
  }
  const v = parseDotenv(text);
  const missing = ACCOUNT_FILE_VARIABLES.filter((name) => (v[name] ?? '') === '');
  if (missing.length > 0) throw new AxiomError('input', `${shown} has no ${missing.join(', ')}, so it is not an account file.`);
  if (v.AXIOM_CREATED !== 'true' && v.AXIOM_CREATED !== 'false')
    throw new AxiomError('input', `${shown} has an AXIOM_CREATED other than true or false, so it is not an account file.`);
  const fields = Object.entries(ACCOUNT_VARIABLE).map(([field, name]) => [field, v[name]]);
  return { ...Object.fromEntries(fields), created: v.AXIOM_CREATED === 'true' } as LarAccount;
}

/**
 * Removes a revoked account's file, only if it is still the one read (`read`) and holds the account alone: a file a
 * person merged other lines into (a project's .env) is theirs, and a carriage return could hide their line inside
 * one of ours. Says what became of the file, naming it `shown`.
 */
export function removeAccountFile(path: string, read: { readonly dev: number; readonly ino: number }, shown: string): string {
  if (!isStill(path, read)) return `${shown} changed meanwhile and was left as it is`;
  const text = readFileSync(path, 'utf8');
  const lines = text.split('\n').filter((line) => line !== '');
  if (text.includes('\r') || !lines.every((line) => ACCOUNT_FILE_VARIABLES.some((name) => line.startsWith(`${name}=`)))) {
    return `left ${shown} in place: it holds more than the account's variables`;
  }
  unlinkSync(path);
  return `removed ${shown}`;
}
