// The MCP server as a client starts it: the packed axiom-provision-mcp, installed beside the packed core into an
// empty project, spoken to over stdio by the SDK's client and by the official MCP Inspector (a client nobody here
// wrote). And the core's own install, which must bring no MCP package.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { it as base, describe, inject } from 'vitest';
import { type StandInLar, startStandIn } from '../stand-in/lar-server.ts';
import { installedProject, runNode, runProgram, secretsShown } from './installed.ts';

const project = (): string => inject('mcpProject');
const serverBin = (): string => join(project(), 'node_modules', '.bin', 'axiom-provision-mcp');
const INSPECTOR = fileURLToPath(new URL('../../node_modules/.bin/mcp-inspector', import.meta.url));
/** Node 24 first on PATH, as installed.ts gives every program it runs. */
const PATH = [dirname(process.execPath), process.env.PATH ?? '/usr/bin:/bin'].join(':');

/** The packed server as a client starts it, for the stand-in, in `dir`; its stderr piped to the test. */
const serveOverStdio = (server: StandInLar, dir: string): StdioClientTransport =>
  new StdioClientTransport({
    command: process.execPath,
    args: [serverBin(), '--email', 'qa@yourco.com', '--base-url', server.url, '--dir', dir],
    cwd: project(),
    env: { PATH, HOME: dir },
    stderr: 'pipe',
  });

const it = base.extend<{ server: StandInLar; dir: string }>({
  // biome-ignore lint/correctness/noEmptyPattern: vitest reads a fixture's dependencies from this pattern.
  server: async ({}, use) => {
    const server = await startStandIn();
    await use(server);
    await server.stop();
  },
  // biome-ignore lint/correctness/noEmptyPattern: as above.
  dir: async ({}, use) => use(mkdtempSync(join(project(), 'work-'))),
});

describe('the core alone', () => {
  it('installs no MCP package: npm ls --omit=dev in its project lists none', ({ expect }) => {
    type Tree = { dependencies?: Record<string, Tree> };
    const tree = (cwd: string): Tree =>
      JSON.parse(spawnSync('npm', ['ls', '--omit=dev', '--all', '--json'], { cwd, encoding: 'utf8' }).stdout) as Tree;
    const names = (below: Tree | undefined): string[] =>
      Object.entries(below?.dependencies ?? {}).flatMap(([name, under]) => [name, ...names(under)]);
    // The same query finds the SDK where the server is installed: it can see one.
    expect(names(tree(project()))).toContain('@modelcontextprotocol/sdk');
    const everything = names(tree(installedProject()));
    const core = names(tree(installedProject()).dependencies?.['axiom-provision']);
    expect(everything).toContain('axiom-provision');
    expect(core).toContain('undici');
    expect(everything.filter((name) => name.startsWith('@modelcontextprotocol/'))).toEqual([]);
    expect(core).not.toContain('zod');
  });
});

