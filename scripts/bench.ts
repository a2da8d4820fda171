// npm run bench: the bundled action against the API page's plain-fetch flow, over HTTPS with a simulated network
// (a wait before every answer, and a longer one before the first answer on a new connection, for TCP + TLS set-up).
// It judges two things: one connection per provisioning, and the ratio to the documented flow. The machine is shared
// and often busy, so the ratio is measured in interleaved pairs and judged on the quartiles
// of the per-pair results, with the spread printed beside it; only a clear miss makes it exit non-zero.
//   node scripts/bench.ts [--runs N] [--instrumented M] [--startup-pairs S]
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { runMain, shippedEntry } from '../test/harness/run-action.ts';
import { startStandIn } from '../test/stand-in/lar-server.ts';
import { atMost, median, type Spread, spread, type Verdict } from './bench/stats.ts';
import { parseCommandLine } from './command-line.ts';

const GOALS = {
  ratio: 0.92,
  connections: 1,
};
const USAGE = `usage: npm run bench [-- --runs N] [-- --instrumented M] [-- --startup-pairs S]

Times the bundled action against the documented plain-fetch flow, over HTTPS to the stand-in, in interleaved pairs.

  --runs N             timed pairs of provisioning runs (default 20)
  --instrumented M     pairs of runs with phase marks and peak RSS, for the phase table (default 7)
  --startup-pairs S    pairs of start-up runs (default 30)
  --help               this text`;
const { whole } = parseCommandLine(USAGE, {
  options: {
    runs: { type: 'string', default: '20' },
    instrumented: { type: 'string', default: '7' },
    'startup-pairs': { type: 'string', default: '30' },
  },
});
const runs = whole('runs', 1);
const instrumented = whole('instrumented', 1);
const startupPairs = whole('startup-pairs', 1);
const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const fixture = (name: string) => here(`../test/fixtures/tls/${name}`);
const trust = { NODE_EXTRA_CA_CERTS: fixture('ca.crt') };
const documentedFlow = here('./bench/documented-flow.mjs');
// Peak RSS comes from the kernel: GNU time reports wait4()'s ru_maxrss, the high-water mark of the whole
// process, its exit included, with nothing injected into it.
const GNU_TIME = '/usr/bin/time';
const timeWrapper = existsSync(GNU_TIME) ? [GNU_TIME, '-f', 'BENCH-MAXRSS %M'] : undefined;
const marksPreload = { NODE_OPTIONS: `--require "${here('./bench/phase-marks.cjs')}"` };
const loadBefore = loadavg();

interface ProcessResult {
  readonly ms: number;
  readonly code: number | null;
  readonly stderr: string;
  readonly spawnedAt: bigint;
  readonly exitedAt: bigint;
}

