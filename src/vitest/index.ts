// The npm package's door for Vitest: a global setup that makes one LAR account for the run, gives it to tests as
// inject('larAccount'), and revokes it at teardown.
//   // global-setup.ts
//   export default larGlobalSetup({ email: 'qa@yourco.com' });
import type { TestProject } from 'vitest/node';
import type { LarAccount } from '../core/flow.ts';
import { readTestRunnerOptions, reusedAccount, startRunAccount, type TestRunnerOptions } from '../test-runners/account.ts';

export type { LarAccount, TestRunnerOptions as LarOptions };

declare module 'vitest' {
  export interface ProvidedContext {
    larAccount: LarAccount;
  }
}

export function larGlobalSetup(options: TestRunnerOptions): (project: TestProject) => Promise<() => Promise<void>> {
  return async (project) => {
    const read = readTestRunnerOptions(options, "Vitest's larGlobalSetup", process.env);
    // An account handed in (the action's export-env, or `open`) is used as it is: none made, nothing revoked.
    const reused = reusedAccount(process.env, read);
    if (reused !== undefined) {
      project.provide('larAccount', reused);
      return async () => undefined;
    }
    const { account, end } = await startRunAccount(read, { traits: { name: "Vitest's larGlobalSetup" }, tagLabel: 'vitest' });
    project.provide('larAccount', account);
    return end;
  };
}
