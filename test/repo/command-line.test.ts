// Every helper script answers --help, and refuses a flag or value it does not take with a message and its usage on
// stderr, exit 2: never a stack trace, and never any work (bundle.ts would delete dist/, cut.ts would commit).
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
// The scripts share most of their imports: Node's compile cache spares each child compiling them again.
const ENV = { ...process.env, NODE_COMPILE_CACHE: join(ROOT, 'node_modules/.cache/node-compile-cache') };
const SCRIPTS = [
  'scripts/bench.ts',
  'scripts/bundle.ts',
  'scripts/licenses.ts',
  'scripts/release/cut.ts',
  'scripts/release/notes.ts',
  'scripts/start.ts',
  'test/stand-in/check-key.ts',
  'test/stand-in/cli.ts',
];

interface Ran {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function run(script: string, ...args: string[]): Promise<Ran> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [script, ...args], { cwd: ROOT, env: ENV, timeout: 20_000 }, (_error, stdout, stderr) =>
      resolve({ code: child.exitCode, stdout, stderr }),
    );
  });
}

describe('every helper script', () => {
  it.concurrent.each(SCRIPTS)('%s answers --help with its usage, and refuses an unknown flag with it', async (script) => {
    const [help, refused] = await Promise.all([run(script, '--help'), run(script, '--no-such-flag')]);
    expect({ code: help.code, stderr: help.stderr }).toEqual({ code: 0, stderr: '' });
    expect(help.stdout).toMatch(/^usage: /);
    expect({ code: refused.code, stdout: refused.stdout }).toEqual({ code: 2, stdout: '' });
    expect(refused.stderr).toBe(`error: unknown option '--no-such-flag'\n\n${help.stdout}`);
  });

  it.concurrent.each([
    ['test/stand-in/cli.ts', ['--port', 'http'], "error: --port takes a whole number of at least 0, not 'http'"],
    ['scripts/release/cut.ts', [], 'error: takes one version, not 0 arguments'],
  ])('%s %j refuses the value with a message, not a stack trace', async (script, args, message) => {
    const { code, stderr } = await run(script, ...args);
    expect(code).toBe(2);
    expect(stderr.split('\n')[0]).toBe(message);
    expect(stderr).not.toContain('    at ');
  });
});
