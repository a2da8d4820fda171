#!/usr/bin/env node
// The axiom-provision command. Ctrl-C (or a CI's cancel) stops the request in flight; a second one exits at once.
import { text } from 'node:stream/consumers';
import { AxiomError } from '../core/errors.ts';
import { main } from './main.ts';

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
