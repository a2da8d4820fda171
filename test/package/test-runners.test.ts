// Real Playwright and Vitest runs in the installed project, on the package's fixtures: accounts made, handed to the
// tests, and revoked, as counted at the stand-in. Playwright needs no browser here: no test uses `page`.
import { existsSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { it as base, describe, expect } from 'vitest';
import { type StandInLar, startStandIn } from '../stand-in/lar-server.ts';
import { GITHUB, installedProject, readGitHubLog, runNode, runProgram, secretsShown } from './installed.ts';
import { reportTexts } from './reports.ts';

const it = base.extend<{ server: StandInLar }>({
  // biome-ignore lint/correctness/noEmptyPattern: vitest reads a fixture's dependencies from this pattern.
  server: async ({}, use) => {
    const server = await startStandIn();
    await use(server);
    await server.stop();
  },
});

/** What each test of a suite saw: it appends one line to LAR_SEEN. */
interface Seen {
  readonly worker?: number;
  readonly email: string;
  readonly created: boolean;
}

/** The check each test makes, and the line it appends to LAR_SEEN. */
const USE_ACCOUNT = `
async function useAccount(account, worker) {
  const whoami = await fetch(new URL('/stand-in/whoami', account.baseUrl), { headers: { authorization: 'Bearer ' + account.apiKey } });
  expect(whoami.status).toBe(200);
  expect((await whoami.json()).email).toBe(account.email);
  appendFileSync(process.env.LAR_SEEN, JSON.stringify({ worker, email: account.email, created: account.created }) + '\\n');
  if (process.env.LAR_PRINT_SECRETS) console.log('a careless test prints ' + account.apiKey + ' and ' + account.password);
}
`;

const SUITES: Readonly<Record<'playwright' | 'vitest', Readonly<Record<string, string>>>> = {
  playwright: {
    'playwright.config.mjs': `import { defineConfig } from '@playwright/test';
const larOptions = {
  email: process.env.LAR_EMAIL ?? 'qa@yourco.com',
  baseUrl: process.env.LAR_BASE_URL,
  ...(process.env.LAR_PASSWORD && { mode: process.env.LAR_MODE ?? 'existing', passwordEnv: 'LAR_PASSWORD', replaceKey: true }),
  // A user who puts the password where Playwright records it.
  ...(process.env.LAR_PASSWORD_IN_OPTIONS && { password: process.env.LAR_PASSWORD_IN_OPTIONS }),
};
const reports = process.env.LAR_REPORTS;
export { larOptions };
export default defineConfig({
  testDir: '.',
  ...(process.env.LAR_GLOBAL_SETUP && { globalSetup: './lar-setup.mjs' }),
  workers: 2,
  fullyParallel: true,
  // Shorter than a provisioning that waits out a Retry-After: the worker's account must outlast the test timeout.
  timeout: 1500,
  reporter: reports
    ? [
        ['list'],
        ['json', { outputFile: reports + '/report.json' }],
        ['junit', { outputFile: reports + '/junit.xml' }],
        ['html', { outputFolder: reports + '/html', open: 'never' }],
        ['blob', { outputDir: reports + '/blob' }],
      ]
    : 'list',
  use: { larOptions },
});
`,
    'lar-setup.mjs': `import { larGlobalSetup } from 'axiom-provision/playwright';
import { larOptions } from './playwright.config.mjs';
export default larGlobalSetup(larOptions);
`,
    'lar.spec.mjs': `import { appendFileSync } from 'node:fs';
import { expect, test } from 'axiom-provision/playwright';
${USE_ACCOUNT}
for (const n of [1, 2, 3, 4]) {
  test('test ' + n + ' uses its worker\\'s account', async ({ larAccount }, testInfo) => useAccount(larAccount, testInfo.parallelIndex));
}
`,
  },
  vitest: {
    'vitest.config.mjs': `import { defineConfig } from 'vitest/config';
const reports = process.env.LAR_REPORTS;
export default defineConfig({
  test: {
    globalSetup: ['./lar-setup.mjs'],
    include: ['*.test.mjs'],
    ...(reports && { reporters: ['default', 'json', 'junit'], outputFile: { json: reports + '/report.json', junit: reports + '/junit.xml' } }),
  },
});
`,
    'lar-setup.mjs': `import { larGlobalSetup } from 'axiom-provision/vitest';
export default larGlobalSetup({
  email: process.env.LAR_EMAIL ?? 'qa@yourco.com',
  baseUrl: process.env.LAR_BASE_URL,
  ...(process.env.LAR_PASSWORD && { mode: process.env.LAR_MODE, passwordEnv: 'LAR_PASSWORD' }),
});
`,
    ...Object.fromEntries(
      ['first', 'second'].map((name) => [
        `${name}.test.mjs`,
        `import { appendFileSync } from 'node:fs';
import { expect, inject, test } from 'vitest';
${USE_ACCOUNT}
test('the run\\'s account', () => useAccount(inject('larAccount')));
`,
      ]),
    ),
  },
};

/** Writes a suite into a folder of the installed project; `seen()` reads what its tests appended to LAR_SEEN. */
function writeSuite(runner: keyof typeof SUITES, server: StandInLar) {
  const dir = mkdtempSync(join(installedProject(), `${runner}-`));
  for (const [name, source] of Object.entries(SUITES[runner])) writeFileSync(join(dir, name), source);
  const seenFile = join(dir, 'seen.jsonl');
  writeFileSync(seenFile, '');
  const seen = (): Seen[] =>
    readFileSync(seenFile, 'utf8')
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as Seen);
  return { dir, env: { LAR_BASE_URL: server.url, LAR_SEEN: seenFile }, seen };
}

