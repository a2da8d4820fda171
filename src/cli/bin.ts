#!/usr/bin/env node
// The axiom-provision command. Ctrl-C (or a CI's cancel) stops the request in flight; a second one exits at once.
import { text } from 'node:stream/consumers';
import { AxiomError } from '../core/errors.ts';

// Checked before main.ts is imported: undici, which it loads, fails on an older Node with a stack trace.
const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 19)) {
  process.stderr.write(`axiom-provision needs Node 22.19 or later; this is Node ${process.versions.node}.\n`);
  process.exit(1);
}
const { main } = await import('./main.ts');

const stopped = new AbortController();
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    stopped.abort();
    process.once(signal, () => process.exit(130));
  });
}
process.exitCode = await main(process.argv.slice(2), {
  env: process.env,
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  // Read without blocking the event loop, so an interrupt while stdin waits still stops the command.
  readStdin: () =>
    Promise.race([
      text(process.stdin),
      new Promise<never>((_, reject) =>
        stopped.signal.addEventListener('abort', () => {
          process.stdin.destroy();
          reject(new AxiomError('aborted', 'Interrupted while reading the password from stdin. No request was sent.'));
        }),
      ),
    ]),
  signal: stopped.signal,
});
