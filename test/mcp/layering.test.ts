// The server is a door of the published package: it reaches the core only through `axiom-provision`'s public API,
// as it will when installed, and it owns nothing the core decides.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const MCP_SRC = fileURLToPath(new URL('../../mcp/src/', import.meta.url));

it.each(readdirSync(MCP_SRC).filter((file) => file.endsWith('.ts')))(
  'mcp/src/%s imports only node:, its siblings, the SDK, zod and axiom-provision',
  (file) => {
    const source = readFileSync(join(MCP_SRC, file), 'utf8');
    const targets = [...source.matchAll(/(?:^import[^'"]*from\s*|import\(\s*)['"]([^'"]+)['"]/gm)].map((match) => match[1] ?? '');
    for (const target of targets)
      expect(target, target).toMatch(/^(?:node:|\.\/[a-z-]+\.ts$|@modelcontextprotocol\/sdk\/|zod$|axiom-provision$)/);
  },
);

it('finds the imports it judges', () => {
  expect(readFileSync(join(MCP_SRC, 'server.ts'), 'utf8')).toMatch(/^} from 'axiom-provision';$/m);
});