/** Writes a suite and runs it with the runner's own command. */
async function runSuite(runner: keyof typeof SUITES, server: StandInLar, env: Record<string, string> = {}, exitCode = 0) {
  const suite = writeSuite(runner, server);
  const command = runner === 'playwright' ? ['test'] : ['run'];
  const run = await runNode([join(installedProject(), 'node_modules', '.bin', runner), ...command], {
    cwd: suite.dir,
    env: { ...env, ...suite.env },
    timeoutMs: 60_000,
  });
  expect(run.exitCode, run.stdout + run.stderr).toBe(exitCode);
  const { leaks, masked } = readGitHubLog(run, server.secrets, 'stdout');
  expect(leaks).toEqual([]);
  return { run, seen: suite.seen(), masked };
}

/** A folder for a run's reports (LAR_REPORTS). */
const reportsFolder = (): string => mkdtempSync(join(installedProject(), 'reports-'));
const PLAYWRIGHT_REPORTS = [/\/report\.json$/, /\/junit\.xml$/, /\/html\/index\.html:embedded\.zip:/, /\/blob\/[^:]+\.zip:/];
const VITEST_REPORTS = [/\/report\.json$/, /\/junit\.xml$/];

/** The text of every report in `dir`, zips opened; each of `kinds` must be among them, so no check passes on nothing. */
function everyReport(dir: string, kinds: readonly RegExp[]): string {
  const texts = reportTexts(dir);
  for (const kind of kinds)
    expect(
      [...texts.keys()].some((name) => kind.test(name)),
      `a report matching ${kind}`,
    ).toBe(true);
  return [...texts.values()].join('\n');
}

/** An account handed in, as the action's export-env or `axiom-provision open` leaves it. */
function handedIn(server: StandInLar) {
  const user = server.seedUser('qa+from-ci@yourco.com', 'Jr4kW9-handed-in-pw-Q2xv', { apiKey: true });
  const env = { AXIOM_API_KEY: user.apiKey ?? '', AXIOM_EMAIL: user.email, AXIOM_BASE_URL: server.url };
  return { user, env };
}

