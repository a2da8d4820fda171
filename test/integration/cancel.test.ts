// A cancelled job: the runner sends the step SIGINT (then SIGTERM). What the step printed before the signal must be
// in the log, masks first, and the step must die of the signal rather than run on and mint a key.
import { createServer, type Socket } from 'node:net';
import { afterEach, expect, it } from 'vitest';
import { runMain } from '../harness/run-action.ts';

const sockets: Socket[] = [];
const silent = createServer((socket) => {
  sockets.push(socket);
  accepted();
});
let accepted: () => void = () => undefined;
afterEach(() => {
  for (const socket of sockets.splice(0)) socket.destroy();
  silent.close();
});

it.each(['SIGINT', 'SIGTERM'] as const)(
  'on %s while the first connection hangs, writes the masks and the address it was creating, then dies of the signal',
  async (signal) => {
    // A TLS server that accepts and never answers: the step is waiting for its first answer.
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as { port: number }).port;
    const connected = new Promise<void>((resolve) => (accepted = resolve));
    const run = await runMain(
      { email: 'qa@yourco.com', 'base-url': `https://localhost:${port}`, 'timeout-seconds': '30' },
      { cancel: { signal, when: connected } },
    );
    expect(run.signal).toBe(signal);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toMatch(/^::add-mask::\S{16,}$/); // the generated password
    expect(lines).toContainEqual(expect.stringMatching(/^Creating qa\+gh-7001-1-[a-z0-9]+@yourco\.com$/));
    expect(run.stderr).toBe('');
  },
);

it('shows its lines while the first connection hangs, not only once it gives up (SIGKILL cannot be caught)', async () => {
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  const port = (silent.address() as { port: number }).port;
  const connected = new Promise<void>((resolve) => (accepted = resolve));
  const run = await runMain(
    { email: 'qa@yourco.com', 'base-url': `https://localhost:${port}`, 'timeout-seconds': '30' },
    { cancel: { signal: 'SIGKILL', when: connected.then(() => new Promise((resolve) => setTimeout(resolve, 2000))) } },
  );
  expect(run.signal).toBe('SIGKILL');
  expect(run.stdout).toMatch(/^::add-mask::\S+\n(?:.*\n)*Creating qa\+gh-7001-1-[a-z0-9]+@yourco\.com\n/);
});
