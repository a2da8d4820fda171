// What `npm pack` ships and what installing it brings: lib/ and its types, its production dependencies and nothing
// of @actions (the action's dist/ bundles its own), every export resolvable from a user's project.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { installedProject, runNode } from './installed.ts';

interface Manifest {
  readonly dependencies?: Readonly<Record<string, string>>;
  readonly peerDependencies?: Readonly<Record<string, string>>;
  readonly exports: Readonly<Record<string, string | { readonly types: string; readonly default: string }>>;
}

const DOOR_OF_PEER: Readonly<Record<string, string>> = { '@playwright/test': 'lib/playwright/', vitest: 'lib/vitest/' };
const installed = (): string => join(installedProject(), 'node_modules', 'axiom-provision');
const manifest = (): Manifest => JSON.parse(readFileSync(join(installed(), 'package.json'), 'utf8')) as Manifest;
const files = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)]));
const packageName = (specifier: string): string =>
  specifier
    .split('/')
    .slice(0, specifier.startsWith('@') ? 2 : 1)
    .join('/');

describe('the installed tarball', () => {
  it('brings no @actions package', () => {
    expect(existsSync(join(installedProject(), 'node_modules', '@actions'))).toBe(false);
    expect(Object.keys(manifest().dependencies ?? {}).filter((name) => name.startsWith('@actions/'))).toEqual([]);
  });

  it('ships lib/ with types and the agent skill, and no sources, tests or the action bundle', () => {
    const shipped = files(installed()).map((file) => relative(installed(), file));
    expect(shipped.filter((file) => !file.startsWith('lib/')).sort()).toEqual([
      'LICENSE',
      'README.md',
      'package.json',
      'skills/axiom-provision/SKILL.md',
    ]);
    for (const file of shipped.filter((f) => f.endsWith('.js'))) expect(shipped, file).toContain(file.replace(/\.js$/, '.d.ts'));
  });

  it('imports at run time only node:, its own files, its dependencies, and the peer of the door that needs it', () => {
    const { dependencies = {}, peerDependencies = {} } = manifest();
    const allowed = new Set([...Object.keys(dependencies), ...Object.keys(peerDependencies)]);
    const imported = new Map<string, string[]>();
    for (const file of files(join(installed(), 'lib')).filter((f) => f.endsWith('.js'))) {
      const source = readFileSync(file, 'utf8');
      for (const [, ...specifiers] of source.matchAll(
        // A static import or re-export starts a line (tsc writes them so); `from '…'` inside a message is no import.
        /^\s*(?:import|export)\b[^'"]*?\bfrom\s*['"]([^'"]+)['"]|\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s+['"]([^'"]+)['"]/gm,
      )) {
        const specifier = specifiers.find((s) => s !== undefined) ?? '';
        if (specifier.startsWith('node:') || specifier.startsWith('.')) continue;
        imported.set(packageName(specifier), [...(imported.get(packageName(specifier)) ?? []), relative(installed(), file)]);
      }
    }
    expect([...imported.keys()].filter((name) => !allowed.has(name))).toEqual([]);
    // A peer is its door's own: the CLI and the library run without Playwright or Vitest installed.
    for (const [name, importers] of imported) {
      const door = DOOR_OF_PEER[name];
      if (door !== undefined)
        expect(
          importers.filter((file) => !file.startsWith(door)),
          name,
        ).toEqual([]);
    }
    // The scan sees imports at all:
    expect([...imported.keys()]).toContain('undici');
  });

  it('resolves every export from a project that imports it by name', async () => {
    const specifiers = Object.keys(manifest().exports)
      .filter((entry) => entry !== './package.json')
      .map((entry) => entry.replace(/^\./, 'axiom-provision'));
    const run = await runNode([
      '--input-type=module',
      '-e',
      `const loaded = {};
for (const specifier of ${JSON.stringify(specifiers)}) loaded[specifier] = Object.keys(await import(specifier)).sort();
console.log(JSON.stringify(loaded));`,
    ]);
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual({
      'axiom-provision': [
        'ACCOUNT_FILE_VARIABLES',
        'AxiomError',
        'LAR_ORIGIN',
        'VARIABLE_NAME',
        'claimAccountFile',
        'dotenvProblem',
        'isStill',
        'keyFingerprint',
        'plusAddress',
        'provision',
        'readAccountFile',
        'removeAccountFile',
        'revoke',
      ],
      'axiom-provision/playwright': ['expect', 'larGlobalSetup', 'test'],
      'axiom-provision/vitest': ['larGlobalSetup'],
    });
  });
});
