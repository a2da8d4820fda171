// npm run bundle: dist/ as runners execute it, with no node_modules. tsc compiles src/, then ncc bundles
// src/action/entries.ts once, into dist/lib/index.js, with the password-strength dictionaries in chunks it loads only
// when a handoff secret is checked; each action.yml's entry file is the compiled src/<entry>.ts, pointed at that one
// bundle. ncc's own --license lists one chunk's packages only, so the licences come from its stats.
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { bundleInputsDigest, bundleIsCurrent, DIGEST_FILE } from './bundle-inputs.ts';
import { parseCommandLine } from './command-line.ts';

const USAGE = `usage: npm run bundle [-- --if-stale]

Rebuilds dist/ from src/: what runners execute, with no node_modules.

  --if-stale   only when dist/ was not built from the source as it is now`;
const { values } = parseCommandLine(USAGE, { options: { 'if-stale': { type: 'boolean', default: false } } });
if (values['if-stale'] && bundleIsCurrent('.')) {
  console.log('dist/ is up to date with src/.');
  process.exit(0);
}
// Read before the build, so an edit made while it runs leaves dist/ stale, not wrongly current.
const digest = bundleInputsDigest('.');

const ENTRIES = ['index', 'post', 'open', 'revoke'];
// The tools' own scripts, run by this Node: node_modules/.bin holds shell wrappers, which Windows cannot exec.
const node = (script: string, args: string[]): void => void execFileSync(process.execPath, [script, ...args], { stdio: 'inherit' });

rmSync('build', { recursive: true, force: true });
rmSync('dist', { recursive: true, force: true });
try {
  node('node_modules/typescript/bin/tsc', ['-p', 'tsconfig.build.json']);
  node('node_modules/@vercel/ncc/dist/ncc/cli.js', [
    'build',
    'build/action/entries.js',
    '-o',
    'dist/lib',
    '--stats-out',
    'build/ncc-stats.json',
    '--quiet',
  ]);
  node('scripts/licenses.ts', ['build/ncc-stats.json', 'dist/lib/licenses.txt']);
  writeFileSync('dist/package.json', `${JSON.stringify({ type: 'module' })}\n`);
  for (const entry of ENTRIES) {
    const source = readFileSync(`build/${entry}.js`, 'utf8');
    const bundled = source.replace(/from ["']\.\/action\/entries\.js["']/, "from './lib/index.js'");
    if (bundled === source) throw new Error(`build/${entry}.js does not import ./action/entries.js, so it would not use the bundle`);
    writeFileSync(`dist/${entry}.js`, bundled);
  }
  writeFileSync(DIGEST_FILE, `${digest}\n`);
} finally {
  rmSync('build', { recursive: true, force: true });
}
