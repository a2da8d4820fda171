#!/usr/bin/env node
// axiom-provision-mcp: an MCP server over stdio. stdout carries the protocol and nothing else; lines go to stderr.
// Exit 2: a launch flag to fix (one line on stderr), and the server never started.

// Checked before anything is imported: the SDK and undici fail on an older Node with a stack trace.
const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 19)) {
  process.stderr.write(`axiom-provision-mcp needs Node 22.19 or later; this is Node ${process.versions.node}.\n`);
  process.exit(1);
}
const { LaunchError, readLaunch, USAGE } = await import('./launch.ts');
const { createServer } = await import('./server.ts');
const { StdioServerTransport } = await import('@modelcontextprotocol/sdk/server/stdio.js');

const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) {
  process.stderr.write(`${USAGE}\n`);
  process.exit(0);
}
let launch: Awaited<ReturnType<typeof readLaunch>>;
try {
  launch = await readLaunch(args, process.env, process.cwd());
} catch (error) {
  process.stderr.write(`axiom-provision-mcp: ${error instanceof LaunchError ? error.message : 'the launch flags could not be read'}\n`);
  process.exit(2);
}
const log = (line: string): void => void process.stderr.write(`axiom-provision-mcp: ${line}\n`);
// Progress lines are a courtesy: a client that closes stderr must not stop a call, least of all after a key is minted.
process.stderr.on('error', () => undefined);
// A client that goes away closes stdout: the server ends with one line, not a stack trace.
process.stdout.on('error', () => {
  log('the client closed the connection; stopping.');
  process.exit(0);
});
await createServer(launch, { log, env: process.env }).connect(new StdioServerTransport());
log(`ready in ${launch.dir}, for ${launch.baseUrl}`);
