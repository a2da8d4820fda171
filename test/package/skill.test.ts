// The agent skill's commands, run as written (only the stand-in's origin added to create) in a git work tree inside
// the project where the packed core is installed: what an agent following skills/axiom-provision/SKILL.md does.

import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { startStandIn } from '../stand-in/lar-server.ts';
import { installedProject, runProgram, secretsShown } from './installed.ts';

const SKILL = fileURLToPath(new URL('../../skills/axiom-provision/SKILL.md', import.meta.url));
const commands = () => [...readFileSync(SKILL, 'utf8').matchAll(/^```sh\n([\s\S]*?)^```$/gm)].map((match) => match[1] ?? '');

it("the skill's commands make an account into a git-ignored 0600 file, use it, and revoke it, printing no secret", async () => {
  const blocks = commands();
  expect(blocks).toHaveLength(4);
  const [look = '', make = '', use = '', revoke = ''] = blocks;
  const server = await startStandIn();
  const dir = mkdtempSync(join(installedProject(), 'agent-'));
  execFileSync('git', ['init', '--quiet'], { cwd: dir });
  // The program the skill's "use" step stands for: it proves it got the key, by a hash that is no piece of it.
  writeFileSync(
    join(dir, 'check-key.mjs'),
    `import { createHash } from 'node:crypto';\nconsole.log(createHash('sha256').update(process.env.AXIOM_API_KEY ?? '').digest('hex'));\n`,
  );
  // Offline: npx must find the installed command, and never fetch a package of that name.
  // Standard input is left open and unwritten: a command that exits at once would otherwise fail the write.
  const sh = (script: string) =>
    runProgram('sh', ['-c', script], { cwd: dir, holdStdin: true, env: { HOME: installedProject(), npm_config_offline: 'true' } });
  // A .gitignore whose last line has no line break: the entry must not be glued onto it.
  writeFileSync(join(dir, '.gitignore'), 'node_modules');
  try {
    const before = await sh(look);
    expect(before.exitCode).not.toBe(0);
    expect(before.stdout).toBe('');

    const made = await sh(make.replace('create --email qa@yourco.com', `create --email qa@yourco.com --base-url ${server.url}`));
    expect(made.exitCode, made.stderr).toBe(0);
    const user = [...server.users.values()][0];
    expect(server.users.size).toBe(1);
    expect(statSync(join(dir, '.env.axiom')).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(dir, '.gitignore'), 'utf8')).toBe('node_modules\n/.env.axiom\n');
    expect(execFileSync('git', ['check-ignore', 'node_modules'], { cwd: dir, encoding: 'utf8' })).toBe('node_modules\n');
    expect(execFileSync('git', ['status', '--porcelain'], { cwd: dir, encoding: 'utf8' })).toBe('?? .gitignore\n?? check-key.mjs\n');

    const found = await sh(look);
    expect(found.stdout).toBe(`AXIOM_EMAIL=${user?.email}\nAXIOM_USER_ID=${user?.id}\nAXIOM_CREATED=true\n`);

    const used = await sh(use);
    expect(used.stdout).toBe(
      `${createHash('sha256')
        .update(user?.apiKey ?? '')
        .digest('hex')}\n`,
    );

    const apiKey = user?.apiKey ?? '';
    const revoked = await sh(revoke);
    expect(revoked.exitCode, revoked.stderr).toBe(0);
    expect(server.keyOwner(apiKey)).toBeUndefined();
    expect(existsSync(join(dir, '.env.axiom'))).toBe(false);

    const printed = [before, made, found, used, revoked].map((run) => run.stdout + run.stderr).join('\n');
    expect(secretsShown(printed, server.secrets)).toEqual([]);
  } finally {
    await server.stop();
  }
});

it("the skill's revoke step leaves alone a person's own account file and its key", async () => {
  const revoke = commands()[3] ?? '';
  const server = await startStandIn();
  const owner = server.seedUser('qa@yourco.com', 'the-owners-password-1', { apiKey: true });
  const dir = mkdtempSync(join(installedProject(), 'person-'));
  const sh = (script: string, env: Record<string, string> = {}) =>
    runProgram('sh', ['-c', script], { cwd: dir, holdStdin: true, env: { HOME: installedProject(), npm_config_offline: 'true', ...env } });
  try {
    const kept = await sh(
      `npx axiom-provision create --mode existing --replace-key --email qa@yourco.com --password-env PW --base-url ${server.url} --output .env.axiom`,
      { PW: 'the-owners-password-1' },
    );
    expect(kept.exitCode, kept.stderr).toBe(0);
    const ownersKey = owner.apiKey;
    const sent = server.requests.length;
    const refused = await sh(revoke);
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toContain('--replace-key');
    expect(server.requests.length).toBe(sent);
    expect(owner.apiKey).toBe(ownersKey);
    expect(existsSync(join(dir, '.env.axiom'))).toBe(true);
  } finally {
    await server.stop();
  }
});

it("the skill's git-ignore line adds the account file when git cannot answer, as in a folder git does not own", async () => {
  const ignoreLine = (commands()[1] ?? '').split('\n')[0] ?? '';
  const dir = mkdtempSync(join(installedProject(), 'no-answer-'));
  // A .git git cannot read: it answers neither "ignored" nor "not ignored", as with a repository of another owner.
  mkdirSync(join(dir, '.git'));
  const run = await runProgram('sh', ['-c', ignoreLine], { cwd: dir, env: { HOME: installedProject() } });
  expect(run.exitCode, run.stderr).toBe(0);
  expect(readFileSync(join(dir, '.gitignore'), 'utf8')).toBe('\n/.env.axiom\n');
});

it("the skill's look step prints no line a carriage return joined to one of the account's", async () => {
  const look = commands()[0] ?? '';
  const dir = mkdtempSync(join(installedProject(), 'merged-'));
  writeFileSync(join(dir, '.env.axiom'), 'AXIOM_EMAIL=me@yourco.com\rDB_PASSWORD=the-db-password-1\nAXIOM_USER_ID=7\n');
  const run = await runProgram('sh', ['-c', look], { cwd: dir, env: { HOME: installedProject() } });
  expect(run.stdout).toBe('AXIOM_USER_ID=7\n');
});

it("the skill's git-ignore line writes through no .gitignore that is a symbolic link", async () => {
  const ignoreLine = (commands()[1] ?? '').split('\n')[0] ?? '';
  const dir = mkdtempSync(join(installedProject(), 'linked-'));
  writeFileSync(join(dir, 'outside'), '[user]\n');
  symlinkSync(join(dir, 'outside'), join(dir, '.gitignore'));
  await runProgram('sh', ['-c', ignoreLine], { cwd: dir, env: { HOME: installedProject() } });
  expect(readFileSync(join(dir, 'outside'), 'utf8')).toBe('[user]\n');
});
