// Each tool of the MCP server through the SDK's own client, against the stand-in LAR: what it sends, what it writes,
// what it returns, and what it refuses to do (with nothing sent).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it as base, describe } from 'vitest';
import { type StandInLar, startStandIn } from '../stand-in/lar-server.ts';
import { data, type Session, startSession, workDir } from './harness.ts';

const it = base.extend<{ server: StandInLar }>({
  // biome-ignore lint/correctness/noEmptyPattern: vitest reads a fixture's dependencies from this pattern.
  server: async ({}, use) => {
    const server = await startStandIn();
    await use(server);
    await server.stop();
  },
});

const EMAIL = ['--email', 'qa@yourco.com'];
const VARIABLES = ['AXIOM_API_KEY', 'AXIOM_EMAIL', 'AXIOM_USER_ID', 'AXIOM_PASSWORD', 'AXIOM_BASE_URL', 'AXIOM_CREATED'];

async function using<T>(session: Session, work: (session: Session) => Promise<T>): Promise<T> {
  try {
    return await work(session);
  } finally {
    await session.close();
  }
}

describe.concurrent('the tools an agent sees', () => {
  it('lists three tools with honest annotations, strict inputs and output schemas', async ({ server, expect }) => {
    await using(await startSession(server, { args: EMAIL }), async ({ client }) => {
      const { tools } = await client.listTools();
      const byName = Object.fromEntries(tools.map((tool) => [tool.name, tool]));
      expect(Object.keys(byName).sort()).toEqual(['describe_account', 'provision_account', 'revoke_key']);
      expect(byName.describe_account?.annotations).toMatchObject({ readOnlyHint: true, destructiveHint: false, openWorldHint: false });
      expect(byName.provision_account?.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: true, openWorldHint: true });
      expect(byName.revoke_key?.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: true, openWorldHint: true });
      for (const tool of tools) {
        expect(tool.inputSchema.additionalProperties, tool.name).toBe(false);
        expect(tool.outputSchema?.type, tool.name).toBe('object');
        expect(Object.keys(tool.inputSchema.properties ?? {}), tool.name).not.toContain('password');
      }
      expect(byName.provision_account?.description).toMatch(/welcome email/);
      expect(byName.provision_account?.description).toMatch(/Never print, cat or read back the file/);
    });
  });

  it('provisions into a new 0600 file, names the variables, describes it, and revoke_key ends the key and removes the file', async ({
    server,
    expect,
  }) => {
    await using(await startSession(server, { args: EMAIL }), async ({ call, dir }) => {
      const made = await call('provision_account', { name: 'Agent Test' });
      expect(made.isError, JSON.stringify(made)).toBeFalsy();
      const user = [...server.users.values()][0];
      expect(server.users.size).toBe(1);
      expect(data(made)).toMatchObject({ ok: true, email: user?.email, userId: String(user?.id), created: true, file: '.env.axiom' });
      expect(data(made).variables).toEqual(VARIABLES);
      expect(data(made).keyFingerprint).toMatch(/^[0-9a-f]{8}$/);
      expect(JSON.parse((made.content[0] as { text: string }).text)).toEqual(data(made));
      const file = join(dir, '.env.axiom');
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(readFileSync(file, 'utf8')).toContain(`AXIOM_API_KEY=${user?.apiKey}\n`);
      expect(user?.profile.campaign).toBe('axiom-provision-mcp');

      const described = await call('describe_account', {});
      expect(data(described)).toMatchObject({ ok: true, email: user?.email, created: true, sameOrigin: true, file: '.env.axiom' });
      expect(data(described).keyFingerprint).toBe(data(made).keyFingerprint);

      const apiKey = user?.apiKey ?? '';
      const revoked = await call('revoke_key', {});
      expect(data(revoked), JSON.stringify(revoked)).toMatchObject({ ok: true, email: user?.email });
      expect(server.keyOwner(apiKey)).toBeUndefined();
      expect(existsSync(file)).toBe(false);
    });
  });

  it.for([['password'], ['baseUrl'], ['handoffSecret'], ['timeoutSeconds']])(
    'refuses an argument %s by its schema, and sends nothing',
    async ([key = ''], { server, expect }) => {
      await using(await startSession(server, { args: EMAIL }), async ({ call }) => {
        const refused = await call('provision_account', { [key]: 'https://evil.example/hunter2-value' });
        expect(refused.isError).toBe(true);
        expect(JSON.stringify(refused.content)).toContain(key);
        expect(JSON.stringify(refused)).not.toContain('hunter2');
        expect(server.requests).toEqual([]);
      });
    },
  );

  it('revoke_key called twice at once revokes once: the second finds the file gone, and sends nothing', async ({ server, expect }) => {
    await using(await startSession(server, { args: EMAIL }), async ({ call }) => {
      expect(data(await call('provision_account', {}))).toMatchObject({ ok: true });
      const sent = server.requests.length;
      const [first, second] = await Promise.all([call('revoke_key', {}), call('revoke_key', {})]);
      expect(data(first)).toMatchObject({ ok: true });
      expect(data(second)).toMatchObject({ ok: false, code: 'input' });
      expect(server.requests.slice(sent).map((request) => request.route)).toEqual(['login', 'key/create']);
    });
  });

  it.for([
    ['on a line of its own', (account: string, theirs: string) => `${theirs}\n${account}`],
    ['behind a bare carriage return', (account: string, theirs: string) => `${account}AXIOM_CREATED=true\r${theirs}\n`],
  ] as const)(
    'revoke_key leaves a file that holds more than the account: a line of the person’s %s',
    async ([, merge], { server, expect }) => {
      await using(await startSession(server, { args: EMAIL }), async ({ call, dir }) => {
        expect(data(await call('provision_account', {}))).toMatchObject({ ok: true });
        const merged = join(dir, '.env');
        const theirs = 'DATABASE_URL=postgres://localhost/app';
        writeFileSync(merged, merge(readFileSync(join(dir, '.env.axiom'), 'utf8'), theirs));
        const apiKey = [...server.users.values()][0]?.apiKey ?? '';
        const revoked = await call('revoke_key', { file: '.env' });
        expect(data(revoked)).toMatchObject({ ok: true });
        expect(data(revoked).message).toContain('left .env in place');
        expect(server.keyOwner(apiKey)).toBeUndefined();
        expect(readFileSync(merged, 'utf8')).toContain(theirs);
      });
    },
  );

  it('revoke_key logs in with the password the server knows, never one written into the file', async ({ server, expect }) => {
    const user = server.seedUser('stored@yourco.com', 'the-stored-password-1', { apiKey: true });
    const env = { LAR_PASSWORD: 'the-stored-password-1' };
    const args = ['--email', 'stored@yourco.com', '--password-env', 'LAR_PASSWORD', '--replace-key'];
    await using(await startSession(server, { args, env }), async ({ call, dir }) => {
      expect(data(await call('provision_account', { file: 'made.env', mode: 'existing', replaceKey: true }))).toMatchObject({ ok: true });
      const file = join(dir, 'made.env');
      writeFileSync(file, readFileSync(file, 'utf8').replace(/^AXIOM_PASSWORD=.*$/m, 'AXIOM_PASSWORD=an-agents-guess-1'));
      expect(data(await call('revoke_key', { file: 'made.env' }))).toMatchObject({ ok: true });
      expect(user.failedLoginsCounted).toBe(0);
      expect(data(await call('provision_account', { file: 'again.env', replaceKey: true }))).toMatchObject({ ok: true });
    });
  });

  it('refuses an address argument when the launch set one, and mode existing without a stored account', async ({ server, expect }) => {
    await using(await startSession(server, { args: EMAIL }), async ({ call }) => {
      expect(data(await call('provision_account', { email: 'other@yourco.com' }))).toMatchObject({ ok: false, code: 'input' });
      expect(data(await call('provision_account', { mode: 'existing' }))).toMatchObject({ ok: false, code: 'input' });
      expect(server.requests).toEqual([]);
    });
  });

  it('takes the address from the agent only when the launch names none', async ({ server, expect }) => {
    await using(await startSession(server), async ({ call }) => {
      expect(data(await call('provision_account', {}))).toMatchObject({ ok: false, code: 'input' });
      expect(server.requests).toEqual([]);
      const made = await call('provision_account', { email: 'dev@yourco.com', emailTag: 'agent-1' });
      expect(data(made)).toMatchObject({ ok: true, email: 'dev+agent-1@yourco.com' });
    });
  });

  it.for([
    ['../outside.env'],
    ['/tmp/abs.env'],
    ['sub/../../x.env'],
    ['a\nb'],
    ['link/.env.axiom'],
    ['missing-folder/.env'],
    ['.git/hooks.env'],
  ])(
    'refuses the file %j, which is not a plain path inside the working directory, and sends nothing',
    async ([file = ''], { server, expect }) => {
      const dir = workDir();
      symlinkSync(mkdtempSync(join(tmpdir(), 'axiom-mcp-elsewhere-')), join(dir, 'link'));
      await using(await startSession(server, { args: EMAIL, dir }), async ({ call }) => {
        for (const tool of ['provision_account', 'describe_account', 'revoke_key']) {
          const refused = await call(tool, { file });
          expect(data(refused), tool).toMatchObject({ ok: false, code: 'input' });
          expect(refused.isError).toBe(true);
        }
        expect(server.requests).toEqual([]);
      });
    },
  );

  it('never overwrites a file, and never follows a symlink to read one', async ({ server, expect }) => {
    const dir = workDir();
    writeFileSync(join(dir, 'taken.env'), 'KEEP=1\n');
    symlinkSync(join(dir, 'taken.env'), join(dir, 'alias.env'));
    await using(await startSession(server, { args: EMAIL, dir }), async ({ call }) => {
      expect(data(await call('provision_account', { file: 'taken.env' }))).toMatchObject({ ok: false, code: 'input' });
      expect(data(await call('provision_account', { file: 'alias.env' }))).toMatchObject({ ok: false, code: 'input' });
      expect(data(await call('describe_account', { file: 'alias.env' }))).toMatchObject({ ok: false, code: 'input' });
      expect(readFileSync(join(dir, 'taken.env'), 'utf8')).toBe('KEEP=1\n');
      expect(server.requests).toEqual([]);
      // Nothing was made, so the budget is whole.
      expect(data(await call('provision_account', { file: 'sub.env' }))).toMatchObject({ ok: true });
    });
  });

  it('in a git work tree, adds the file to .gitignore and says so; a file git already ignores is left alone', async ({
    server,
    expect,
  }) => {
    const dir = workDir();
    mkdirSync(join(dir, 'secrets'));
    await using(await startSession(server, { args: [...EMAIL, '--max-accounts', '2'], dir, git: true }), async ({ call }) => {
      const made = await call('provision_account', { file: 'secrets/agent.env' });
      expect(data(made)).toMatchObject({ ok: true, gitignore: 'secrets/.gitignore: /agent.env' });
      expect(data(made).message).toContain('git ignores it: secrets/.gitignore: /agent.env');
      expect(execFileSync('git', ['status', '--porcelain', '--untracked-files=all'], { cwd: dir, encoding: 'utf8' })).toBe(
        '?? secrets/.gitignore\n',
      );
      writeFileSync(join(dir, '.gitignore'), '.env*\n');
      const again = await call('provision_account', {});
      expect(data(again)).toMatchObject({ ok: true });
      expect(data(again).gitignore).toBeUndefined();
      expect(readFileSync(join(dir, '.gitignore'), 'utf8')).toBe('.env*\n');
    });
  });

  it('refuses git’s own files as account files, and revoke_key of an account it neither made nor may replace', async ({
    server,
    expect,
  }) => {
    server.seedUser('qa@yourco.com', 'the-owners-password-1', { apiKey: true });
    await using(await startSession(server, { args: EMAIL }), async ({ call, dir }) => {
      // In any case: on a case-insensitive volume, .Gitignore is the .gitignore.
      for (const file of ['.gitignore', 'sub/.gitattributes', '.Gitignore', '.GITMODULES']) {
        const refused = data(await call('provision_account', { file }));
        expect(refused).toMatchObject({ ok: false, code: 'input' });
        expect(refused.message).toContain('a name starting .git');
      }
      writeFileSync(
        join(dir, 'owner.env'),
        `AXIOM_API_KEY=axm_x\nAXIOM_EMAIL=qa@yourco.com\nAXIOM_USER_ID=1\nAXIOM_PASSWORD=the-owners-password-1\nAXIOM_BASE_URL=${server.url}\nAXIOM_CREATED=false\n`,
      );
      expect(data(await call('revoke_key', { file: 'owner.env' }))).toMatchObject({ ok: false, code: 'input' });
      expect(existsSync(join(dir, 'owner.env'))).toBe(true);
    });
    expect(server.requests).toEqual([]);
  });

  it('keeps a file out of the work tree that holds it, when that is a folder below the working directory', async ({ server, expect }) => {
    const dir = workDir();
    const repo = join(dir, 'app');
    mkdirSync(repo);
    execFileSync('git', ['init', '--quiet'], { cwd: repo });
    await using(await startSession(server, { args: EMAIL, dir }), async ({ call }) => {
      expect(data(await call('provision_account', { file: 'app/.env.axiom' }))).toMatchObject({
        ok: true,
        gitignore: 'app/.gitignore: /.env.axiom',
      });
      expect(execFileSync('git', ['status', '--porcelain', '--untracked-files=all'], { cwd: repo, encoding: 'utf8' })).toBe(
        '?? .gitignore\n',
      );
    });
  });

  it('in a git work tree, writes through no .gitignore that is a symbolic link, and sends nothing', async ({ server, expect }) => {
    const dir = workDir();
    const elsewhere = join(mkdtempSync(join(tmpdir(), 'axiom-mcp-elsewhere-')), 'target');
    writeFileSync(elsewhere, '');
    symlinkSync(elsewhere, join(dir, '.gitignore'));
    await using(await startSession(server, { args: EMAIL, dir, git: true }), async ({ call }) => {
      expect(data(await call('provision_account', {}))).toMatchObject({ ok: false, code: 'input' });
      expect(readFileSync(elsewhere, 'utf8')).toBe('');
      expect(existsSync(join(dir, '.env.axiom'))).toBe(false);
      expect(server.requests).toEqual([]);
    });
  });

  it('outside a git work tree, touches no .gitignore', async ({ server, expect }) => {
    await using(await startSession(server, { args: EMAIL }), async ({ call, dir }) => {
      expect(data(await call('provision_account', {})).gitignore).toBeUndefined();
      expect(existsSync(join(dir, '.gitignore'))).toBe(false);
    });
  });

  it("refuses to revoke a file that names another LAR origin than the server's, and sends nothing", async ({ server, expect }) => {
    const dir = workDir();
    writeFileSync(
      join(dir, '.env.axiom'),
      'AXIOM_API_KEY=axm_x\nAXIOM_EMAIL=qa@yourco.com\nAXIOM_USER_ID=1\nAXIOM_PASSWORD=pw-12345678\nAXIOM_BASE_URL=https://someone:pw-in-url@evil.example\nAXIOM_CREATED=true\n',
      { mode: 0o600 },
    );
    await using(await startSession(server, { args: EMAIL, dir }), async ({ call }) => {
      expect(data(await call('revoke_key', {}))).toMatchObject({ ok: false, code: 'input' });
      const described = await call('describe_account', {});
      expect(data(described)).toMatchObject({ ok: true, sameOrigin: false, baseUrl: 'https://evil.example' });
      expect(JSON.stringify(described)).not.toContain('pw-in-url');
      expect(server.requests).toEqual([]);
    });
  });

  it('in mode existing, logs in to the launch address with the launch password, and replaces a key only as the launch allows', async ({
    server,
    expect,
  }) => {
    const user = server.seedUser('stored@yourco.com', 'the-stored-password-1', { apiKey: true });
    const env = { LAR_PASSWORD: 'the-stored-password-1' };
    const args = ['--email', 'stored@yourco.com', '--password-env', 'LAR_PASSWORD'];
    await using(await startSession(server, { args, env }), async ({ call }) => {
      const sent = server.requests.length;
      const asked = data(await call('provision_account', { replaceKey: true }));
      expect(asked).toMatchObject({ ok: false, code: 'input' });
      expect(asked.message).toContain('--replace-key');
      expect(server.requests.length).toBe(sent);
      const refused = data(await call('provision_account', {}));
      expect(refused).toMatchObject({ ok: false, code: 'key-exists' });
      expect(refused.message).not.toContain("'replaceKey' to true");
    });
    expect(server.keyOwner(user.apiKey ?? '')?.email).toBe('stored@yourco.com');
    await using(await startSession(server, { args: [...args, '--replace-key'], env }), async ({ call }) => {
      expect(data(await call('provision_account', { emailTag: 'x' }))).toMatchObject({ ok: false, code: 'input' });
      const made = await call('provision_account', { replaceKey: true });
      expect(data(made)).toMatchObject({ ok: true, email: 'stored@yourco.com', created: false });
      expect(server.users.get('stored@yourco.com')?.failedLoginsCounted).toBe(0);
    });
  });

  it('a cancelled call stops the request in flight, sends no other, and keeps the account counted', async ({ server, expect }) => {
    server.inject('create', { kind: 'hang' });
    await using(await startSession(server, { args: EMAIL }), async ({ call, dir }) => {
      const stop = new AbortController();
      const pending = call('provision_account', {}, { signal: stop.signal });
      await expect.poll(() => server.count('create')).toBe(1);
      stop.abort();
      await expect(pending).rejects.toThrow();
      // The server's handler has seen the cancel once its file is gone; give it the time a retry would take.
      await expect.poll(() => existsSync(join(dir, '.env.axiom'))).toBe(false);
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      expect(server.requests.map((request) => request.route)).toEqual(['create']);
      const refused = data(await call('provision_account', { file: 'second.env' }));
      expect(refused).toMatchObject({ ok: false, code: 'account-limit' });
      expect(refused.message).toMatch(/without proof that no account was made/);
    });
  });

  it('a call cancelled while it waits for another on the same address sends nothing, and bars no later login', async ({
    server,
    expect,
  }) => {
    await using(await startSession(server, { args: EMAIL }), async ({ call }) => {
      expect(data(await call('provision_account', {}))).toMatchObject({ ok: true });
      server.inject('key/create', { kind: 'hang' });
      const first = new AbortController();
      const second = new AbortController();
      const running = call('revoke_key', {}, { signal: first.signal });
      await expect.poll(() => server.count('key/create')).toBe(2);
      const waiting = call('revoke_key', {}, { signal: second.signal });
      second.abort();
      await expect(waiting).rejects.toThrow();
      first.abort();
      await expect(running).rejects.toThrow();
      const logins = server.count('login');
      await expect.poll(async () => data(await call('revoke_key', {}))).toMatchObject({ ok: true });
      expect(server.count('login')).toBe(logins + 1);
    });
  });
});
