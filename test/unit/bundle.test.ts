// The shipped bundle: one file that every entry imports, with the licence of every package it holds.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const lib = new URL('../../dist/lib/', import.meta.url);

describe('dist/lib', () => {
  it('is one bundle: no chunk to load at run time', () => {
    expect(readdirSync(lib).filter((file) => file.endsWith('.js'))).toEqual(['index.js']);
  });

  it('lists the licence of every package it bundles', () => {
    const licensed = readFileSync(new URL('licenses.txt', lib), 'utf8').match(
      /^(?:@[\w-]+\/)?[\w.-]+(?=\n(?:MIT|ISC|BSD|Apache)[\w.-]*\n)/gm,
    );
    expect(licensed).toEqual(['@actions/core', '@actions/exec', '@actions/http-client', '@actions/io', 'tunnel', 'undici']);
  });
});
