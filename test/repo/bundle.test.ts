// The shipped bundle: one file every entry imports, the password-strength dictionaries in chunks beside it (loaded
// only when a handoff secret is checked), one undici, and the licence of every package in any of them.
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

const lib = new URL('../../dist/lib/', import.meta.url);
const read = (file: string) => readFileSync(new URL(file, lib), 'utf8');
const chunks = readdirSync(lib).filter((file) => file.endsWith('.js') && file !== 'index.js');

describe('dist/lib', () => {
  it('keeps the dictionaries out of index.js, so a step with no handoff secret never loads them', () => {
    expect(read('index.js')).not.toMatch(/qwertyuiop/);
    expect(chunks.some((chunk) => /qwertyuiop/.test(read(chunk)))).toBe(true);
  });

  it("holds one undici: the @actions/http-client that @actions/core brings resolves the action's own", () => {
    const fromHttpClient = createRequire(new URL('../../node_modules/@actions/http-client/package.json', import.meta.url));
    expect(fromHttpClient.resolve('undici')).toBe(createRequire(import.meta.url).resolve('undici'));
  });

  it('lists the licence of every package, those of the chunks included', () => {
    const licensed = read('licenses.txt').match(/^(?:@[\w-]+\/)?[\w.-]+(?=\n(?:MIT|ISC|BSD|Apache)[\w.-]*\n)/gm);
    expect(licensed).toEqual([
      '@actions/core',
      '@actions/exec',
      '@actions/http-client',
      '@actions/io',
      '@zxcvbn-ts/core',
      '@zxcvbn-ts/dictionary-compression',
      '@zxcvbn-ts/language-common',
      '@zxcvbn-ts/language-en',
      'fastest-levenshtein',
      'tunnel',
      'undici',
    ]);
  });
});
