// The GitLab recipe of docs/gitlab.md, run as the doc gives it by gitlab-ci-local, the way a user's pipeline runs it:
// the package packed and installed from its tarball, the jobs in a shell, the handoff carried by the dotenv report,
// against the stand-in LAR. The recipe is read out of the doc, so the two cannot drift apart.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StandInLar, startStandIn } from '../stand-in/lar-server.ts';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
/** Node 24 (the `node` devDependency) and gitlab-ci-local: the jobs' `npx` and `node` find them here too. */
const BIN = join(REPO, 'node_modules', '.bin');
const PIECE = 8;
const EMAIL = 'gitlab-recipe@example.com';

/** The first yaml block of docs/gitlab.md: the recipe users copy. */
function documentedRecipe(): string {
  const recipe = /^```yaml\n([\s\S]*?)^```$/m.exec(readFileSync(join(REPO, 'docs/gitlab.md'), 'utf8'))?.[1];
  if (recipe === undefined) throw new Error('docs/gitlab.md has no yaml block');
  return recipe;
}

/**
 * Stands for the user's tests: proves the key opened from the handoff works, for the account it names, then fails
 * as failing tests do, so the run also shows that the revoke job runs after them.
 */
const USER_TESTS = `const response = await fetch(\`\${process.env.AXIOM_BASE_URL}/stand-in/whoami\`, {
  headers: { authorization: \`Bearer \${process.env.AXIOM_API_KEY}\` },
});
const owner = response.ok ? (await response.json()).email : undefined;
console.log(owner !== undefined && owner === process.env.AXIOM_EMAIL ? \`the key works for \${owner}\` : 'the key does not work');
process.exitCode = 1;
`;

interface Finished {
  readonly code: number;
  readonly output: string;
}

function run(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<Finished> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd, env, maxBuffer: 64 << 20 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
      resolve({ code, output: `${stdout}${stderr}` });
    });
  });
}

async function mustRun(command: string, args: readonly string[], cwd: string): Promise<void> {
  const { code, output } = await run(command, args, cwd);
  if (code !== 0) throw new Error(`${command} ${args.join(' ')} failed (${code}):\n${output}`);
}

/** The host's environment without any CI's variables or an account of its own: the pipeline sets those. */
function hostEnv(): NodeJS.ProcessEnv {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !/^(CI|CI_.*|GITHUB_.*|RUNNER_.*|GITLAB_.*|AXIOM_.*)$/.test(name)),
  );
  // Offline: `npx axiom-provision@1` must run the packed copy, never fetch a release from the registry.
  return { ...env, PATH: `${BIN}${delimiter}${env.PATH ?? ''}`, npm_config_offline: 'true' };
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

/** Each run of PIECE characters of a secret that shows in the text. */
function piecesIn(text: string, secrets: Iterable<string>): string[] {
  const found = new Set<string>();
  for (const secret of secrets) {
    for (let at = 0; at + PIECE <= secret.length; at++) {
      if (text.includes(secret.slice(at, at + PIECE))) found.add(`${secret.slice(0, 3)}… (${secret.length} characters)`);
    }
  }
  return [...found];
}

