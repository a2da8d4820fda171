// npm run bundle: dist/ as runners execute it. ncc bundles src/action/entries.ts once, into dist/lib/index.js, with
// @actions/core in a chunk beside it that loads on demand; each action.yml's entry file is then the compiled
// src/<entry>.ts, importing that one bundle. dist/ runs with no node_modules.
//
// dist/lib/index.js.map maps the bundle back to src/*.ts (scripts/source-map.ts), so `npm run coverage` can report
// the shipped bundle's coverage by source file. Node reads it only with --enable-source-maps or NODE_V8_COVERAGE,
// so it costs a runner nothing.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCommandLine } from './command-line.ts';
import { bundleToSrcMap, type RawSourceMap } from './source-map.ts';

parseCommandLine('usage: npm run bundle\n\nRebuilds dist/ from src/: what runners execute, with no node_modules.', {});

const ENTRIES = ['index', 'post', 'open', 'revoke'];
// The tools' own scripts, run by this Node: node_modules/.bin holds shell wrappers, which Windows cannot exec.
const TSC = 'node_modules/typescript/bin/tsc';
const NCC = 'node_modules/@vercel/ncc/dist/ncc/cli.js';
const node = (script: string, args: string[]): void => void execFileSync(process.execPath, [script, ...args], { stdio: 'inherit' });
const MAP_COMMENT = /\n\/\/# sourceMappingURL=[^\n]*$/;

rmSync('build', { recursive: true, force: true });
rmSync('dist', { recursive: true, force: true });
try {
  node(TSC, ['-p', 'tsconfig.build.json']);
  // tsc ends each file with a map comment, which ncc would copy into the middle of the bundle. Without it, each
  // file is byte for byte what tsc emits with no maps, so the bundled code is too.
  for (const file of readdirSync('build', { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.js'))) {
    const path = join('build', file);
    writeFileSync(path, readFileSync(path, 'utf8').replace(MAP_COMMENT, '\n'));
  }
  node(NCC, [
    'build',
    'build/action/entries.js',
    '-o',
    'dist/lib',
    '--stats-out',
    'build/ncc-stats.json',
    '--source-map',
    '--no-source-map-register',
    '--quiet',
  ]);
  node('scripts/licenses.ts', ['build/ncc-stats.json', 'dist/lib/licenses.txt']);
  // Pure ASCII, so V8 holds each source one-byte: 1.9 MiB less peak RSS in every run (see ascii-bundle.ts).
  const chunks = readdirSync('dist/lib').filter((file) => file.endsWith('.js') && file !== 'index.js');
  for (const file of ['index.js', ...chunks]) node('scripts/ascii-bundle.ts', [`dist/lib/${file}`]);
  // The chunks hold @actions/core and what it brings, loaded in the background (workflow-commands.ts): none of src/,
  // so their maps would map nothing of ours.
  for (const file of chunks) rmSync(`dist/lib/${file}.map`, { force: true });
  const readMap = (path: string): RawSourceMap => JSON.parse(readFileSync(path, 'utf8'));
  const map = bundleToSrcMap(readFileSync('dist/lib/index.js', 'utf8'), readMap('dist/lib/index.js.map'), (path) => ({
    code: readFileSync(path, 'utf8'),
    map: readMap(`${path}.map`),
  }));
  writeFileSync('dist/lib/index.js.map', `${JSON.stringify(map)}\n`);
  mkdirSync('dist', { recursive: true });
  writeFileSync('dist/package.json', `${JSON.stringify({ type: 'module' })}\n`);
  for (const entry of ENTRIES) {
    const source = readFileSync(`build/${entry}.js`, 'utf8');
    const bundled = source.replace(/from ["']\.\/action\/entries\.js["']/, "from './lib/index.js'");
    if (bundled === source) throw new Error(`build/${entry}.js does not import ./action/entries.js, so it would not use the bundle`);
    writeFileSync(`dist/${entry}.js`, bundled);
  }
} finally {
  rmSync('build', { recursive: true, force: true });
}
