// Arrows point down: the action layer uses the core; the core (flow, LAR client, sealing) never imports from the
// action layer or @actions/*, so every entry point shares it and its rules test without mocks.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));
const files = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)]));
const importsOf = (file: string): string[] =>
  [...readFileSync(file, 'utf8').matchAll(/^import[^'"]*['"]([^'"]+)['"]/gm)].map((m) => m[1] ?? '');

describe('layering', () => {
  const core = files(join(SRC, 'core')).filter((f) => f.endsWith('.ts'));

  it('finds the core', () => {
    expect(core.length).toBeGreaterThan(5);
  });

  it.each(core.map((f) => [relative(SRC, f), f]))('%s imports nothing from the action layer or @actions/*', (_, file) => {
    for (const target of importsOf(file)) {
      expect(target).not.toMatch(/^@actions\//);
      expect(target).not.toMatch(/(^|\/)action\//);
    }
  });
});
