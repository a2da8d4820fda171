// npm run coverage: how much of src/ the tests run, measured two ways and reported side by side.
//   unit    test/unit imports src/ directly (vitest, provider v8)                        → coverage/unit/
//   bundle  test/integration and test/stress run the committed dist/ in child processes; with NODE_V8_COVERAGE
//           set, each writes V8 coverage, which c8 maps back to src/ through dist/lib/index.js.map → coverage/bundle/
// Each directory holds lcov.info, an HTML report and coverage-summary.json. The table below, also written to
// coverage/summary.md for CI's job summary, fails the run if a figure falls under its threshold.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * Percentages, the one place they are set: just under what the tests reach, so that a drop fails. The bundle's
 * figures move by a few tenths from run to run (the fault soak draws a new seed each time), hence the margin there.
 * Every function of the bundle runs: one without a test would be 99.1%, so that threshold is 100.
 */
const THRESHOLDS = {
  unit: { lines: 70, branches: 71, functions: 64, statements: 70 },
  bundle: { lines: 94, branches: 84, functions: 100, statements: 94 },
} as const;

type Metric = keyof (typeof THRESHOLDS)['unit'];
const METRICS: readonly Metric[] = ['lines', 'branches', 'functions', 'statements'];
const LABELS = { unit: 'unit tests, src/ in process', bundle: 'shipped bundle, dist/ run by the integration and stress tests' };

const bin = (name: string): string => join('node_modules', '.bin', name);
const run = (command: string, args: string[], env: NodeJS.ProcessEnv = process.env): void =>
  void execFileSync(command, args, { stdio: 'inherit', env });

rmSync('coverage', { recursive: true, force: true });

run(bin('vitest'), ['run', '--project', 'main', '--coverage', 'test/unit']);

// Every process the tests start writes here: vitest's own, and each run of dist/ (from a copy in a temporary
// directory, see test/harness/run-action.ts).
const raw = resolve('coverage/tmp/raw');
const env = { ...process.env, NODE_V8_COVERAGE: raw };
run(bin('vitest'), ['run', '--project', 'main', 'test/integration'], env);
run(bin('vitest'), ['run', '--project', 'stress'], env);

// Keep the bundle only, and move it from the copy it ran from (test/harness/run-action.ts copies dist/ to a temporary
// directory, byte for byte) to the repository, so that its map's sources are the repository's src/.
const bundled = resolve('coverage/tmp/bundle');
const copy = /^(file:\/\/.*\/axiom-provision-dist-[^/]+\/)dist\/lib\/index\.js$/;
const repository = pathToFileURL(`${process.cwd()}/`).href;
mkdirSync(bundled, { recursive: true });
let runs = 0;
for (const file of readdirSync(raw)) {
  const report = JSON.parse(readFileSync(join(raw, file), 'utf8'));
  const result = report.result.filter((script: { url: string }) => copy.test(script.url));
  if (result.length === 0) continue;
  const cache = Object.entries(report['source-map-cache'] ?? {}).filter(([url]) => copy.test(url));
  if (cache.length === 0) throw new Error(`${file}: no source map for the bundle; was dist/lib/index.js.map built?`);
  const copyRoot = copy.exec(result[0].url)?.[1] ?? '';
  // Node resolved the map's sources against the copy too, so every URL in it moves.
  const moved = JSON.stringify({ result, 'source-map-cache': Object.fromEntries(cache) }).replaceAll(copyRoot, repository);
  writeFileSync(join(bundled, file), moved);
  runs++;
}
// The map covers the bundle, dist/lib/index.js, so src/index.ts, open.ts and revoke.ts (one call each, compiled to
// dist/*.js) are not counted.
console.log(`\nCoverage of the shipped bundle, from ${runs} runs of dist/:`);
run(bin('c8'), [
  'report',
  '--temp-directory',
  bundled,
  '--reports-dir',
  'coverage/bundle',
  '--reporter',
  'text',
  '--reporter',
  'lcov',
  '--reporter',
  'json-summary',
]);
rmSync('coverage/tmp', { recursive: true, force: true });

const rows: string[] = [];
const failures: string[] = [];
for (const kind of ['unit', 'bundle'] as const) {
  const total = JSON.parse(readFileSync(`coverage/${kind}/coverage-summary.json`, 'utf8')).total;
  const cells = METRICS.map((metric) => {
    const pct: number = total[metric].pct;
    const min = THRESHOLDS[kind][metric];
    if (pct < min) failures.push(`${kind} ${metric}: ${pct}% is under ${min}%`);
    return `${pct}%${pct < min ? ' ❌' : ''} (≥ ${min})`;
  });
  rows.push(`| ${LABELS[kind]} | ${cells.join(' | ')} |`);
}
const summary = [
  '### Coverage of src/',
  '',
  `| | ${METRICS.join(' | ')} |`,
  `| --- | ${METRICS.map(() => '---').join(' | ')} |`,
  ...rows,
  '',
  failures.length ? `**Under the threshold:** ${failures.join('; ')}.` : 'Every figure meets its threshold (scripts/coverage.ts).',
  '',
].join('\n');
writeFileSync('coverage/summary.md', summary);
console.log(`\n${summary}`);
if (failures.length) process.exitCode = 1;
