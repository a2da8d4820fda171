#!/usr/bin/env node
// The axiom-provision command. Ctrl-C (or a CI's cancel) stops the request in flight; a second one exits at once.
import { readFileSync } from 'node:fs';
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
  readStdin: () => readFileSync(0, 'utf8'),
  signal: stopped.signal,
});
