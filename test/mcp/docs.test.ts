// The agents' door as written down: the skill's format, and the README, docs/agents.md, the server and both
// packages' manifests telling the same story.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { USAGE } from '../../mcp/src/launch.ts';
import { createServer } from '../../mcp/src/server.ts';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const read = (path: string): string => readFileSync(REPO + path, 'utf8');
const json = (path: string) => JSON.parse(read(path)) as Record<string, unknown> & Record<string, Record<string, unknown>>;

describe('the skill', () => {
  const text = read('skills/axiom-provision/SKILL.md');
  const [, frontmatter = '', body = ''] = /^---\n([\s\S]*?)\n---\n([\s\S]*)$/.exec(text) ?? [];
  const meta = parse(frontmatter) as Record<string, unknown>;

  it('has the Agent Skills frontmatter: a name equal to its folder, and a description of what and when', () => {
    // Strict frontmatter readers want a key on the line after the opening ---.
    expect(frontmatter.split('\n')[0]).toMatch(/^name: /);
    expect(Object.keys(meta).sort()).toEqual(['description', 'name']);
    expect(meta.name).toBe('axiom-provision');
    expect(meta.name).toMatch(/^[a-z]+(?:-[a-z]+)*$/);
    expect(String(meta.name).length).toBeLessThanOrEqual(64);
    expect(typeof meta.description).toBe('string');
    expect(String(meta.description).length).toBeLessThanOrEqual(1024);
    expect(meta.description).toMatch(/Use when/);
    expect(body.split('\n').length).toBeLessThan(500);
  });

  it('wraps the CLI, and tells the agent never to read the file back, to reuse an account, and to revoke', () => {
    expect(body).toMatch(/^npx axiom-provision create .*--output \.env\.axiom$/m);
    expect(body).toMatch(/^npx axiom-provision revoke --from \.env\.axiom/m);
    expect(body).toMatch(/\*\*Never print or read back the account file\.\*\*/);
    expect(body).toMatch(/\*\*Reuse an account before making another\.\*\*/);
    expect(body).toMatch(/\*\*Revoke the key when done\.\*\*/);
  });

  it('ships in the root package', () => {
    expect(json('package.json').files).toContain('skills');
  });
});

describe('the README, docs/agents.md and the packages agree', () => {
  const core = json('package.json');
  const server = json('mcp/package.json');
  const agents = read('docs/agents.md');
  const readme = read('README.md');

  it('the server package depends on this version of the core, and on the SDK and zod the repository tests with', () => {
    expect(server.name).toBe('axiom-provision-mcp');
    expect(server.bin).toEqual({ 'axiom-provision-mcp': './lib/bin.js' });
    expect(server.engines).toEqual(core.engines);
    expect(server.dependencies).toEqual({
      'axiom-provision': core.version,
      '@modelcontextprotocol/sdk': core.devDependencies?.['@modelcontextprotocol/sdk'],
      zod: core.devDependencies?.zod,
    });
    expect(Object.keys(core.dependencies ?? {})).not.toContain('@modelcontextprotocol/sdk');
  });

  it('the README points agents to docs/agents.md and the skill, which exist', () => {
    expect(readme).toMatch(/^## For agents$/m);
    expect(readme).toContain('[docs/agents.md](docs/agents.md)');
    expect(readme).toContain('npx -y axiom-provision-mcp');
    for (const doc of [readme, agents]) expect(doc).toContain('skills/axiom-provision/SKILL.md');
    expect(existsSync(`${REPO}skills/axiom-provision/SKILL.md`)).toBe(true);
  });

  it('docs/agents.md names every launch flag the server takes, and every tool it lists', async () => {
    const flags = [...USAGE.matchAll(/^ {2}(--[a-z-]+)/gm)].map((match) => match[1]);
    expect(flags).toEqual(['--email', '--password-env', '--base-url', '--replace-key', '--max-accounts', '--dir']);
    for (const flag of flags) expect(agents).toMatch(new RegExp(`^\\| \`${flag}( [A-Z]+)?\``, 'm'));
    const mcp = createServer(
      Object.freeze({
        baseUrl: 'https://lar.axiom.ai',
        email: undefined,
        password: undefined,
        replaceKey: false,
        maxAccounts: 1,
        dir: REPO,
      }),
      { log: () => undefined, env: {} },
    );
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    const client = new Client({ name: 'docs-check', version: '1.0.0' });
    await Promise.all([mcp.connect(serverSide), client.connect(clientSide)]);
    const { tools } = await client.listTools();
    await client.close();
    expect(tools).toHaveLength(3);
    for (const tool of tools) expect(agents).toMatch(new RegExp(`^\\| \`${tool.name}\``, 'm'));
  });

  it('each client configuration in docs/agents.md is JSON that starts the server with npx -y and known flags', () => {
    const blocks = [...agents.matchAll(/^```json\n([\s\S]*?)^```$/gm)].map(
      (match) => JSON.parse(match[1] ?? '') as Record<string, unknown>,
    );
    expect(blocks.length).toBeGreaterThanOrEqual(4);
    const known = new Set([...USAGE.matchAll(/^ {2}(--[a-z-]+)/gm)].map((match) => match[1]));
    for (const block of blocks) {
      const servers = (block.mcpServers ?? block.servers) as Record<string, { command: string; args: string[] }>;
      for (const { command, args } of Object.values(servers)) {
        expect(command).toBe('npx');
        expect(args.slice(0, 2)).toEqual(['-y', 'axiom-provision-mcp']);
        for (const flag of args.filter((arg) => arg.startsWith('--'))) expect(known).toContain(flag);
      }
    }
    expect(agents).toContain('claude mcp add axiom-provision -- npx -y axiom-provision-mcp --email');
  });
});
