// The account file's dotenv form: every value it writes reads back to the same bytes in Node's --env-file, the dotenv
// package, a POSIX shell (`set -a; . file`) and our own reader; a value it cannot write that way is refused.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as dotenvParse } from 'dotenv';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { claimAccountFile, dotenvValue, parseDotenv, readAccountFile, toDotenv } from '../../src/core/account-file.ts';
import { AxiomError } from '../../src/core/errors.ts';
import type { LarAccount } from '../../src/core/flow.ts';

const scratch = mkdtempSync(join(tmpdir(), 'axiom-provision-dotenv-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let files = 0;
const freshPath = (): string => join(scratch, `f${files++}.env`);

/** What a shell and the Node running this test read back of a file, as JSON (the shell's via node, from its env). */
function readBack(text: string): { node: Record<string, string>; shell: Record<string, string> } {
  const path = freshPath();
  writeFileSync(path, text);
  const dump = 'process.stdout.write(JSON.stringify(Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith("V_")))))';
  const env = { PATH: process.env.PATH ?? '' };
  const node = JSON.parse(execFileSync(process.execPath, [`--env-file=${path}`, '-e', dump], { env, encoding: 'utf8' }));
  const shell = JSON.parse(
    execFileSync('sh', ['-c', `set -a; . "$1"; exec "$2" -e "$3"`, 'sh', path, process.execPath, dump], { env, encoding: 'utf8' }),
  );
  return { node, shell };
}

// Printable text at large, weighted to what quoting turns on: quotes, $, backslash, backtick, #, =, spaces, and
// (not printable, so refused) a tab and a line break.
const character = fc.oneof(
  fc.constantFrom(...'\'"`$\\#= !~{}()*;&|<>%:@+,./-_\t\n\u2028'),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }),
);
const value = fc.string({ unit: character, maxLength: 24 });

describe('the dotenv form', () => {
  it('reads back to the same bytes in node --env-file, the dotenv package, a shell and parseDotenv, or is refused', async () => {
    fc.assert(
      fc.property(fc.array(value, { minLength: 1, maxLength: 30 }), (values) => {
        const held = values.filter((v) => dotenvValue(v) !== undefined);
        const variables = Object.fromEntries(held.map((v, i) => [`V_${i}`, v]));
        const text = toDotenv(variables);
        expect(parseDotenv(text)).toEqual(variables);
        expect(dotenvParse(text)).toEqual(variables);
        const { node, shell } = readBack(text);
        expect(node).toEqual(variables);
        expect(shell).toEqual(variables);
      }),
      { numRuns: 25 },
    );
  });

  it('parseDotenv reads back whatever toDotenv writes', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.stringMatching(/^[A-Z_][A-Z0-9_]{0,8}$/), value), (variables) => {
        const held = Object.fromEntries(Object.entries(variables).filter(([, v]) => dotenvValue(v) !== undefined));
        expect(parseDotenv(toDotenv(held))).toEqual(held);
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses only what no form holds: a value that is not printable, or a quote with $ ` \\ "', () => {
    fc.assert(
      fc.property(value, (v) => {
        const unprintable = /[\p{Cc}\p{Cf}\p{Co}\p{Cn}\p{Cs}\p{Zl}\p{Zp}]/u.test(v);
        expect(dotenvValue(v) === undefined).toBe(unprintable || (v.includes("'") && /[$`\\"]/.test(v)));
      }),
      { numRuns: 2000 },
    );
  });

  it('parseDotenv reads the forms an earlier version wrote: backticks, and escaped double quotes', () => {
    const value = 'it\'s "x" `y` \\z';
    const earlier = `A=\`it's "x"\`\nB="${value.replace(/[\\"]/g, (c) => `\\${c}`)}"\n`;
    expect(parseDotenv(earlier)).toEqual({ A: `it's "x"`, B: value });
  });

  it('refuses a value it cannot hold naming the variable, never quoting the value', () => {
    const refuse = () => toDotenv({ AXIOM_PASSWORD: "it's-$Gv7kQ2m9" });
    expect(refuse).toThrow(AxiomError);
    expect(refuse).toThrow(/^AXIOM_PASSWORD cannot be written as dotenv/);
    expect(refuse).not.toThrow(/Gv7kQ2m9/);
  });
});

const account: LarAccount = {
  email: 'qa+t@yourco.com',
  userId: '7',
  apiKey: 'axm_abc~def==',
  password: "it's a pass",
  baseUrl: 'https://lar.axiom.ai',
  created: true,
};

describe('claimAccountFile and readAccountFile', () => {
  it('write a 0600 file that reads back as the account', () => {
    const path = freshPath();
    const file = claimAccountFile(path);
    file.write(account);
    expect(readAccountFile(path)).toEqual(account);
    expect(execFileSync('stat', ['-c', '%a', path], { encoding: 'utf8' }).trim()).toBe('600');
  });

  it('never overwrite a file, nor follow a symlink, even a dangling one', () => {
    const existing = freshPath();
    writeFileSync(existing, 'KEEP=me\n');
    const dangling = freshPath();
    symlinkSync(join(scratch, 'nowhere'), dangling);
    for (const path of [existing, dangling]) {
      expect(() => claimAccountFile(path)).toThrow(AxiomError);
      expect(() => claimAccountFile(path)).toThrow(/already exists/);
    }
  });

  it('abandon removes the file it created, and leaves one put in its place', () => {
    const kept = claimAccountFile(freshPath());
    expect(kept.abandon()).toBe(true);
    expect(() => readAccountFile(kept.path)).toThrow(/ENOENT/);

    const swapped = claimAccountFile(freshPath());
    rmSync(swapped.path);
    writeFileSync(swapped.path, 'SOMEONE=else\n');
    expect(swapped.abandon()).toBe(false);
    expect(execFileSync('cat', [swapped.path], { encoding: 'utf8' })).toBe('SOMEONE=else\n');
  });

  it('write fails when the path no longer names the file it created, and the file put there is left alone', () => {
    const swapped = claimAccountFile(freshPath());
    rmSync(swapped.path);
    writeFileSync(swapped.path, 'SOMEONE=else\n');
    expect(() => swapped.write(account)).toThrow(/was replaced while the account was made; nothing was written/);
    expect(swapped.abandon()).toBe(false);
    expect(execFileSync('cat', [swapped.path], { encoding: 'utf8' })).toBe('SOMEONE=else\n');
  });

  it('readAccountFile says what is wrong with a path, never quoting what the file holds', () => {
    const dir = join(scratch, 'a-dir');
    mkdirSync(dir);
    const fifo = freshPath();
    execFileSync('mkfifo', [fifo]);
    const partial = freshPath();
    writeFileSync(partial, 'AXIOM_API_KEY=axm_Gv7kQ2m9\nAXIOM_PASSWORD=Gv7kQ2m9\n');
    const large = freshPath();
    writeFileSync(large, `X=${'a'.repeat(128 * 1024)}\n`);
    const cases: [string, RegExp][] = [
      [dir, /is a directory, not an account file/],
      [fifo, /is not a regular file/],
      [partial, /has no AXIOM_EMAIL, AXIOM_USER_ID, AXIOM_BASE_URL, AXIOM_CREATED/],
      [large, /too large/],
      [join(scratch, 'missing.env'), /cannot read .* \(ENOENT\)/],
    ];
    for (const [path, message] of cases) {
      expect(() => readAccountFile(path)).toThrow(message);
      expect(() => readAccountFile(path)).not.toThrow(/Gv7kQ2m9/);
    }
  });
});
