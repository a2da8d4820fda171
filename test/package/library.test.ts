// The installed library, imported by a user's script: `import { provision, revoke } from 'axiom-provision'`.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { it as base, describe, expect } from 'vitest';
import { type StandInLar, startStandIn } from '../stand-in/lar-server.ts';
import { installedProject, oldestNode, runNode, secretsShown } from './installed.ts';

const it = base.extend<{ server: StandInLar }>({
  // biome-ignore lint/correctness/noEmptyPattern: vitest reads a fixture's dependencies from this pattern.
  server: async ({}, use) => {
    const server = await startStandIn();
    await use(server);
    await server.stop();
  },
});

/** Runs a module in the installed project, as a user's script; it gets the stand-in's URL as LAR_BASE_URL. */
async function script(source: string, server: StandInLar, env: Record<string, string> = {}, node?: string) {
  const file = join(mkdtempSync(join(installedProject(), 'script-')), 'script.mjs');
  writeFileSync(file, source);
  const run = await runNode([file], { env: { ...env, LAR_BASE_URL: server.url }, node });
  expect(run.stderr).toBe('');
  expect(run.exitCode).toBe(0);
  // The script prints one line; the library prints nothing.
  expect(run.stdout.split('\n')).toHaveLength(2);
  return JSON.parse(run.stdout) as Record<string, unknown>;
}

describe.concurrent('provision and revoke', () => {
  it.for(['Node 24', 'the oldest Node the engines allow'])(
    'on %s, provisions a plain, serializable account whose key works, and revoke ends it',
    async (which, { server }) => {
      const printed = await script(
        `import { provision, revoke } from 'axiom-provision';
const lines = [];
const masked = [];
const account = await provision({
  email: 'qa@yourco.com',
  baseUrl: process.env.LAR_BASE_URL,
  log: (line) => lines.push(line),
  mask: (secret) => masked.push(secret),
});
const whoami = await fetch(new URL('/stand-in/whoami', account.baseUrl), { headers: { authorization: 'Bearer ' + account.apiKey } });
await revoke(JSON.parse(JSON.stringify(account)), { log: (line) => lines.push(line) });
console.log(JSON.stringify({ account, keyWorked: whoami.status === 200, lines, masked, node: process.version }));
`,
        server,
        {},
        which === 'Node 24' ? undefined : oldestNode(),
      );
      expect(printed.node).toMatch(which === 'Node 24' ? /^v24\./ : /^v22\.19\.0$/);
      const [user, ...others] = server.users.values();
      expect(others).toEqual([]);
      expect(printed.account).toEqual({
        email: user?.email,
        userId: String(user?.id),
        apiKey: user?.keys[0],
        password: user?.password,
        created: true,
        baseUrl: server.url,
      });
      expect(printed.keyWorked).toBe(true);
      expect(user?.keys).toHaveLength(2);
      expect(server.keyOwner(user?.keys[0] ?? '')).toBeUndefined();
      expect(server.count('login')).toBe(2);
      // The caller's log got progress lines, none with a secret; its masker got each secret first.
      expect((printed.lines as string[]).length).toBeGreaterThan(0);
      expect(secretsShown((printed.lines as string[]).join('\n'), server.secrets)).toEqual([]);
      expect(printed.masked).toEqual(expect.arrayContaining([user?.password, user?.keys[0]]));
    },
  );
});

interface Outcome {
  readonly axiomError: boolean;
  readonly code: string;
  readonly message: string;
}

/** Tries each case of CASES (name: options) and prints how each ended. */
const OUTCOMES = `import { AxiomError, provision } from 'axiom-provision';
const outcomes = {};
for (const [name, options] of Object.entries(JSON.parse(process.env.CASES))) {
  if (options.aborted) {
    delete options.aborted;
    options.signal = AbortSignal.abort();
  }
  options.baseUrl ??= process.env.LAR_BASE_URL;
  try {
    await provision(options);
    outcomes[name] = 'resolved';
  } catch (error) {
    outcomes[name] = { axiomError: error instanceof AxiomError, code: error.code, message: error.message };
  }
}
console.log(JSON.stringify(outcomes));
`;

