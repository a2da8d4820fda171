// npm run bundle: dist/ as runners execute it. ncc bundles src/action/entries.ts once, into dist/lib/; each
// action.yml's entry file is then the compiled src/<entry>.ts, importing that one bundle. dist/ runs with no
// node_modules.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';

const ENTRIES = ['index', 'open', 'revoke'];
// The tools' own scripts, run by this Node: node_modules/.bin holds shell wrappers, which Windows cannot exec.
const TSC = 'node_modules/typescript/bin/tsc';
const NCC = 'node_modules/@vercel/ncc/dist/ncc/cli.js';
const node = (script: string, args: string[]): void => void execFileSync(process.execPath, [script, ...args], { stdio: 'inherit' });

rmSync('build', { recursive: true, force: true });
rmSync('dist', { recursive: true, force: true });
try {
  node(TSC, ['-p', 'tsconfig.build.json']);
  node(NCC, ['build', 'build/action/entries.js', '-o', 'dist/lib', '--license', 'licenses.txt', '--quiet']);
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