describe.concurrent('the packed server over stdio', () => {
  it('depends on the packed core, not on a package of that name from the registry', ({ expect }) => {
    const lock = JSON.parse(readFileSync(join(project(), 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { resolved?: string }>;
    };
    const cores = Object.entries(lock.packages).filter(([path]) => path.endsWith('node_modules/axiom-provision'));
    expect(cores.map(([path, entry]) => [path, entry.resolved?.startsWith('file:')])).toEqual([['node_modules/axiom-provision', true]]);
  });

  it('serves the SDK client: stdout holds only the protocol, and stderr no secret', async ({ server, dir, expect }) => {
    const transport = serveOverStdio(server, dir);
    let stderr = '';
    (transport.stderr as Readable | null)?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const client = new Client({ name: 'test-agent', version: '1.0.0' });
    // A line on stdout that is not a protocol message reaches the client as an error.
    const strays: unknown[] = [];
    client.onerror = (error) => strays.push(error);
    await client.connect(transport);
    try {
      const { tools } = await client.listTools();
      expect(tools.map((tool) => tool.name).sort()).toEqual(['describe_account', 'provision_account', 'revoke_key']);
      const made = (await client.callTool({ name: 'provision_account', arguments: {} })) as CallToolResult;
      expect(made.structuredContent, JSON.stringify(made)).toMatchObject({ ok: true, file: '.env.axiom', created: true });
      expect(statSync(join(dir, '.env.axiom')).mode & 0o777).toBe(0o600);
      const apiKey = [...server.users.values()][0]?.apiKey ?? '';
      expect(server.keyOwner(apiKey)).toBeDefined();
      const refused = (await client.callTool({ name: 'provision_account', arguments: { file: 'two.env' } })) as CallToolResult;
      expect(refused.structuredContent).toMatchObject({ ok: false, code: 'account-limit' });
      const revoked = (await client.callTool({ name: 'revoke_key', arguments: {} })) as CallToolResult;
      expect(revoked.structuredContent).toMatchObject({ ok: true });
      expect(server.keyOwner(apiKey)).toBeUndefined();
      expect(existsSync(join(dir, '.env.axiom'))).toBe(false);
      expect(JSON.stringify([made, refused, revoked])).not.toContain(apiKey.slice(4, 12));
    } finally {
      await client.close();
    }
    expect(strays).toEqual([]);
    expect(stderr).toMatch(/^axiom-provision-mcp: ready in /);
    expect(secretsShown(stderr, server.secrets)).toEqual([]);
  });

  it('keeps serving when the client closes its stderr: progress lines are not worth a call', async ({ server, dir, expect }) => {
    const transport = serveOverStdio(server, dir);
    const client = new Client({ name: 'test-agent', version: '1.0.0' });
    await client.connect(transport);
    try {
      (transport.stderr as Readable | null)?.destroy();
      const made = (await client.callTool({ name: 'provision_account', arguments: {} })) as CallToolResult;
      expect(made.structuredContent, JSON.stringify(made)).toMatchObject({ ok: true, created: true });
      expect(existsSync(join(dir, '.env.axiom'))).toBe(true);
    } finally {
      await client.close();
    }
  });

  // Each refusal's wording is tested on readLaunch (test/mcp/launch.test.ts); here, what the installed command does with one.
  it.for([
    [['--max-accounts', 'lots'], /--max-accounts takes a whole number from 0 to 100/],
    [['--password=hunter2-secret'], /a password is never a flag/],
    [['--email', 'qa@yourco.com', '--base-url', 'http://lar.example'], /--base-url .*loopback/],
  ] as const)('refuses the launch flags %j: one line on stderr, nothing on stdout, exit 2', async ([args, message], { expect }) => {
    const run = await runNode([serverBin(), ...args], { cwd: project(), env: { LAR_PASSWORD: 'the-launch-password' } });
    expect(run.exitCode, run.stderr).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^axiom-provision-mcp: [^\n]+\n$/);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).not.toMatch(/hunter2|the-launch-password/);
  });
});

describe.concurrent('the official MCP Inspector, in CLI mode, against the packed server', () => {
  const inspect = (server: StandInLar, dir: string, method: string[]) =>
    runProgram(
      process.execPath,
      [INSPECTOR, '--cli', process.execPath, serverBin(), '--email', 'qa@yourco.com', '--base-url', server.url, '--dir', dir, ...method],
      { cwd: project(), timeoutMs: 60_000 },
    );

  it('lists the tools with their schemas and annotations', async ({ server, dir, expect }) => {
    const run = await inspect(server, dir, ['--method', 'tools/list']);
    expect(run.exitCode, run.stderr).toBe(0);
    const { tools } = JSON.parse(run.stdout) as { tools: { name: string; annotations: object; inputSchema: object }[] };
    expect(tools.map((tool) => tool.name).sort()).toEqual(['describe_account', 'provision_account', 'revoke_key']);
    expect(tools.find((tool) => tool.name === 'describe_account')?.annotations).toMatchObject({ readOnlyHint: true });
    expect(tools.every((tool) => (tool.inputSchema as { additionalProperties?: boolean }).additionalProperties === false)).toBe(true);
    expect(server.requests).toEqual([]);
  });

  it('calls provision_account, and is refused a password argument with nothing sent', async ({ server, dir, expect }) => {
    const made = await inspect(server, dir, [
      '--method',
      'tools/call',
      '--tool-name',
      'provision_account',
      '--tool-arg',
      'name=Inspector Test',
    ]);
    expect(made.exitCode, made.stderr).toBe(0);
    expect(JSON.parse(made.stdout)).toMatchObject({ structuredContent: { ok: true, created: true, file: '.env.axiom' } });
    expect([...server.users.values()].map((user) => user.profile.name)).toEqual(['Inspector Test']);
    expect(secretsShown(made.stdout + made.stderr, server.secrets)).toEqual([]);

    const requests = server.requests.length;
    const refused = await inspect(server, dir, [
      '--method',
      'tools/call',
      '--tool-name',
      'provision_account',
      '--tool-arg',
      'password=hunter2-secret',
    ]);
    expect(JSON.parse(refused.stdout)).toMatchObject({ isError: true });
    expect(refused.stdout).toMatch(/password/);
    expect(refused.stdout + refused.stderr).not.toContain('hunter2');
    expect(server.requests).toHaveLength(requests);
  });
});