describe.concurrent('typed errors', () => {
  it('rejects bad options with code input, naming the option, and sends nothing', async ({ server }) => {
    const cases = {
      email: { email: 'not-an-address' },
      timeout: { email: 'qa@yourco.com', timeoutSeconds: 1 },
      mode: { email: 'qa@yourco.com', mode: 'steal' },
      baseUrl: { email: 'qa@yourco.com', baseUrl: 'ftp://lar.example' },
      noPassword: { email: 'fixed@yourco.com', mode: 'existing' },
    };
    const outcomes = (await script(OUTCOMES, server, {
      CASES: JSON.stringify({ ...cases, aborted: { email: 'qa@yourco.com', aborted: true } }),
    })) as Record<string, Outcome>;
    for (const [name, outcome] of Object.entries(outcomes).filter(([name]) => name !== 'aborted')) {
      expect(outcome, name).toMatchObject({ axiomError: true, code: 'input' });
      expect(outcome.message, name).toMatch(/No request was sent/);
    }
    expect(outcomes.email?.message).toContain("'email'");
    expect(outcomes.timeout?.message).toContain("'timeoutSeconds'");
    expect(outcomes.aborted).toMatchObject({ axiomError: true, code: 'aborted' });
    expect(server.requests).toEqual([]);
  });

  it('rejects a wrong password in mode existing with code wrong-password, after one login', async ({ server }) => {
    const user = server.seedUser('fixed@yourco.com', 'Rk2vQ9-the-right-one-x7Zp');
    const cases = { wrong: { email: 'fixed@yourco.com', mode: 'existing', password: 'Wq8nT3-a-wrong-one-b5Lc' } };
    const { wrong } = (await script(OUTCOMES, server, { CASES: JSON.stringify(cases) })) as Record<string, Outcome>;
    expect(wrong).toMatchObject({ axiomError: true, code: 'wrong-password' });
    expect(secretsShown(wrong?.message ?? '', server.secrets)).toEqual([]);
    expect(server.count('login')).toBe(1);
    expect(user.failedLoginsCounted).toBe(1);
  });

  it('rejects a taken address at a fixed tag with code email-exists, naming options the library way', async ({ server }) => {
    server.seedUser('qa+nightly@yourco.com', 'Rk2vQ9-the-owners-one-x7Zp');
    const cases = { taken: { email: 'qa@yourco.com', emailTag: 'nightly' } };
    const { taken } = (await script(OUTCOMES, server, { CASES: JSON.stringify(cases) })) as Record<string, Outcome>;
    expect(taken).toMatchObject({ axiomError: true, code: 'email-exists' });
    expect(taken?.message).toMatch(/already registered.*Set a different 'emailTag'.*use 'mode' existing/);
    expect(server.count('login')).toBe(0);
  });
});

describe.concurrent("options of the caller's own making", () => {
  it('counts only own properties of the documented kinds, and a throwing getter or callback is a typed error', async ({ server }) => {
    const user = server.seedUser('fixed@yourco.com', 'Rk2vQ9-the-right-one-x7Zp', { apiKey: true });
    const printed = await script(
      `import { AxiomError, provision } from 'axiom-provision';
const baseUrl = process.env.LAR_BASE_URL;
const boom = () => { throw new Error('the caller said Rk2vQ9-the-right-one-x7Zp'); };
const outcomes = {};
async function outcome(name, options) {
  try {
    await provision(options);
    outcomes[name] = 'resolved';
  } catch (error) {
    outcomes[name] = { axiomError: error instanceof AxiomError, code: error.code, message: error.message };
  }
}
Object.prototype.password = 'Rk2vQ9-the-right-one-x7Zp';
await outcome('inherited', { email: 'fixed@yourco.com', mode: 'existing', replaceKey: true, baseUrl });
delete Object.prototype.password;
await outcome('symbol', { email: 'fixed@yourco.com', mode: 'existing', password: Symbol('x'), baseUrl });
await outcome('getter', Object.defineProperty({ email: 'qa@yourco.com', baseUrl }, 'mode', { enumerable: true, get: boom }));
await outcome('proxy', new Proxy({ email: 'qa@yourco.com', baseUrl }, { ownKeys: boom }));
await outcome('env', { email: 'qa@yourco.com', baseUrl, env: Object.defineProperty({}, 'GITHUB_ACTIONS', { enumerable: true, get: boom }) });
await outcome('log', { email: 'qa@yourco.com', baseUrl, log: boom });
const masked = [];
await outcome('maskOnTheKey', {
  email: 'qa@yourco.com',
  baseUrl,
  mask: (secret) => {
    masked.push(secret);
    if (secret.startsWith('axm_')) boom();
  },
});
console.log(JSON.stringify({ outcomes, masked }));
`,
      server,
    );
    const outcomes = printed.outcomes as Record<string, Outcome>;
    for (const name of ['inherited', 'symbol', 'getter', 'proxy', 'env']) {
      expect(outcomes[name], name).toMatchObject({
        axiomError: true,
        code: 'input',
        message: expect.stringMatching(/No request was sent/),
      });
    }
    expect(outcomes.inherited?.message).toContain("'password' is required with mode existing");
    expect(outcomes.symbol?.message).toContain("'password' must be a string");
    expect(outcomes.log).toMatchObject({ axiomError: true, code: 'callback' });
    expect(outcomes.maskOnTheKey).toMatchObject({ axiomError: true, code: 'callback' });
    for (const [name, outcome] of Object.entries(outcomes)) expect(secretsShown(outcome.message, server.secrets), name).toEqual([]);
    // Nothing reached the account given in the wrong ways, and the log stopped the flow before its first request.
    expect(user.failedLoginsCounted).toBe(0);
    expect(server.count('login')).toBe(1);
    // The key the mask threw on was minted, and nobody was given it but the mask: the account lives on, its key unreturned.
    const [, made] = server.users.values();
    expect(made?.keys).toHaveLength(1);
    expect(printed.masked).toContain(made?.keys[0]);
  });
});