function runProcess(command: readonly string[], env: Record<string, string>): Promise<ProcessResult> {
  const [program = process.execPath, ...args] = command;
  const started = performance.now();
  const spawnedAt = process.hrtime.bigint();
  const child = spawn(program, args, { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  let exitedAt = spawnedAt;
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  child.on('exit', () => (exitedAt = process.hrtime.bigint()));
  return new Promise((resolve) =>
    child.on('close', (code) => resolve({ ms: performance.now() - started, code, stderr, spawnedAt, exitedAt })),
  );
}

// ---- phases and peak memory, from the instrumented runs ------------------------------------------------------
const PHASES = [
  ['start', "Node's own start, up to the first line of user code"],
  ['load', 'load the code, run up to the first request'],
  ['connect', 'open the connection (TCP, TLS, HTTP parser)'],
  ['roundTrips', 'the round trips, the simulated network included'],
  ['finish', 'after the last answer: close, outputs, summary'],
  ['exit', 'from the exit event to the process being reaped'],
  ['total', 'spawn to reaped'],
] as const;
type Phase = (typeof PHASES)[number][0];
interface Instrumented {
  readonly phases: Record<Phase, number>;
  readonly peakMiB?: number;
}

function readInstrumented(stderr: string, spawnedAt: bigint, exitedAt: bigint): Instrumented {
  const line = /BENCH-MARKS (\{.*\})/.exec(stderr)?.[1];
  if (line === undefined) throw new Error(`no phase marks in the output:\n${stderr}`);
  const m = JSON.parse(line) as Record<string, string | undefined>;
  const at = (name: string): bigint | undefined => (m[name] === undefined ? undefined : BigInt(m[name]));
  // A phase whose marks are missing (`node -e 0` makes no request) is NaN, and prints as –.
  const ms = (from: bigint | undefined, to: bigint | undefined) =>
    from === undefined || to === undefined ? Number.NaN : Number(to - from) / 1e6;
  const kib = /BENCH-MAXRSS (\d+)/.exec(stderr)?.[1];
  return {
    phases: {
      start: ms(spawnedAt, at('preload')),
      load: ms(at('preload'), at('firstRequest')),
      connect: ms(at('firstRequest'), at('connected')),
      roundTrips: ms(at('connected'), at('lastResponse')),
      finish: ms(at('lastResponse'), at('exit')),
      exit: ms(at('exit'), exitedAt),
      total: ms(spawnedAt, exitedAt),
    },
    ...(kib !== undefined && { peakMiB: Number(kib) / 1024 }),
  };
}

// ---- the provisioning runs -------------------------------------------------------------------------------------
const NETWORK = { latencyMs: 50, newConnectionMs: 100 };
const server = await startStandIn({
  tls: { key: readFileSync(fixture('server.key')), cert: readFileSync(fixture('server.crt')) },
  ...NETWORK,
});
const base = server.url.replace('127.0.0.1', 'localhost');
const timed = { action: [] as number[], documented: [] as number[], ratios: [] as number[] };
const connections = { action: [] as number[], documented: [] as number[] };
const probed = { action: [] as Instrumented[], documented: [] as Instrumented[], bare: [] as Instrumented[] };
let documentedRuns = 0;

async function action(instrument: boolean): Promise<{ ms: number; probe?: Instrumented }> {
  const before = server.connections;
  const run = await runMain(
    { email: 'bench@yourco.com', 'base-url': base, 'revoke-on-exit': 'false' },
    { env: instrument ? { ...trust, ...marksPreload } : trust, debug: false, ...(instrument && timeWrapper && { wrapper: timeWrapper }) },
  );
  if (run.exitCode !== 0) throw new Error(`the action failed:\n${run.stdout}\n${run.stderr}`);
  connections.action.push(server.connections - before);
  return { ms: run.durationMs, ...(instrument && { probe: readInstrumented(run.stderr, run.spawnedAt, run.exitedAt) }) };
}

async function documented(instrument: boolean): Promise<{ ms: number; probe?: Instrumented }> {
  const before = server.connections;
  const env = {
    ...trust,
    ...(instrument && marksPreload),
    BASE: base,
    EMAIL: `documented+${documentedRuns++}-${Date.now()}@yourco.com`,
    PASSWORD: 'bench-password-0123456789',
  };
  const command = [...(instrument && timeWrapper ? timeWrapper : []), process.execPath, documentedFlow];
  const run = await runProcess(command, env);
  if (run.code !== 0) throw new Error(`the documented flow failed:\n${run.stderr}`);
  connections.documented.push(server.connections - before);
  return { ms: run.ms, ...(instrument && { probe: readInstrumented(run.stderr, run.spawnedAt, run.exitedAt) }) };
}

/** Runs both sides back to back, alternating which goes first, so neither always gets the warmer machine. */
async function pair<T>(i: number, a: () => Promise<T>, b: () => Promise<T>): Promise<[T, T]> {
  if (i % 2 === 0) {
    const first = await a();
    return [first, await b()];
  }
  const second = await b();
  return [await a(), second];
}

try {
  await action(false); // warm the file cache for both before measuring
  await documented(false);
  connections.action.length = connections.documented.length = 0;
  for (let i = 0; i < runs; i++) {
    const [a, d] = await pair(
      i,
      () => action(false),
      () => documented(false),
    );
    timed.action.push(a.ms);
    timed.documented.push(d.ms);
    timed.ratios.push(a.ms / d.ms);
  }
  for (let i = 0; i < instrumented; i++) {
    const [a, d] = await pair(
      i,
      () => action(true),
      () => documented(true),
    );
    if (a.probe) probed.action.push(a.probe);
    if (d.probe) probed.documented.push(d.probe);
    // The floor for the start and exit phases: an empty script, instrumented the same way.
    const bare = await runProcess([...(timeWrapper ?? []), process.execPath, '-e', '0'], marksPreload);
    probed.bare.push(readInstrumented(bare.stderr, bare.spawnedAt, bare.exitedAt));
  }
} finally {
  await server.stop();
}

// ---- start-up: the bundle failing at once on a bad input (no request), against `node -e 0` -------------------
const startup = { bare: [] as number[], added: [] as number[] };
const entry = shippedEntry();
for (let i = 0; i < startupPairs; i++) {
  const [bare, bundle] = await pair(
    i,
    () => runProcess([process.execPath, '-e', '0'], {}),
    () => runProcess([process.execPath, entry], { INPUT_EMAIL: '' }),
  );
  startup.bare.push(bare.ms);
  startup.added.push(bundle.ms - bare.ms);
}

// ---- report: two verdicts, the rest information -----------------------------------------------------------------
const f0 = (x: number) => x.toFixed(0);
const f1 = (x: number) => x.toFixed(1);
const f2 = (x: number) => x.toFixed(2);
const range = (s: Spread, f: (x: number) => string) => `IQR ${f(s.p25)}–${f(s.p75)}, min–max ${f(s.min)}–${f(s.max)}`;
const rows: [Verdict | '', string, string, string, string][] = [];

const ratio = spread(timed.ratios);
rows.push([
  atMost(ratio, GOALS.ratio),
  `ratio action / documented (median of ${runs} pairs)`,
  ratio.median.toFixed(3),
  range(ratio, f2),
  `≤ ${GOALS.ratio}`,
]);
const oneConnection = connections.action.every((c) => c === GOALS.connections);
rows.push([
  oneConnection ? 'PASS' : 'FAIL',
  `connections per provisioning (${connections.action.length} action runs)`,
  `action ${[...new Set(connections.action)].join('/')}`,
  `documented ${[...new Set(connections.documented)].join('/')}`,
  `= ${GOALS.connections}`,
]);
rows.push(['', 'action main step, wall time', `${f0(median(timed.action))} ms`, range(spread(timed.action), f0), '']);
rows.push(['', 'documented plain-fetch flow, wall time', `${f0(median(timed.documented))} ms`, range(spread(timed.documented), f0), '']);
const added = spread(startup.added);
rows.push([
  '',
  `start-up, bundle − \`node -e 0\` (${startupPairs} pairs)`,
  `${f0(added.median)} ms`,
  `${range(added, f0)}; node -e 0 took ${f0(median(startup.bare))} ms`,
  '',
]);
const peaks = (side: Instrumented[]) => side.flatMap((r) => (r.peakMiB === undefined ? [] : [r.peakMiB]));
if (timeWrapper) {
  const actionPeak = peaks(probed.action);
  const documentedPeak = peaks(probed.documented);
  const diff = spread(actionPeak.map((a, i) => a - (documentedPeak[i] ?? Number.NaN)));
  rows.push([
    '',
    `peak RSS, action − documented (${instrumented} pairs)`,
    `${diff.median >= 0 ? '+' : ''}${f1(diff.median)} MiB`,
    `${range(diff, f1)}; action ${f1(median(actionPeak))}, documented ${f1(median(documentedPeak))} MiB`,
    '',
  ]);
} else {
  rows.push(['', 'peak RSS', 'not measured', `${GNU_TIME} (GNU time) is missing: apt-get install time`, '']);
}

const loadAfter = loadavg();
console.log(
  `axiom-provision bench: Node ${process.versions.node}, ${availableParallelism()} cores, load average ${f2(loadBefore[0] ?? 0)} → ${f2(loadAfter[0] ?? 0)}`,
);
console.log(
  `HTTPS stand-in, ${NETWORK.latencyMs} ms per answer + ${NETWORK.newConnectionMs} ms per new connection; medians of interleaved pairs\n`,
);
for (const [verdict, what, value, spreadText, goal] of rows)
  console.log(`${verdict.padEnd(4)}  ${what.padEnd(60)} ${value.padEnd(10)} ${goal.padEnd(12)} ${spreadText}`);
console.log('\nThe ratio FAILs only when its whole interquartile range is over the goal. Rows without a verdict are information.');

console.log(`\nWhere the time goes: median ms of ${instrumented} instrumented runs each (phase marks and GNU time added)\n`);
console.log(`${'phase'.padEnd(52)} ${'action'.padStart(8)} ${'documented'.padStart(11)} ${'node -e 0'.padStart(10)}`);
for (const [key, what] of PHASES) {
  const of = (side: Instrumented[], width: number) => {
    const value = median(side.map((r) => r.phases[key]));
    return (Number.isNaN(value) ? '–' : f1(value)).padStart(width);
  };
  console.log(`${what.padEnd(52)} ${of(probed.action, 8)} ${of(probed.documented, 11)} ${of(probed.bare, 10)}`);
}
if (rows.some(([verdict]) => verdict === 'FAIL')) process.exitCode = 1;