/** The account was used as it was: nothing sent to LAR's routes (only the tests' whoami), and its key still works. */
function expectUntouched(server: StandInLar, user: ReturnType<typeof handedIn>['user'], seen: readonly Seen[]): void {
  expect(server.requests.filter((request) => request.route !== 'other')).toEqual([]);
  expect(server.users.size).toBe(1);
  expect(user.keys).toHaveLength(1);
  expect(server.keyOwner(user.keys[0] ?? '')).toBe(user);
  expect(seen.every((s) => s.email === user.email && !s.created)).toBe(true);
}

describe('playwright test, two workers', () => {
  it('makes one account per worker, its tag carrying the worker index, and revokes both at teardown', async ({ server }) => {
    // Each worker's first create is answered 503, Retry-After 2: its provisioning takes longer than a test may.
    server.inject('create', ...Array.from({ length: 2 }, () => ({ kind: 'status', status: 503, retryAfter: '2' }) as const));
    const { seen } = await runSuite('playwright', server);
    expect(seen).toHaveLength(4);
    const users = [...server.users.values()];
    expect(users).toHaveLength(2);
    for (const worker of [0, 1]) {
      const user = users.find((u) => new RegExp(`^qa\\+local-[a-z0-9]+-w${worker}-[a-z0-9]+@yourco\\.com$`).test(u.email));
      expect(user, `worker ${worker}'s account`).toBeDefined();
      const ran = seen.filter((s) => s.worker === worker);
      expect(ran.length, `tests on worker ${worker}`).toBeGreaterThan(0);
      expect(ran.every((s) => s.email === user?.email && s.created)).toBe(true);
      expect(user?.keys).toHaveLength(2);
      expect(server.keyOwner(user?.keys[0] ?? '')).toBeUndefined();
    }
    expect(server.count('create')).toBe(4);
    expect(server.count('login')).toBe(4);
  });

  it('uses AXIOM_API_KEY and AXIOM_EMAIL when set: no account made, nothing revoked', async ({ server }) => {
    const { user, env } = handedIn(server);
    const { seen } = await runSuite('playwright', server, env);
    expect(seen).toHaveLength(4);
    expectUntouched(server, user, seen);
  });
});

describe('vitest run, with the global setup', () => {
  it('makes one account for the run, gives it to every test file, revokes it at teardown, and keeps it out of the reports', async ({
    server,
  }) => {
    const reports = reportsFolder();
    const { seen } = await runSuite('vitest', server, { LAR_REPORTS: reports });
    expect(secretsShown(everyReport(reports, VITEST_REPORTS), server.secrets)).toEqual([]);
    const [user, ...others] = server.users.values();
    expect(others).toEqual([]);
    expect(user?.email).toMatch(/^qa\+local-[a-z0-9]+-vitest-[a-z0-9]+@yourco\.com$/);
    expect(seen).toEqual([
      { email: user?.email, created: true },
      { email: user?.email, created: true },
    ]);
    expect(user?.keys).toHaveLength(2);
    expect(server.keyOwner(user?.keys[0] ?? '')).toBeUndefined();
    expect(server.count('login')).toBe(2);
  });

  it('uses AXIOM_API_KEY and AXIOM_EMAIL when set: no account made, nothing revoked', async ({ server }) => {
    const { user, env } = handedIn(server);
    const { seen } = await runSuite('vitest', server, env);
    expect(seen).toHaveLength(2);
    expectUntouched(server, user, seen);
  });
});

describe.concurrent('in GitHub Actions', () => {
  it("vitest: masks the account's key and password before a test can print them, and nothing it never hands out", async ({ server }) => {
    const { masked } = await runSuite('vitest', server, { ...GITHUB, LAR_PRINT_SECRETS: '1' });
    const [user, ...others] = server.users.values();
    expect(others).toEqual([]);
    expect(user?.email).toMatch(/^qa\+gh-4242-2-/);
    // The key the tests got, not the replacement minted at teardown, and none of the login tokens.
    expect(masked).toEqual(new Set([user?.password, user?.keys[0]]));
  });

  it("playwright: prints no mask, since a worker's output goes into its reports, and no report holds a secret", async ({ server }) => {
    const reports = reportsFolder();
    const { run, masked } = await runSuite('playwright', server, { ...GITHUB, LAR_REPORTS: reports });
    expect(masked.size).toBe(0);
    expect(run.stdout + run.stderr).not.toContain('::add-mask::');
    expect(secretsShown(everyReport(reports, PLAYWRIGHT_REPORTS), server.secrets)).toEqual([]);
    expect(server.users.size).toBe(2);
  });
});

