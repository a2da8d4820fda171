// The npm package's door for Vitest: a global setup that makes one LAR account for the run, gives it to tests as
// inject('larAccount'), and revokes it at teardown.
//   // global-setup.ts
//   export default larGlobalSetup({ email: 'qa@yourco.com' });
import type { TestProject } from 'vitest/node';
import type { LarAccount } from '../core/flow.ts';
import { startRunAccount, type TestRunnerOptions } from '../test-runners/account.ts';

export type { LarAccount, TestRunnerOptions as LarOptions };

declare module 'vitest' {
  export interface ProvidedContext {
    larAccount: LarAccount;
  }
}

export function larGlobalSetup(options: TestRunnerOptions): (project: TestProject) => Promise<() => Promise<void>> {
  return async (project) => {
    const { account, end } = await startRunAccount(options, "Vitest's larGlobalSetup", 'vitest');
    project.provide('larAccount', account);
    return end;
  };
}
