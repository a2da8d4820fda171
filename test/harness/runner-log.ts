// The runner's side of a step's output, emulated from actions/runner's source, so tests see what the workflow log
// really shows:
// - Output is read line by line (ReadLine), so \r, \n and \r\n all end a line.
// - A workflow command is a line that starts, after blanks, with `::name props::data`, for a name the runner knows
//   (any case). Its data is unescaped %0D, %0A, then %25; property values also %3A and %2C (ActionCommand.cs).
// - `::stop-commands::TOKEN` turns commands off until a `::TOKEN::` line: lines in between print as they are, so an
//   `::add-mask::` among them registers nothing.
// - `::add-mask::` warns and registers nothing for a blank value. Otherwise it registers the value as given and each
//   of its lines, trimmed (ActionCommandManager.cs; actions/runner#1521), each with the encoded forms HostContext
//   registers (ValueEncoders.cs). Registered values stay for the rest of the job.
// - The masker replaces every occurrence of every registered value with ***, merging overlaps (SecretMasker.cs).
// Not emulated: the legacy `##[name]data` command form, which @actions/core never writes.
import type { StepRun } from './run-action.ts';

export interface WorkflowCommand {
  /** Lower case: the runner matches names in any case. */
  readonly name: string;
  readonly properties: Readonly<Record<string, string>>;
  readonly data: string;
}

/** A line as the log prints it, before masking: the command's data, or the line itself. */
export interface PrintedLine {
  readonly text: string;
  readonly command?: WorkflowCommand;
}

const KNOWN_COMMANDS: ReadonlySet<string> = new Set([
  'add-mask',
  'add-matcher',
  'add-path',
  'debug',
  'echo',
  'endgroup',
  'error',
  'group',
  'notice',
  'remove-matcher',
  'save-state',
  'set-env',
  'set-output',
  'stop-commands',
  'warning',
]);
// In the runner's order: %25 last, so an escaped "%0A" (written %250A) comes back as the text "%0A".
const DATA_ESCAPES = [
  ['%0D', '\r'],
  ['%0A', '\n'],
  ['%25', '%'],
] as const;
const PROPERTY_ESCAPES = [
  ['%0D', '\r'],
  ['%0A', '\n'],
  ['%3A', ':'],
  ['%2C', ','],
  ['%25', '%'],
] as const;

export const splitLines = (text: string): string[] => text.split(/\r\n|\r|\n/);

export function parseCommand(line: string, known: ReadonlySet<string> = KNOWN_COMMANDS): WorkflowCommand | undefined {
  const text = line.trimStart();
  const end = text.startsWith('::') ? text.indexOf('::', 2) : -1;
  if (end < 0) return undefined;
  const info = text.slice(2, end);
  const space = info.indexOf(' ');
  const name = (space < 0 ? info : info.slice(0, space)).toLowerCase();
  if (!known.has(name)) return undefined;
  const properties: Record<string, string> = {};
  for (const pair of space < 0
    ? []
    : info
        .slice(space + 1)
        .trim()
        .split(',')) {
    const equals = pair.indexOf('=');
    if (equals > 0 && equals < pair.length - 1) properties[pair.slice(0, equals)] = undoEscapes(pair.slice(equals + 1), PROPERTY_ESCAPES);
  }
  return { name, properties, data: undoEscapes(text.slice(end + 2), DATA_ESCAPES) };
}

/** A job's log: what ::add-mask:: registered and whether commands are stopped carry over from step to step. */
export class JobLog {
  readonly masker = new SecretMasker();
  #stopToken: string | undefined;

  /** One stdout line, handled as the runner does. Undefined for a line the log does not show (::add-mask::). */
  read(line: string): PrintedLine | undefined {
    if (this.#stopToken !== undefined) {
      // An empty token can never be matched: the runner then stays stopped for the rest of the job.
      if (this.#stopToken !== '' && parseCommand(line, new Set([this.#stopToken])) !== undefined) this.#stopToken = undefined;
      return { text: line };
    }
    const command = parseCommand(line);
    if (command === undefined) return { text: line };
    if (command.name === 'add-mask') {
      this.masker.addMask(command.data);
      return undefined;
    }
    if (command.name === 'stop-commands') {
      this.#stopToken = command.data.toLowerCase();
      return { text: line };
    }
    return { text: command.data, command };
  }
}

export class SecretMasker {
  readonly #values = new Set<string>();

