// npm run bench: the bundled action against the API page's plain-fetch flow, and the npm package's CLI against a
// bare node:https script on one socket (the floor), over HTTPS with a simulated network (a wait before every answer,
// and a longer one before the first answer on a new connection, for TCP + TLS set-up). It judges three things: one
// connection per provisioning for the action and for the CLI, and the action's ratio to the documented flow. The
// machine is shared and often busy, so ratios are measured in interleaved pairs and judged on the quartiles of the
// per-pair results, with the spread printed beside it; only a clear miss makes it exit non-zero. The CLI's ratio to
// the floor is information: it says what the CLI's guarantees and its modules cost on top of the three calls.
//   node scripts/bench.ts [--runs N] [--instrumented M] [--startup-pairs S]
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { runMain, shippedEntry } from '../test/harness/run-action.ts';
import useOneTempFolder from '../test/harness/temp-folder.ts';
import { startStandIn } from '../test/stand-in/lar-server.ts';
import { atMost, median, type Spread, spread, type Verdict } from './bench/stats.ts';
import { parseCommandLine } from './command-line.ts';

const GOALS = {
  ratio: 0.92,
  connections: 1,
};
const USAGE = `usage: npm run bench [-- --runs N] [-- --instrumented M] [-- --startup-pairs S]

Times the bundled action against the documented plain-fetch flow, and the CLI's create (lib/, built first with
npm run build) against a bare node:https script on one socket, over HTTPS to the stand-in, in interleaved pairs.

  --runs N             timed pairs of provisioning runs, for each comparison (default 20)
  --instrumented M     pairs of runs with phase marks and peak RSS, for the phase table (default 7 each)
  --startup-pairs S    pairs of start-up runs, for the bundle and for the CLI (default 30 each)
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
// Every run's step workspace, in one folder that goes when the bench ends.
useOneTempFolder();
const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const fixture = (name: string) => here(`../test/fixtures/tls/${name}`);
const trust = { NODE_EXTRA_CA_CERTS: fixture('ca.crt') };
const documentedFlow = here('./bench/documented-flow.mjs');
const floorScript = here('./bench/floor.mjs');
const cliEntry = here('../lib/cli/bin.js');
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
// The CLI runs from lib/, which is not committed (unlike dist/) and so may be stale: it is built from src/ first.
const build = spawnSync('npm', ['run', '--silent', 'build'], { cwd: here('..'), encoding: 'utf8' });
if (build.status !== 0) throw new Error(`npm run build failed:\n${build.stdout}${build.stderr}`);

const NETWORK = { latencyMs: 50, newConnectionMs: 100 };
const server = await startStandIn({
  tls: { key: readFileSync(fixture('server.key')), cert: readFileSync(fixture('server.crt')) },
  ...NETWORK,
});
const base = server.url.replace('127.0.0.1', 'localhost');
const PASSWORD = 'bench-password-0123456789';
let emailsUsed = 0;
const freshEmail = (side: string) => `${side}+${emailsUsed++}-${Date.now()}@yourco.com`;

type Side = 'action' | 'documented' | 'cli' | 'floor';
const LABEL: Record<Side, string> = { action: 'action', documented: 'documented', cli: 'CLI', floor: 'floor' };
interface SideRun {
  readonly ms: number;
  readonly probe?: Instrumented;
}

async function action(instrument: boolean): Promise<SideRun> {
  const run = await runMain(
    { email: 'bench@yourco.com', 'base-url': base, 'revoke-on-exit': 'false' },
    { env: instrument ? { ...trust, ...marksPreload } : trust, debug: false, ...(instrument && timeWrapper && { wrapper: timeWrapper }) },
  );
  if (run.exitCode !== 0) throw new Error(`the action failed:\n${run.stdout}\n${run.stderr}`);
  return { ms: run.durationMs, ...(instrument && { probe: readInstrumented(run.stderr, run.spawnedAt, run.exitedAt) }) };
}

/** Node on a script (the documented flow, the floor, the CLI), trusting the stand-in's CA. Stdout, secrets and all, is dropped. */
async function script(what: string, args: readonly string[], env: Record<string, string>, instrument: boolean): Promise<SideRun> {
  const command = [...(instrument && timeWrapper ? timeWrapper : []), process.execPath, ...args];
  const run = await runProcess(command, { ...trust, ...(instrument && marksPreload), ...env });
  if (run.code !== 0) throw new Error(`${what} failed:\n${run.stderr}`);
  return { ms: run.ms, ...(instrument && { probe: readInstrumented(run.stderr, run.spawnedAt, run.exitedAt) }) };
}

const SIDES: Record<Side, (instrument: boolean) => Promise<SideRun>> = {
  action,
  documented: (instrument) =>
    script('the documented flow', [documentedFlow], { BASE: base, EMAIL: freshEmail('documented'), PASSWORD }, instrument),
  // The CLI makes its own unique tag and password, as a user's run does.
  cli: (instrument) =>
    script('the CLI', [cliEntry, 'create', '--email', 'bench@yourco.com', '--base-url', base, '--format', 'json'], {}, instrument),
  floor: (instrument) => script('the floor', [floorScript], { BASE: base, EMAIL: freshEmail('floor'), PASSWORD }, instrument),
};
const timed: Record<Side, number[]> = { action: [], documented: [], cli: [], floor: [] };
const connections: Record<Side, number[]> = { action: [], documented: [], cli: [], floor: [] };
const probed: Record<Side | 'bare', Instrumented[]> = { action: [], documented: [], cli: [], floor: [], bare: [] };

async function measure(side: Side, instrument: boolean): Promise<number> {
  const before = server.connections;
  const run = await SIDES[side](instrument);
  connections[side].push(server.connections - before);
  if (run.probe) probed[side].push(run.probe);
  else timed[side].push(run.ms);
  return run.ms;
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

/** `a` against `b`: timed pairs, then instrumented pairs. Returns the ratio a / b of each timed pair. */
async function compare(a: Side, b: Side): Promise<number[]> {
  await SIDES[a](false); // warm the file cache for both before measuring
  await SIDES[b](false);
  const ratios: number[] = [];
  for (let i = 0; i < runs; i++) {
    const [msA, msB] = await pair(
      i,
      () => measure(a, false),
      () => measure(b, false),
    );
    ratios.push(msA / msB);
  }
  for (let i = 0; i < instrumented; i++) {
    await pair(
      i,
      () => measure(a, true),
      () => measure(b, true),
    );
    // The baseline for the start and exit phases: an empty script, instrumented the same way.
    const bare = await runProcess([...(timeWrapper ?? []), process.execPath, '-e', '0'], marksPreload);
    probed.bare.push(readInstrumented(bare.stderr, bare.spawnedAt, bare.exitedAt));
  }
  return ratios;
}

const ratios = { action: [] as number[], cli: [] as number[] };
try {
  ratios.action = await compare('action', 'documented');
  ratios.cli = await compare('cli', 'floor');
} finally {
  await server.stop();
}

// ---- start-up, against `node -e 0`: loading all of the code, and no request -----------------------------------
async function startupCost(command: readonly string[], env: Record<string, string>) {
  const bare: number[] = [];
  const added: number[] = [];
  for (let i = 0; i < startupPairs; i++) {
    const [nothing, loaded] = await pair(
      i,
      () => runProcess([process.execPath, '-e', '0'], {}),
      () => runProcess([process.execPath, ...command], env),
    );
    bare.push(nothing.ms);
    added.push(loaded.ms - nothing.ms);
  }
  return { bare, added };
}
const startup = {
  // The bundle failing at once on a bad input.
  bundle: await startupCost([shippedEntry()], { INPUT_EMAIL: '' }),
  // --version imports the CLI's modules (the core, undici) before it answers.
  cli: await startupCost([cliEntry, '--version'], {}),
};

// ---- report: three verdicts, the rest information ---------------------------------------------------------------
const f0 = (x: number) => x.toFixed(0);
const f1 = (x: number) => x.toFixed(1);
const f2 = (x: number) => x.toFixed(2);
const range = (s: Spread, f: (x: number) => string) => `IQR ${f(s.p25)}–${f(s.p75)}, min–max ${f(s.min)}–${f(s.max)}`;
type Row = [Verdict | '', string, string, string, string];

function ratioRow(side: 'action' | 'cli', other: Side, goal?: number): Row {
  const ratio = spread(ratios[side]);
  return [
    goal === undefined ? '' : atMost(ratio, goal),
    `ratio ${LABEL[side]} / ${LABEL[other]} (median of ${runs} pairs)`,
    ratio.median.toFixed(3),
    range(ratio, f2),
    goal === undefined ? '' : `≤ ${goal}`,
  ];
}

function connectionsRow(side: Side, other: Side): Row {
  const counts = (s: Side) => `${LABEL[s]} ${[...new Set(connections[s])].join('/')}`;
  return [
    connections[side].every((c) => c === GOALS.connections) ? 'PASS' : 'FAIL',
    `connections per provisioning (${connections[side].length} ${LABEL[side]} runs)`,
    counts(side),
    counts(other),
    `= ${GOALS.connections}`,
  ];
}

const wallRow = (side: Side, what: string): Row => [
  '',
  `${what}, wall time`,
  `${f0(median(timed[side]))} ms`,
  range(spread(timed[side]), f0),
  '',
];

function startupRow(what: string, { bare, added }: { bare: number[]; added: number[] }): Row {
  const cost = spread(added);
  return [
    '',
    `start-up, ${what} − \`node -e 0\` (${startupPairs} pairs)`,
    `${f0(cost.median)} ms`,
    `${range(cost, f0)}; node -e 0 took ${f0(median(bare))} ms`,
    '',
  ];
}