describe('the GitLab recipe of docs/gitlab.md, under gitlab-ci-local', () => {
  let server: StandInLar;
  let dir: string;
  let project: string;

  beforeAll(async () => {
    server = await startStandIn();
    dir = mkdtempSync(join(tmpdir(), 'axiom-provision-gitlab-'));
    project = join(dir, 'project');
    mkdirSync(project);
    // What a user installs: the tarball `npm pack` makes (its prepack builds lib/), with its production dependencies.
    await mustRun('npm', ['pack', '--pack-destination', dir], REPO);
    const tarball = readdirSync(dir).find((name) => name.endsWith('.tgz'));
    if (tarball === undefined) throw new Error('npm pack made no tarball');
    writeFileSync(
      join(project, 'package.json'),
      JSON.stringify({ private: true, scripts: { test: 'node --env-file=.env.axiom user-tests.mjs' } }),
    );
    writeFileSync(join(project, 'user-tests.mjs'), USER_TESTS);
    writeFileSync(join(project, '.gitlab-ci.yml'), documentedRecipe());
    await mustRun(
      'npm',
      ['install', '--prefer-offline', '--no-audit', '--no-fund', '--omit=dev', '--omit=peer', join(dir, tarball)],
      project,
    );
    // gitlab-ci-local reads the project's path from the git remote, as GitLab names it (CI_PROJECT_PATH).
    await mustRun('git', ['init', '--quiet'], project);
    await mustRun('git', ['remote', 'add', 'origin', 'https://gitlab.example.com/acme/app.git'], project);
    await mustRun('git', ['symbolic-ref', 'refs/remotes/origin/HEAD', 'refs/remotes/origin/main'], project);
    await mustRun('git', ['add', '.gitlab-ci.yml', 'package.json', 'package-lock.json', 'user-tests.mjs'], project);
    await mustRun('git', ['-c', 'user.name=test', '-c', 'user.email=test@example.com', 'commit', '--quiet', '-m', 'recipe'], project);
  });

  afterAll(async () => {
    await server?.stop();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it('provisions one account, hands its key to the test job, revokes it after failed tests, and prints no secret', async () => {
    const handoffSecret = randomBytes(32).toString('base64');
    const pipeline = await run(
      join(BIN, 'gitlab-ci-local'),
      [
        '--home',
        join(dir, 'home'),
        // The recipe's image is for GitLab's runners: here the jobs run in this shell, with the packed CLI.
        '--force-shell-executor',
        // gitlab-ci-local says GITLAB_CI=false, for scripts that act differently off GitLab; GitLab says true.
        '--variable',
        'GITLAB_CI=true',
        '--ignore-predefined-vars',
        'GITLAB_CI',
        '--variable',
        `LAR_EMAIL=${EMAIL}`,
        '--variable',
        `LAR_BASE_URL=${server.url}`,
        '--variable',
        `AXIOM_HANDOFF_SECRET=${handoffSecret}`,
        '--no-color',
      ],
      project,
      hostEnv(),
    );
    const log = pipeline.output;

    expect(log).toMatch(/PASS\s+lar-account/);
    expect(log).toMatch(/FAIL\s+e2e/);
    expect(log).toMatch(/PASS\s+lar-revoke/);
    expect(pipeline.code).toBe(1);

    // One account, its tag carrying the pipeline and job ids.
    const users = [...server.users.values()];
    expect(users).toHaveLength(1);
    const [user] = users;
    if (user === undefined) throw new Error('no account');
    expect(user.email).toMatch(/^gitlab-recipe\+gl-\d+-\d+-[a-z0-9]{6}@example\.com$/);
    expect(log).toContain(`the key works for ${user.email}`);
    // The key lar-account minted, used by e2e, then replaced by lar-revoke's key, which it threw away.
    const [minted, replacement] = user.keys;
    expect(user.keys).toHaveLength(2);
    expect(server.keyOwner(minted ?? '')).toBeUndefined();
    expect(user.apiKey).toBe(replacement);
    expect(user.failedLoginsCounted).toBe(0);
    expect(server.requests.map(({ route, path }) => (route === 'other' ? path : route))).toEqual([
      'create',
      'login',
      'key/create',
      '/stand-in/whoami',
      'login',
      'key/create',
    ]);
    expect(server.requests[3]?.authorization).toBe(`Bearer ${minted}`);

    // The dotenv report carries the handoff, the address and the user id: nothing secret.
    const report = readFileSync(join(project, 'handoff.env'), 'utf8');
    expect([...report.matchAll(/^(\w+)=/gm)].map((match) => match[1])).toEqual(['AXIOM_HANDOFF', 'AXIOM_EMAIL', 'AXIOM_USER_ID']);
    expect(statSync(join(project, '.env.axiom')).mode & 0o777).toBe(0o600);

    // No piece of any secret in the log, nor in anything gitlab-ci-local kept (job logs, artifacts).
    const secrets = [...server.secrets, handoffSecret];
    expect(secrets.length).toBeGreaterThanOrEqual(6);
    expect(piecesIn(log, secrets)).toEqual([]);
    for (const file of [join(project, 'handoff.env'), ...filesUnder(join(project, '.gitlab-ci-local'))]) {
      expect(piecesIn(readFileSync(file, 'latin1'), secrets), file).toEqual([]);
    }
  });
});
