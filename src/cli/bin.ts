#!/usr/bin/env node
// The axiom-provision command. Ctrl-C (or a CI's cancel) stops the request in flight; a second one exits at once.
import { constants } from 'node:os';
import { text } from 'node:stream/consumers';
import { AxiomError } from '../core/errors.ts';
import { isRegularFile } from '../core/github-mask.ts';

// Checked before main.ts is imported: undici, which it loads, fails on an older Node with a stack trace.
const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 19)) {
  process.stderr.write(`axiom-provision needs Node 22.19 or later; this is Node ${process.versions.node}.\n`);
  process.exit(1);
}
const { main } = await import('./main.ts');

// A command a signal stopped exits as the shell reports one it killed: 128 + the signal's number (130 for Ctrl-C).
// SIGHUP (a closed terminal or SSH session) stops it as cleanly as the others.
const stopped = new AbortController();
let stoppedWith: number | undefined;
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(signal, () => {
    stoppedWith = 128 + constants.signals[signal];
    stopped.abort();
    process.once(signal, () => process.exit(stoppedWith));
  });
}
// A closed pipe is an 'error' event, which unheard would crash the command with a stack trace. Stdout's also reaches
// its write's callback, and main turns it into one message and the usual clean-up; stderr's has nowhere to go.
for (const stream of [process.stdout, process.stderr]) stream.on('error', () => undefined);
const code = await main(process.argv.slice(2), {
  env: process.env,
  stderrIsFile: isRegularFile(2),
  stdout: (text) => new Promise<void>((resolve, reject) => process.stdout.write(text, (error) => (error ? reject(error) : resolve()))),
  stderr: (text) => void process.stderr.write(text),
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
process.exitCode = code !== 0 && stoppedWith !== undefined ? stoppedWith : code;