function peakRow(side: Side, other: Side): Row {
  if (!timeWrapper) return ['', 'peak RSS', 'not measured', `${GNU_TIME} (GNU time) is missing: apt-get install time`, ''];
  const peaks = (s: Side) => probed[s].flatMap((r) => (r.peakMiB === undefined ? [] : [r.peakMiB]));
  const [mine, theirs] = [peaks(side), peaks(other)];
  const diff = spread(mine.map((a, i) => a - (theirs[i] ?? Number.NaN)));
  return [
    '',
    `peak RSS, ${LABEL[side]} − ${LABEL[other]} (${instrumented} pairs)`,
    `${diff.median >= 0 ? '+' : ''}${f1(diff.median)} MiB`,
    `${range(diff, f1)}; ${LABEL[side]} ${f1(median(mine))}, ${LABEL[other]} ${f1(median(theirs))} MiB`,
    '',
  ];
}

const sections: [string, Row[]][] = [
  [
    'The action against the documented flow',
    [
      ratioRow('action', 'documented', GOALS.ratio),
      connectionsRow('action', 'documented'),
      wallRow('action', 'action main step'),
      wallRow('documented', 'documented plain-fetch flow'),
      startupRow('bundle', startup.bundle),
      peakRow('action', 'documented'),
    ],
  ],
  [
    'The CLI against the floor (node:https, three calls on one socket)',
    [
      ratioRow('cli', 'floor'),
      connectionsRow('cli', 'floor'),
      wallRow('cli', 'CLI create'),
      wallRow('floor', 'floor'),
      startupRow('CLI --version', startup.cli),
      peakRow('cli', 'floor'),
    ],
  ],
];

