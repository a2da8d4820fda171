// Per-test wiring: a fresh stand-in server, and after each test the leak check over every step it ran.
import { afterEach, beforeEach, expect } from 'vitest';
import { type StandInLar, type StandInOptions, startStandIn } from '../stand-in/lar-server.ts';
import { findLeaks } from './leaks.ts';
import { runMain, runPost, runSubAction, type StepOptions, type StepRun } from './run-action.ts';

export interface Fixture {
  server: StandInLar;
  /** The inputs a minimal workflow passes, pointed at the stand-in. */
  inputs(extra?: Record<string, string>): Record<string, string>;
  main(inputs: Record<string, string>, options?: StepOptions): Promise<StepRun>;
  post(main: StepRun, inputs: Record<string, string>, options?: StepOptions): Promise<StepRun>;
  /** A sub-action's step (open/action.yml, revoke/action.yml), in a job of its own. */
  sub(entry: 'open' | 'revoke', inputs: Record<string, string>, options?: StepOptions): Promise<StepRun>;
  /**
   * The account a step says it made, by its email and user-id outputs: `keyOwner(key)` must match it, so a key
   * that works for some other account fails the test.
   */
  accountOf(run: StepRun): { email: string | undefined; id: number };
}

/** Every step run through the fixture is checked for leaks against every secret the server saw. */
export function useStandIn(options: StandInOptions = {}): Fixture {
  const runs: StepRun[] = [];
  const fixture = {} as Fixture;
  beforeEach(async () => {
    runs.length = 0;
    fixture.server = await startStandIn(options);
  });
  afterEach(async () => {
    await fixture.server.stop();
    expect(findLeaks(runs, fixture.server.secrets), 'secrets leaked').toEqual([]);
  });
  fixture.inputs = (extra = {}) => ({ email: 'qa@yourco.com', 'base-url': fixture.server.url, ...extra });
  fixture.main = async (inputs, stepOptions) => {
    const run = await runMain(inputs, stepOptions);
    runs.push(run);
    return run;
  };
  fixture.post = async (main, inputs, stepOptions) => {
    const run = await runPost(main, inputs, stepOptions);
    runs.push(run);
    return run;
  };
  fixture.sub = async (entry, inputs, stepOptions) => {
    const run = await runSubAction(entry, inputs, stepOptions);
    runs.push(run);
    return run;
  };
  fixture.accountOf = (run) => ({ email: run.outputs.email, id: Number(run.outputs['user-id']) });
  return fixture;
}
