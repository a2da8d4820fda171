// Forty matrix legs start at once against a server that takes a few requests at a time and answers the rest 429
// with Retry-After: 1. Throttling is waited out, not counted, so every leg ends with its own working account.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findLeaks } from '../harness/leaks.ts';
import { errorOf, runMain } from '../harness/run-action.ts';
import { type StandInLar, startStandIn } from '../stand-in/lar-server.ts';

const LEGS = 40;
let server: StandInLar;
beforeEach(async () => {
  server = await startStandIn({ maxInFlight: 3, throttleRetryAfter: '1', latencyMs: 100 });
});
afterEach(() => server.stop());

describe('a throttled matrix', () => {
  it(`gives each of ${LEGS} concurrent legs its own working account`, { timeout: 120_000 }, async () => {
    const legs = await Promise.all(
      Array.from({ length: LEGS }, (_, leg) =>
        runMain({ email: 'qa@yourco.com', 'base-url': server.url }, { runId: '8001', debug: leg === 0, killAfterMs: 90_000 }),
      ),
    );
    expect(server.throttled, 'the server really throttled').toBeGreaterThanOrEqual(LEGS / 2);
    for (const [leg, run] of legs.entries()) {
      expect(run.exitCode, `leg ${leg}: ${errorOf(run)}`).toBe(0);
      expect(server.keyOwner(run.outputs['api-key'] ?? '')?.email, `leg ${leg}`).toBe(run.outputs.email);
    }
    expect(new Set(legs.map((run) => run.outputs.email)).size).toBe(LEGS);
    expect(server.users.size).toBe(LEGS);
    expect(findLeaks(legs, server.secrets)).toEqual([]);
  });
});
