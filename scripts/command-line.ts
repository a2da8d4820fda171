// The command line of the helper scripts and the stand-in: --help (or -h) prints the usage and exits 0; a flag the
// script does not know, or an argument it cannot take, ends it with one line saying why and the usage on stderr,
// exit 2, and never a stack trace.
import { type ParseArgsConfig, parseArgs } from 'node:util';

/**
 * Parses process.argv strictly against `config`, which gains --help. `refuse` ends the script as a bad argument
 * does; `whole` reads a string option as a whole number of at least `least`, or refuses it.
 */
export function parseCommandLine<const T extends ParseArgsConfig>(usage: string, config: T) {
  const refuse = (message: string): never => {
    process.stderr.write(`error: ${message}\n\n${usage}\n`);
    process.exit(2);
  };
  const withHelp = { ...config, strict: true, options: { ...config.options, help: { type: 'boolean', short: 'h' } } } as const;
  let parsed: ReturnType<typeof parseArgs<typeof withHelp>>;
  try {
    parsed = parseArgs(withHelp);
  } catch (error) {
    if (!(error instanceof Error && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS_'))) throw error;
    // Node's advice on positionals after `--` helps no one here: the first sentence says what is wrong.
    const what = error.message.replace(/\. (To specify|This command) .*$/s, '');
    return refuse(`${what.charAt(0).toLowerCase()}${what.slice(1)}`);
  }
  if ('help' in parsed.values && parsed.values.help === true) {
    process.stdout.write(`${usage}\n`);
    process.exit(0);
  }
  const whole = (flag: string, least = 0): number => {
    const value = (parsed.values as Record<string, unknown>)[flag];
    const number = Number(value);
    if (typeof value !== 'string' || !Number.isInteger(number) || number < least) {
      refuse(`--${flag} takes a whole number of at least ${least}, not '${String(value)}'`);
    }
    return number;
  };
  return { ...parsed, refuse, whole };
}