describe('playwright test, with larGlobalSetup', () => {
  it('in GitHub Actions, with a report printed to a stdout kept in a file: no mask line, and no secret, lands in it', async ({
    server,
  }) => {
    const suite = writeSuite('playwright', server);
    const bin = join(installedProject(), 'node_modules', '.bin', 'playwright');
    const run = await runProgram('sh', ['-c', `"${process.execPath}" "${bin}" test --reporter=json > results.json`], {
      cwd: suite.dir,
      env: { ...GITHUB, LAR_GLOBAL_SETUP: '1', ...suite.env },
      timeoutMs: 60_000,
    });
    expect(run.exitCode, run.stderr).toBe(0);
    const report = readFileSync(join(suite.dir, 'results.json'), 'utf8');
    expect(report).not.toContain('::add-mask::');
    expect(() => JSON.parse(report)).not.toThrow();
    expect(secretsShown(report + run.stderr, server.secrets)).toEqual([]);
    expect(server.users.size).toBe(1);
  });
  it('in GitHub Actions: one account for the run, masked before a test prints it, kept out of the report, revoked at the end', async ({
    server,
  }) => {
    const reports = reportsFolder();
    const env = { ...GITHUB, LAR_GLOBAL_SETUP: '1', LAR_PRINT_SECRETS: '1', LAR_REPORTS: reports };
    const { seen, masked } = await runSuite('playwright', server, env);
    const [user, ...others] = server.users.values();
    expect(others).toEqual([]);
    expect(user?.email).toMatch(/^qa\+gh-4242-2-playwright-[a-z0-9]+@yourco\.com$/);
    expect(seen).toHaveLength(4);
    expect(new Set(seen.map((s) => s.worker))).toEqual(new Set([0, 1]));
    expect(seen.every((s) => s.email === user?.email)).toBe(true);
    expect(masked).toContain(user?.password);
    expect(masked).toContain(user?.keys[0]);
    expect(everyReport(reports, PLAYWRIGHT_REPORTS)).not.toContain('::add-mask::');
    expect(user?.keys).toHaveLength(2);
    expect(server.keyOwner(user?.keys[0] ?? '')).toBeUndefined();
  });

  it('mode existing: one login for the run, whatever the workers, and the password in no report', async ({ server }) => {
    const user = server.seedUser('fixed@yourco.com', 'Rk2vQ9-the-right-one-x7Zp', { apiKey: true });
    const reports = reportsFolder();
    const env = { LAR_GLOBAL_SETUP: '1', LAR_EMAIL: user.email, LAR_PASSWORD: user.password, LAR_REPORTS: reports };
    const { seen } = await runSuite('playwright', server, env);
    const reported = everyReport(reports, PLAYWRIGHT_REPORTS);
    // Playwright records larOptions: the variable's name is there, and nothing of what it holds.
    expect(reported).toMatch(/"passwordEnv": ?"LAR_PASSWORD"/);
    expect(secretsShown(reported, server.secrets)).toEqual([]);
    expect(seen).toHaveLength(4);
    expect(seen.every((s) => s.email === user.email)).toBe(true);
    // One login to mint the run's key, one at teardown to revoke it.
    expect(server.count('login')).toBe(2);
    expect(user.keys).toHaveLength(3);
    expect(server.keyOwner(user.keys[1] ?? '')).toBeUndefined();
  });
});

