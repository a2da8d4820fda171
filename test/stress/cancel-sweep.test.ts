// A cancelled job, at any moment: the runner's SIGTERM swept over the first half second of a main step whose first
// answer takes 3 s. Whenever it lands (before any command, while @actions/core loads, after), the step must die of
// the signal, never run on to mint a key, and leak nothing. A handler removed too early once let a fifth of these
// runs carry on (Node may deliver a signal that came in during the load only after it).
import { describe, expect, it } from 'vitest';
import { findLeaks } from '../harness/leaks.ts';
import { runMain } from '../harness/run-action.ts';
import { startStandIn } from '../stand-in/lar-server.ts';

const PASSWORD = 'sweep-Tq8wZ3nV6pL1xK4m';
const DELAYS_MS = Array.from({ length: 16 }, (_, i) => 150 + i * 20);

describe('SIGTERM at any moment of the first half second', () => {
  it('always ends the step by the signal, with every line written masked', async () => {
    const server = await startStandIn({ latencyMs: 3000 });
    try {
      for (const delayMs of DELAYS_MS) {
        const run = await runMain(
          { email: 'qa@yourco.com', password: PASSWORD, 'base-url': server.url, 'timeout-seconds': '10', 'revoke-on-exit': 'false' },
          { cancel: { signal: 'SIGTERM', when: new Promise((resolve) => setTimeout(resolve, delayMs)) } },
        );
        expect({ delayMs, signal: run.signal, exitCode: run.exitCode }).toEqual({ delayMs, signal: 'SIGTERM', exitCode: null });
        expect(run.outputs).toEqual({});
        expect(findLeaks([run], [PASSWORD])).toEqual([]);
      }
      expect([...server.users.values()].flatMap((user) => user.keys)).toEqual([]);
    } finally {
      await server.stop();
    }
  }, 60_000);
});
