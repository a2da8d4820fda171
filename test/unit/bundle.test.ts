// The shipped bundle: pure ASCII, so V8 holds each source as a one-byte string (scripts/ascii-bundle.ts), and
// @actions/core in a chunk of its own, which loads while the first request is in flight (workflow-commands.ts).
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const lib = new URL('../../dist/lib/', import.meta.url);
const read = (file: string) => readFileSync(new URL(file, lib), 'utf8');
const chunks = readdirSync(lib).filter((file) => file.endsWith('.js') && file !== 'index.js');

describe('dist/lib', () => {
  it.each(['index.js', ...chunks])('%s is pure ASCII: one non-ASCII character costs every run 1.9 MiB of peak RSS', (file) => {
    expect(read(file).match(/[\u0080-\uffff].{0,40}/g) ?? []).toEqual([]);
  });

  it('keeps @actions/core, and the second undici it brings, out of index.js: one chunk beside it holds them', () => {
    // Markers: core's OIDC client and getIDToken, and @actions/http-client's client class.
    const markers = [/class OidcClient/, /class HttpClient/, /function getIDToken/];
    for (const marker of markers) expect(read('index.js')).not.toMatch(marker);
    const coreChunks = chunks.filter((chunk) => markers.some((marker) => marker.test(read(chunk))));
    expect(coreChunks).toHaveLength(1);
    for (const marker of markers) expect(read(coreChunks[0] ?? '')).toMatch(marker);
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
