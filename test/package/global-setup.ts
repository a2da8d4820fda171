// Once for the whole 'package' project: `npm pack` (prepack builds lib/), then the tarball installed into an empty
// project beside @playwright/test and vitest, as a user's project would have it. The tests run what got installed.
// The runners' install needs no tarball, so it runs while the package builds, and so does the install of the oldest
// Node the package's engines allow; all read the npm cache first, and reach the registry only for what they lack.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The project the tarball was installed into: package.json, node_modules, and nothing else. */
    installedProject: string;
    /** The oldest Node the package's engines allow, from the npm package `node`. */
    oldestNode: string;
    /** A project with both tarballs installed: the core's and the MCP server's (mcp/). */
    mcpProject: string;
  }
}

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const INSTALL = ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'];

export default async function setup(project: TestProject): Promise<() => void> {
  const scratch = mkdtempSync(join(tmpdir(), 'axiom-provision-package-'));
  const packed = join(scratch, 'packed');
  const app = join(scratch, 'app');
  const oldest = join(scratch, 'oldest-node');
  const packedMcp = join(scratch, 'packed-mcp');
  const mcpApp = join(scratch, 'mcp-app');
  for (const dir of [packed, app, oldest, packedMcp, mcpApp]) mkdirSync(dir);
  for (const dir of [app, oldest, mcpApp])
    writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name: 'empty-project', private: true, type: 'module' }, null, 2)}\n`);
  const { devDependencies, engines } = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as {
    devDependencies: Record<string, string>;
    engines: { node: string };
  };
  const runners = ['@playwright/test', 'vitest'].map((name) => `${name}@${devDependencies[name]}`);
  const oldestVersion = /^>=(\d+\.\d+)$/.exec(engines.node)?.[1];
  if (oldestVersion === undefined) throw new Error(`engines.node is ${engines.node}; the tests expect >=MAJOR.MINOR`);
  try {
    await Promise.all([
      npm(REPO, ['pack', '--pack-destination', packed]),
      npm(app, [...INSTALL, ...runners]),
      npm(oldest, [...INSTALL, `node@${oldestVersion}.0`]),
    ]);
    const tarballs = readdirSync(packed).filter((name) => name.endsWith('.tgz'));
    if (tarballs.length !== 1) throw new Error(`npm pack left ${tarballs.length} tarballs in ${packed}`);
    // The server builds against the core's lib/, which packing the core has just built.
    await npm(join(REPO, 'mcp'), ['pack', '--pack-destination', packedMcp]);
    const core = join(packed, tarballs[0] ?? '');
    // Installed together, so the server's dependency on axiom-provision is the packed core, never the registry's.
    await Promise.all([npm(app, [...INSTALL, core]), npm(mcpApp, [...INSTALL, core, join(packedMcp, readdirSync(packedMcp)[0] ?? '')])]);
  } catch (error) {
    rmSync(scratch, { recursive: true, force: true });
    throw error;
  }
  project.provide('installedProject', app);
  project.provide('oldestNode', join(oldest, 'node_modules', '.bin', 'node'));
  project.provide('mcpProject', mcpApp);
  return () => rmSync(scratch, { recursive: true, force: true });
}

/** Runs npm; its output shows only if it fails. */
function npm(cwd: string, args: readonly string[]): Promise<void> {
  // npm run hands its scripts npm_* variables: a nested npm must read its own configuration, not the caller's.
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.toLowerCase().startsWith('npm_')));
  return new Promise((resolve, reject) => {
    const child = spawn('npm', args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`npm ${args.join(' ')} (in ${cwd}) exited ${code}:\n${output.slice(-4000)}`)),
    );
  });
}
