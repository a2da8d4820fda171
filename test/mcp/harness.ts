// The MCP server as an agent's client meets it: the SDK's own Client over an in-memory transport, against the
// stand-in LAR, in a fresh working directory. Everything the client received and every line the server logged is
// kept, for the leak checks.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { readLaunch } from '../../mcp/src/launch.ts';
import { createServer } from '../../mcp/src/server.ts';
import type { StandInLar } from '../stand-in/lar-server.ts';

export interface Session {
  readonly client: Client;
  readonly dir: string;
  /** Every message the server sent the client, as JSON text. */
  readonly received: string[];
  /** Every line the server logged (stderr, in the real server). */
  readonly logs: string[];
  call(name: string, args?: Record<string, unknown>, options?: { signal?: AbortSignal }): Promise<CallToolResult>;
  close(): Promise<void>;
}

export interface SessionOptions {
  /** Launch flags besides --base-url and --dir. */
  readonly args?: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  /** Makes the working directory a git work tree. */
  readonly git?: boolean;
  readonly dir?: string;
}

export const workDir = (): string => realpathSync(mkdtempSync(join(tmpdir(), 'axiom-mcp-')));

/** `server`: the stand-in, or any LAR of a test's own at `url`. */
export async function startSession(server: Pick<StandInLar, 'url'>, options: SessionOptions = {}): Promise<Session> {
  const dir = options.dir ?? workDir();
  if (options.git) execFileSync('git', ['init', '--quiet'], { cwd: dir });
  const env = { ...options.env };
  const launch = await readLaunch(['--base-url', server.url, '--dir', dir, ...(options.args ?? [])], env, dir);
  const logs: string[] = [];
  const mcp = createServer(launch, { log: (line) => logs.push(line), env });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  const client = new Client({ name: 'test-agent', version: '1.0.0' });
  await Promise.all([mcp.connect(serverSide), client.connect(clientSide)]);
  const received: string[] = [];
  const deliver = clientSide.onmessage;
  clientSide.onmessage = (message, extra) => {
    received.push(JSON.stringify(message));
    deliver?.(message, extra);
  };
  return {
    client,
    dir,
    received,
    logs,
    call: async (name, args = {}, { signal } = {}) =>
      (await client.callTool({ name, arguments: args }, undefined, signal === undefined ? {} : { signal })) as CallToolResult,
    close: async () => {
      await client.close();
      await mcp.close();
    },
  };
}

const PIECE = 8;

/** Each secret of which some PIECE characters in a row show in `text` (the whole of a shorter one), described without it. */
export function secretsShown(text: string, secrets: Iterable<string>): string[] {
  const shown: string[] = [];
  for (const secret of secrets) {
    if (secret.trim() === '') continue;
    for (let start = 0; start + PIECE <= Math.max(secret.length, PIECE); start++) {
      if (text.includes(secret.slice(start, start + PIECE))) {
        shown.push(`a secret of ${secret.length} characters, characters ${start + 1}-${start + PIECE}`);
        break;
      }
    }
  }
  return shown;
}

/** The structured content of a result, which the SDK's client has checked against the tool's output schema. */
export const data = (result: CallToolResult): Record<string, unknown> => (result.structuredContent ?? {}) as Record<string, unknown>;
