// The shipped bundle is pure ASCII, so V8 holds its source as a one-byte string (scripts/ascii-bundle.ts).
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';

it('dist/lib/index.js is pure ASCII: one non-ASCII character costs every run 1.9 MiB of peak RSS', () => {
  const bundle = readFileSync(new URL('../../dist/lib/index.js', import.meta.url), 'utf8');
  expect(bundle.match(/[\u0080-\uffff].{0,40}/g) ?? []).toEqual([]);
});
