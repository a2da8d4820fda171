// npm run bench: the bundled action against the API page's plain-fetch flow, side by side in one run, over
// HTTPS with a simulated network (50 ms before every answer, 100 ms more before the first answer on a new
// connection, for TCP + TLS set-up). Machines here are noisy, so it compares medians of pairs run back to back.
//   node scripts/bench.ts [--runs N]
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runMain, shippedEntry } from '../test/harness/run-action.ts';
import { startStandIn } from '../test/stand-in/lar-server.ts';

const GOALS = { ratio: 0.9, connections: 1, startupMs: 60 };
const { values } = parseArgs({ options: { runs: { type: 'string', default: '15' } } });
const runs = Number(values.runs);
const fixture = (name: string) => fileURLToPath(new URL(`../test/fixtures/tls/${name}`, import.meta.url));
const trust = { NODE_EXTRA_CA_CERTS: fixture('ca.crt') };

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
};

function timeProcess(args: string[], env: Record<string, string>): Promise<{ ms: number; code: number | null }> {
  const started = performance.now();
  const child = spawn(process.execPath, args, { env: { PATH: process.env.PATH ?? '', ...env }, stdio: 'ignore' });
  return new Promise((resolve) => child.on('close', (code) => resolve({ ms: performance.now() - started, code })));
}

const server = await startStandIn({
  tls: { key: readFileSync(fixture('server.key')), cert: readFileSync(fixture('server.crt')) },
  latencyMs: 50,
  newConnectionMs: 100,
});
const base = server.url.replace('127.0.0.1', 'localhost');
const action = { ms: [] as number[], connections: [] as number[] };
const documented = { ms: [] as number[], connections: [] as number[] };
const ratios: number[] = [];

try {
  const measureAction = async () => {
    const before = server.connections;
    const run = await runMain({ email: 'bench@yourco.com', 'base-url': base, 'revoke-on-exit': 'false' }, { env: trust, debug: false });
    if (run.exitCode !== 0) throw new Error(`the action failed:\n${run.stdout}`);
    action.connections.push(server.connections - before);
    return run.durationMs;
  };
  const measureDocumented = async (i: number) => {
    const before = server.connections;
    const env = { ...trust, BASE: base, EMAIL: `documented+${i}-${Date.now()}@yourco.com`, PASSWORD: 'bench-password-0123456789' };
    const { ms, code } = await timeProcess([fileURLToPath(new URL('./bench/documented-flow.mjs', import.meta.url))], env);
    if (code !== 0) throw new Error('the documented flow failed');
    documented.connections.push(server.connections - before);
    return ms;
  };

  await measureAction(); // warm the file cache for both before measuring
  await measureDocumented(-1);
  action.connections.length = documented.connections.length = 0;
  for (let i = 0; i < runs; i++) {
    // Alternate the order, so neither side always runs on the warmer machine.
    let actionMs: number;
    let documentedMs: number;
    if (i % 2 === 0) {
      actionMs = await measureAction();
      documentedMs = await measureDocumented(i);
    } else {
      documentedMs = await measureDocumented(i);
      actionMs = await measureAction();
    }
    action.ms.push(actionMs);
    documented.ms.push(documentedMs);
    ratios.push(actionMs / documentedMs);
  }
} finally {
  await server.stop();
}

// Start-up: the bundle with an input that fails at once (no request) against `node -e 0`, interleaved.
const bare: number[] = [];
const bundle: number[] = [];
const entry = shippedEntry();
for (let i = 0; i < Math.max(20, runs * 2); i++) {
  bare.push((await timeProcess(['-e', '0'], {})).ms);
  bundle.push((await timeProcess([entry], { INPUT_EMAIL: '' })).ms);
}
const startupMs = median(bundle) - median(bare);

const ratio = median(ratios);
const rows: [string, string, string, boolean][] = [
  ['action main step, median wall time', `${median(action.ms).toFixed(0)} ms`, '', true],
  ['documented plain-fetch flow, median wall time', `${median(documented.ms).toFixed(0)} ms`, '', true],
  ['ratio action / documented (median of pairs)', ratio.toFixed(2), `≤ ${GOALS.ratio}`, ratio <= GOALS.ratio],
  [
    'connections per provisioning: action',
    action.connections.join(' '),
    `= ${GOALS.connections}`,
    action.connections.every((c) => c === GOALS.connections),
  ],
  ['connections per provisioning: documented', documented.connections.join(' '), '', true],
  [
    'start-up the bundle adds to `node -e 0`',
    `${startupMs.toFixed(1)} ms (${median(bundle).toFixed(1)} vs ${median(bare).toFixed(1)})`,
    `≤ ${GOALS.startupMs} ms`,
    startupMs <= GOALS.startupMs,
  ],
];
console.log(`axiom-provision bench: ${runs} pairs, HTTPS, 50 ms per answer + 100 ms per new connection, Node ${process.versions.node}\n`);
for (const [what, value, goal, ok] of rows)
  console.log(`${goal ? (ok ? 'PASS' : 'FAIL') : '    '}  ${what.padEnd(48)} ${value.padEnd(28)} ${goal}`);
if (rows.some(([, , goal, ok]) => goal && !ok)) process.exitCode = 1;
