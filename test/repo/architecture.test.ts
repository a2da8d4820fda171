// The layout is the architecture: the doors (action, cli, library, playwright, vitest) side by side over one core.
// Arrows point down: the core imports no door and no @actions/*; a door imports the core (the test-runner doors
// also share test-runners/), never another door; and nothing the npm package ships reaches @actions/*.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));
const files = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)]));
const importsOf = (file: string): string[] =>
  [
    ...readFileSync(file, 'utf8').matchAll(
      /^(?:import|export)[^'"]*from\s*['"]([^'"]+)['"]|^import\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/gm,
    ),
  ].map((m) => m[1] ?? m[2] ?? m[3] ?? '');
/** The top folder of src/ a relative import lands in ('' for an entry file at the top). */
const folderOf = (from: string, target: string): string =>
  relative(SRC, resolve(dirname(from), target))
    .split('/')
    .slice(0, -1)[0] ?? '';

const ALLOWED: Readonly<Record<string, readonly string[]>> = {
  core: ['core'],
  action: ['action', 'core'],
  cli: ['cli', 'core'],
  library: ['library', 'core'],
  'test-runners': ['test-runners', 'core'],
  playwright: ['playwright', 'test-runners', 'core'],
  vitest: ['vitest', 'test-runners', 'core'],
};
const PACKAGE_DOORS = ['core', 'cli', 'library', 'test-runners', 'playwright', 'vitest'];

describe('layering', () => {
  const sources = files(SRC).filter((f) => f.endsWith('.ts'));

  it('knows every folder of src/', () => {
    const folders = new Set(sources.map((f) => relative(SRC, f).split('/')[0] ?? '').filter((f) => !f.endsWith('.ts')));
    expect([...folders].sort()).toEqual(Object.keys(ALLOWED).sort());
  });

  it.each(sources.filter((f) => relative(SRC, f).includes('/')).map((f) => [relative(SRC, f), f]))(
    '%s imports only what its folder may',
    (name, file) => {
      const folder = name.split('/')[0] ?? '';
      for (const target of importsOf(file)) {
        if (target.startsWith('.')) expect(ALLOWED[folder], `${name} → ${target}`).toContain(folderOf(file, target));
        if (PACKAGE_DOORS.includes(folder)) expect(target, `${name} → ${target}`).not.toMatch(/^@actions\//);
      }
    },
  );
});
