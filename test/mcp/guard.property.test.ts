// The guard's rules under any interleaving: the budget never lets more creates out than --max-accounts, whatever
// their outcomes; and calls for one address never overlap, and run in the order they came.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Guard } from '../../mcp/src/guard.ts';

describe('the guard', () => {
  it('lets at most maxAccounts creates be out or made at once, and frees a place only for a create that made nothing', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 4 }),
        fc.array(fc.oneof(fc.constant('reserve' as const), fc.constantFrom('made', 'nothing-made', 'lost')), { maxLength: 60 }),
        (max, steps) => {
          const guard = new Guard(max);
          let out = 0;
          let made = 0;
          for (const step of steps) {
            if (step === 'reserve') {
              const granted = guard.reserveAccount();
              expect(granted).toBe(out + made < max);
              if (granted) out++;
            } else if (out > 0) {
              out--;
              if (step === 'nothing-made') guard.releaseAccount();
              else {
                made++;
                guard.accountMade({ file: step === 'made' ? `a${made}.env` : undefined, account: undefined });
              }
            }
            expect(out + made).toBeLessThanOrEqual(max);
            expect(guard.inFlight).toBe(out);
            expect(guard.made).toHaveLength(made);
          }
        },
      ),
    );
  });

  it('runs the calls for one address one at a time, in the order they came, whatever each takes or throws', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ address: fc.constantFrom('a@x.io', 'A@x.io', 'b@x.io'), ticks: fc.nat(3), fails: fc.boolean() }), {
          minLength: 1,
          maxLength: 12,
        }),
        async (calls) => {
          const guard = new Guard(1);
          const running = new Map<string, number>();
          const order = new Map<string, number[]>();
          await Promise.allSettled(
            calls.map(({ address, ticks, fails }, n) =>
              guard.oneAtATime(address, async () => {
                const key = address.toLowerCase();
                running.set(key, (running.get(key) ?? 0) + 1);
                expect(running.get(key)).toBe(1);
                order.set(key, [...(order.get(key) ?? []), n]);
                for (let tick = 0; tick < ticks; tick++) await new Promise((resolve) => setImmediate(resolve));
                running.set(key, (running.get(key) ?? 0) - 1);
                if (fails) throw new Error('refused');
              }),
            ),
          );
          for (const ran of order.values()) expect(ran).toEqual([...ran].sort((x, y) => x - y));
          expect([...order.values()].flat()).toHaveLength(calls.length);
        },
      ),
    );
  });

  it('remembers a refused login by address, whatever its case', () => {
    const guard = new Guard(1);
    guard.rememberRefusal('Stored@YourCo.com', 'blocked');
    expect(guard.refusalOf('STORED@yourco.com')).toBe('blocked');
    expect(guard.refusalOf('other@yourco.com')).toBeUndefined();
  });
});
