// The account as KEY=value lines: written for `--output`, `--format dotenv|env`, and read back by `revoke --from`.
// Pure: the caller does the file work.

export type Variables = Readonly<Record<string, string>>;

const BARE = /^[\w@.+:/=,%-]*$/;

/** A value as a dotenv file takes it: bare when it can be, else quoted so the parsers of the field read it back whole. */
function dotenvValue(value: string): string {
  if (BARE.test(value)) return value;
  if (!value.includes("'")) return `'${value}'`;
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/** A value as a POSIX shell reads it: single quotes, each ' closed, escaped and reopened. */
const shellValue = (value: string): string => `'${value.replace(/'/g, `'\\''`)}'`;

export function toDotenv(variables: Variables): string {
  return Object.entries(variables)
    .map(([name, value]) => `${name}=${dotenvValue(value)}\n`)
    .join('');
}

export function toShellExports(variables: Variables): string {
  return Object.entries(variables)
    .map(([name, value]) => `export ${name}=${shellValue(value)}\n`)
    .join('');
}

/** Reads what toDotenv writes (and the plain KEY=value lines of other tools). Lines it cannot read are skipped. */
export function parseDotenv(text: string): Record<string, string> {
  const variables: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const match = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (!match) continue;
    const [, name = '', raw = ''] = match;
    if (raw.length >= 2 && raw.startsWith("'") && raw.endsWith("'")) variables[name] = raw.slice(1, -1);
    else if (raw.length >= 2 && raw.startsWith('"') && raw.endsWith('"')) variables[name] = raw.slice(1, -1).replace(/\\([\\"])/g, '$1');
    else variables[name] = raw;
  }
  return variables;
}
