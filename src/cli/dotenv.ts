// The account as KEY=value lines: written for `--output`, `--format dotenv|env`, and read back by `revoke --from`.
// Pure: the caller does the file work.

export type Variables = Readonly<Record<string, string>>;

const BARE = /^[\w@.+:/=,%-]*$/;
const QUOTES = ["'", '"', '`'] as const;

/** Whether a value can be printed whole (unescaped, so a CI's mask of it still matches) in the format. */
export function printableWhole(value: string, format: 'env' | 'dotenv'): boolean {
  return format === 'env' ? !value.includes("'") : BARE.test(value) || QUOTES.some((q) => !value.includes(q));
}

/**
 * A value as a dotenv file takes it: bare when it can be, else in the first of ' " ` it does not hold, which dotenv,
 * Node's --env-file and the shells read alike, unescaped. A value holding all three is escaped in double quotes: only
 * `revoke --from` reads that back, and only a file, never the log, gets it.
 */
function dotenvValue(value: string): string {
  if (BARE.test(value)) return value;
  const quote = QUOTES.find((q) => !value.includes(q));
  return quote === undefined ? `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"` : `${quote}${value}${quote}`;
}

export function toDotenv(variables: Variables): string {
  return Object.entries(variables)
    .map(([name, value]) => `${name}=${dotenvValue(value)}\n`)
    .join('');
}

/** For a POSIX shell: single quotes, which a value printed this way never holds (see printableWhole). */
export function toShellExports(variables: Variables): string {
  return Object.entries(variables)
    .map(([name, value]) => `export ${name}='${value}'\n`)
    .join('');
}

/** Reads what toDotenv writes (and the plain KEY=value lines of other tools). Lines it cannot read are skipped. */
export function parseDotenv(text: string): Record<string, string> {
  const variables: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const match = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (!match) continue;
    const [, name = '', raw = ''] = match;
    const quote = raw.charAt(0);
    if (raw.length < 2 || !QUOTES.some((q) => q === quote) || !raw.endsWith(quote)) variables[name] = raw;
    else if (quote === '"' && QUOTES.every((q) => raw.slice(1, -1).includes(q)))
      variables[name] = raw.slice(1, -1).replace(/\\([\\"])/g, '$1');
    else variables[name] = raw.slice(1, -1);
  }
  return variables;
}