describe('playwright test, the per-worker fixture', () => {
  it.for(['existing', ' existing', 'existing\t'])(
    'refuses mode %j before any request: each worker, and each restarted one, would log in again',
    async (mode, { server }) => {
      const user = server.seedUser('fixed@yourco.com', 'Rk2vQ9-the-right-one-x7Zp', { apiKey: true });
      const env = { LAR_EMAIL: user.email, LAR_PASSWORD: 'Wq8nT3-a-wrong-one-b5Lc', LAR_MODE: mode };
      const { run, seen } = await runSuite('playwright', server, env, 1);
      expect(run.stdout).toContain("'mode' existing does not fit the Playwright fixture");
      expect(seen).toEqual([]);
      expect(server.requests).toEqual([]);
      expect(user.failedLoginsCounted).toBe(0);
    },
  );

  it('refuses a password in larOptions, saying to name its variable with passwordEnv, before any request', async ({ server }) => {
    const password = 'Jr4kW9-zq8Lm3Xv-Nt5Rp2Yw-Q2xv';
    const { run, seen } = await runSuite('playwright', server, { LAR_PASSWORD_IN_OPTIONS: password }, 1);
    expect(run.stdout).toContain("'password' is not taken here");
    expect(run.stdout).toContain("passwordEnv: 'AXIOM_PASSWORD'");
    expect(secretsShown(run.stdout + run.stderr, [password])).toEqual([]);
    expect(seen).toEqual([]);
    expect(server.requests).toEqual([]);
  });
});

describe('vitest run, mode existing', () => {
  it('without replaceKey is refused before any request, naming the options as the setup spells them', async ({ server }) => {
    const user = server.seedUser('fixed@yourco.com', 'Rk2vQ9-the-right-one-x7Zp', { apiKey: true });
    const env = { LAR_EMAIL: user.email, LAR_PASSWORD: user.password, LAR_MODE: ' existing' };
    const { run, seen } = await runSuite('vitest', server, env, 1);
    expect(run.stdout + run.stderr).toContain("'mode' existing needs 'replaceKey' set to true with Vitest's larGlobalSetup");
    expect(run.stdout + run.stderr).not.toMatch(/revoke-?on-?exit|replace-key/i);
    expect(seen).toEqual([]);
    expect(server.requests).toEqual([]);
  });
});

describe('the recipe for one account per run, in docs/cli.md', () => {
  it('runs as written: one account for every worker, which the fixture neither makes nor revokes, revoked at the end', async ({
    server,
  }) => {
    const doc = readFileSync(new URL('../../docs/cli.md', import.meta.url), 'utf8');
    const recipe = /^## One account for a whole test run\n[\s\S]*?^```sh\n([\s\S]*?)^```$/m.exec(doc)?.[1];
    expect(recipe, 'the sh block under "One account for a whole test run"').toBeDefined();
    const suite = writeSuite('playwright', server);
    symlinkSync(join(installedProject(), 'node_modules'), join(suite.dir, 'node_modules'));
    // The one change: the stand-in's URL, where a user's run talks to lar.axiom.ai.
    const script = (recipe ?? '').replace('create --email qa@yourco.com', `create --email qa@yourco.com --base-url ${server.url}`);
    const run = await runProgram('sh', ['-c', script], { cwd: suite.dir, env: suite.env, timeoutMs: 60_000 });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(secretsShown(run.stdout + run.stderr, server.secrets)).toEqual([]);
    const [user, ...others] = server.users.values();
    expect(others).toEqual([]);
    const seen = suite.seen();
    expect(seen).toHaveLength(4);
    expect(seen.every((s) => s.email === user?.email && !s.created)).toBe(true);
    expect(server.count('create')).toBe(1);
    expect(server.count('login')).toBe(2);
    expect(user?.keys).toHaveLength(2);
    expect(server.keyOwner(user?.keys[0] ?? '')).toBeUndefined();
    expect(existsSync(join(suite.dir, '.env.axiom'))).toBe(false);
  });
});