const loadAfter = loadavg();
console.log(
  `axiom-provision bench: Node ${process.versions.node}, ${availableParallelism()} cores, load average ${f2(loadBefore[0] ?? 0)} → ${f2(loadAfter[0] ?? 0)}`,
);
console.log(
  `HTTPS stand-in, ${NETWORK.latencyMs} ms per answer + ${NETWORK.newConnectionMs} ms per new connection; medians of interleaved pairs`,
);
for (const [title, rows] of sections) {
  console.log(`\n${title}\n`);
  for (const [verdict, what, value, spreadText, goal] of rows)
    console.log(`${verdict.padEnd(4)}  ${what.padEnd(60)} ${value.padEnd(10)} ${goal.padEnd(12)} ${spreadText}`);
}
console.log("\nThe action's ratio FAILs only when its whole interquartile range is over the goal. Rows without a verdict are information.");

console.log(
  `\nWhere the time goes: median ms of ${instrumented} instrumented runs per side, ${2 * instrumented} of node -e 0 (phase marks and GNU time added)\n`,
);
const COLUMNS = ['action', 'documented', 'cli', 'floor', 'bare'] as const;
const title = (side: Side | 'bare') => (side === 'bare' ? 'node -e 0' : LABEL[side]);
console.log(`${'phase'.padEnd(52)} ${COLUMNS.map((side) => title(side).padStart(11)).join(' ')}`);
for (const [key, what] of PHASES) {
  const of = (side: Side | 'bare') => {
    const value = median(probed[side].map((r) => r.phases[key]));
    return (Number.isNaN(value) ? '–' : f1(value)).padStart(11);
  };
  console.log(`${what.padEnd(52)} ${COLUMNS.map(of).join(' ')}`);
}
if (sections.some(([, rows]) => rows.some(([verdict]) => verdict === 'FAIL'))) process.exitCode = 1;
