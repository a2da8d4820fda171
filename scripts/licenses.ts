// A step of `npm run bundle` (scripts/bundle.ts): dist/lib/licenses.txt, the licence of every package in the bundle
// and its chunks. ncc's --license sees only the entry chunk once the bundle is split, so the notices are written here
// from ncc's stats, in ncc's own format: name, licence, licence text, sorted by name, one entry per distinct text.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCommandLine } from './command-line.ts';

const USAGE = `usage: node scripts/licenses.ts <ncc stats.json> <licenses.txt>

Writes the licence of every package in ncc's stats to <licenses.txt> (a step of npm run bundle).`;
const { positionals, refuse } = parseCommandLine(USAGE, { allowPositionals: true });
if (positionals.length !== 2) refuse(`takes two files, the stats and the output, not ${positionals.length}`);
const [statsFile = '', outFile = ''] = positionals;
const stats = JSON.parse(readFileSync(statsFile, 'utf8')) as { modules: { name?: string; modules?: { name?: string }[] }[] };
const names = stats.modules.flatMap((m) => [m.name ?? '', ...(m.modules ?? []).map((inner) => inner.name ?? '')]);

const packageDirs = new Set<string>();
for (const name of names) {
  const match = /^(?:\.\/)?(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(name);
  if (match?.[1]) packageDirs.add(match[1]);
}

const entries = new Map<string, string>();
for (const dir of packageDirs) {
  const { name, license } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name: string; license?: string };
  if (name === '@vercel/ncc') continue; // its webpack runtime helpers, not a dependency of ours
  const licenseFile = readdirSync(dir).find((file) => /^licen[cs]e/i.test(file));
  if (licenseFile === undefined) throw new Error(`${name} has no licence file in ${dir}`);
  const text = readFileSync(join(dir, licenseFile), 'utf8').trim();
  entries.set(`${name}\n${text}`, `${name}\n${license ?? ''}\n${text}\n`);
}
const sorted = [...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, entry]) => entry);
writeFileSync(outFile, `${sorted.join('\n').trim()}\n`);