  /** What `::add-mask::VALUE` registers. */
  addMask(value: string): void {
    if (value.trim() === '') return;
    for (const part of [value, ...value.split(/[\r\n]+/).map((line) => line.trim())])
      for (const form of maskedForms(part)) this.#values.add(form);
  }

  mask(text: string): string {
    const ranges: [start: number, end: number][] = [];
    for (const value of this.#values)
      for (let at = text.indexOf(value); at >= 0; at = text.indexOf(value, at + 1)) ranges.push([at, at + value.length]);
    if (ranges.length === 0) return text;
    ranges.sort(([a], [b]) => a - b);
    let masked = '';
    let maskedUpTo = -1;
    for (const [start, end] of ranges) {
      // A range that starts inside the last one, or right where it ends, extends it: one *** for both.
      if (start > maskedUpTo) masked += `${text.slice(Math.max(maskedUpTo, 0), start)}***`;
      maskedUpTo = Math.max(maskedUpTo, end);
    }
    return masked + text.slice(maskedUpTo);
  }
}

/** A value and the encoded forms the runner masks along with it, in HostContext's order of value encoders. */
export function maskedForms(value: string): string[] {
  if (value === '') return [];
  const bytes = Buffer.from(value, 'utf8');
  const forms = [
    value,
    // Base64StringEscape and its shifts by one and two bytes: base64 of the value inside a longer string.
    ...[0, 1, 2].map((shift) => bytes.subarray(bytes.length > shift ? shift : 0).toString('base64')),
    value.replaceAll('"', '\\"'), // CommandLineArgumentEscape
    value.replaceAll("'", "''"), // ExpressionStringEscape
    jsonStringEscape(value),
    uriDataEscape(value),
    value.replace(/[<>"'&]/g, (c) => XML_ENTITIES[c] ?? c), // XmlDataEscape
    value.length > 8 && value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : '', // TrimDoubleQuotes
    ...powerShellAmpersandSections(value),
  ];
  return [...new Set(forms)].filter((form) => form !== '');
}

/** Renders a job's steps the way the workflow log shows them: masked values as ***, annotations as "Error: …", debug lines only in debug mode, and workflow commands hidden. */
export function renderRunnerLog(runs: readonly StepRun[], { debug = false } = {}): string[] {
  const log = new JobLog();
  const shown: string[] = [];
  for (const run of runs) {
    for (const line of splitLines(run.stdout)) {
      const printed = log.read(line);
      if (printed === undefined || printed.text === '' || (printed.command?.name === 'debug' && !debug)) continue;
      shown.push(log.masker.mask((PREFIXES[printed.command?.name ?? ''] ?? '') + printed.text));
    }
  }
  return shown;
}

const PREFIXES: Readonly<Record<string, string>> = { error: 'Error: ', warning: 'Warning: ', notice: 'Notice: ', debug: '##[debug]' };
const XML_ENTITIES: Readonly<Record<string, string>> = { '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;', '&': '&amp;' };

function undoEscapes(text: string, escapes: readonly (readonly [string, string])[]): string {
  return escapes.reduce((result, [escaped, raw]) => result.replaceAll(escaped, raw), text);
}

/** Newtonsoft's JsonConvert.ToString without its quotes: JSON.stringify's escapes, plus \u0085, \u2028 and \u2029. */
function jsonStringEscape(value: string): string {
  return JSON.stringify(value)
    .slice(1, -1)
    .replace(/[\u0085\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** .NET's Uri.EscapeDataString: everything but RFC 3986's unreserved characters, which leaves !'()* escaped too. */
function uriDataEscape(value: string): string {
  if (!value.isWellFormed()) return '';
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** PowerShellPreAmpersandEscape and PowerShellPostAmpersandEscape: the sections PowerShell prints apart around '&'. */
function powerShellAmpersandSections(value: string): string[] {
  if (!value.includes('&')) return [];
  const joined = value.indexOf('&+');
  const before = joined >= 0 ? value.slice(0, joined + 2) : value.slice(0, value.lastIndexOf('&') + 1);
  // After '&+' PowerShell colours (and so splits off) one more character.
  const after = joined >= 0 ? value.slice(joined + 3) : value.slice(value.lastIndexOf('&') + 1);
  return [before, after].filter((section) => section.length >= 6);
}
