// The action raises V8's wasm tiering budget at run time, so undici's wasm HTTP parser (llhttp) stays on the
// baseline compiler and the process no longer waits ~40 ms at exit for an optimizing compile (src/core/lar/wasm-tier.ts).
// These tests prove that the action still behaves the same with it, that the flag takes effect, and that it is
// set only where intended: once, after every module has loaded, on the path that opens a connection.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { useStandIn } from '../harness/fixture.ts';
import { errorOf, type StepRun, shippedEntry } from '../harness/run-action.ts';

const tls = (name: string) => fileURLToPath(new URL(`../fixtures/tls/${name}`, import.meta.url));
const trustTestCa = { NODE_EXTRA_CA_CERTS: tls('ca.crt') };
const repo = (path: string) => fileURLToPath(new URL(`../../${path}`, import.meta.url));
/** Prints one line per wasm function compiled: "Compiled function …#20 using Liftoff|TurboFan, took …". */
const traceWasm = ['--trace-wasm-compilation-times'];
const compiledWith = (output: string, tier: 'Liftoff' | 'TurboFan') =>
  output.split('\n').filter((line) => line.startsWith('Compiled function') && line.includes(`using ${tier}`));

function expectProvisioned(run: StepRun, server: { keyOwner(key: string): unknown; connections: number }): void {
  expect(run.exitCode, errorOf(run)).toBe(0);
  expect(server.keyOwner(run.outputs['api-key'] ?? '')).toBeDefined();
  expect(run.outputs.created).toBe('true');
  expect(server.connections).toBe(1);
}

describe.each([
  ['HTTPS', true],
  ['HTTP', false],
])('over %s, answers trickling in chunks with padded headers', (_, secure) => {
  const t = useStandIn({
    trickle: true,
    ...(secure && { tls: { key: readFileSync(tls('server.key')), cert: readFileSync(tls('server.crt')) } }),
  });
  const inputs = () => t.inputs({ 'base-url': secure ? t.server.url.replace('127.0.0.1', 'localhost') : t.server.url });

  it('provisions, and the parser runs on the baseline tier only', async () => {
    const run = await t.main(inputs(), { env: trustTestCa, nodeArgs: traceWasm });
    expectProvisioned(run, t.server);
    expect(t.server.requests.map((r) => r.route)).toEqual(['create', 'login', 'key/create']);
    expect(compiledWith(run.stdout, 'Liftoff').length).toBeGreaterThan(0);
    expect(compiledWith(run.stdout, 'TurboFan')).toEqual([]);
  });

  it('by default the same answers send the parser to the optimizing tier (the cost the action avoids)', async () => {
    // The API page's flow, through Node's own fetch and llhttp, with nothing changed: proves the trace would
    // show a tier-up if the action's flag did not hold.
    const env = {
      PATH: process.env.PATH ?? '',
      ...trustTestCa,
      BASE: inputs()['base-url'] ?? '',
      EMAIL: 'control@yourco.com',
      PASSWORD: 'control-password-0123456789',
    };
    const child = spawn(process.execPath, [...traceWasm, repo('scripts/bench/documented-flow.mjs')], {
      env,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    expect(await new Promise((resolve) => child.on('close', resolve))).toBe(0);
    expect(compiledWith(stdout, 'TurboFan').length).toBeGreaterThan(0);
  });
});

describe('the flag is set only where intended', () => {
  const t = useStandIn({ tls: { key: readFileSync(tls('server.key')), cert: readFileSync(tls('server.crt')) } });

  it('after every module the first request needs has loaded: no built-in code cache is rejected before it is sent', async () => {
    // A V8 flag changed before a built-in module compiles makes Node reject that module's code cache (~25 ms
    // when done at the top of the bundle). Node reports each decision with NODE_DEBUG_NATIVE=CODE_CACHE. What
    // loads later (@actions/core's chunk, see workflow-commands.ts) loads while the first answer is awaited.
    const run = await t.main(t.inputs({ 'base-url': t.server.url.replace('127.0.0.1', 'localhost') }), {
      env: {
        ...trustTestCa,
        NODE_DEBUG_NATIVE: 'CODE_CACHE',
        NODE_OPTIONS: `--require "${fileURLToPath(new URL('../fixtures/mark-first-request.cjs', import.meta.url))}"`,
      },
    });
    expectProvisioned(run, t.server);
    const [beforeFirstRequest, afterIt] = run.stderr.split('FIRST-REQUEST-SENT\n');
    expect(afterIt, 'the first request was never marked').toBeDefined();
    expect(beforeFirstRequest).toMatch(/Code cache of \S+ \(\w+\) is accepted/);
    expect(beforeFirstRequest?.split('\n').filter((line) => line.includes('is rejected'))).toEqual([]);
  });

  it('from one place: wasm-tier.ts sets it, and only createExchange calls that', () => {
    const sources = readdirSync(repo('src'), { recursive: true, encoding: 'utf8' })
      .filter((path) => path.endsWith('.ts'))
      .map((path) => ({ path, text: readFileSync(repo(`src/${path}`), 'utf8') }));
    const where = (pattern: RegExp) => sources.flatMap(({ path, text }) => (text.match(pattern) ?? []).map(() => path));
    expect(where(/setFlagsFromString\(/g)).toEqual(['core/lar/wasm-tier.ts']);
    expect(where(/keepHttpParserOnBaselineTier\(\);/g)).toEqual(['core/lar/transport.ts']);
    const transport = sources.find(({ path }) => path === 'core/lar/transport.ts')?.text ?? '';
    const createExchange = /export function createExchange\([^)]*\)[^{]*\{([^}]*)\}/.exec(transport)?.[1] ?? '';
    expect(createExchange).toMatch(/^\s*keepHttpParserOnBaselineTier\(\);/);
    // The shipped bundle: one flag change, and nothing else in it touches V8 flags.
    const bundle = readFileSync(join(dirname(shippedEntry()), 'lib', 'index.js'), 'utf8');
    expect(bundle.match(/setFlagsFromString\(/g)).toHaveLength(1);
    expect(bundle).toMatch(/setFlagsFromString\(`--wasm-tiering-budget=\$\{\w+\}`\)/);
  });
});
