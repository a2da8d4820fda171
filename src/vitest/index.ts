// The npm package's door for Vitest: a global setup that makes one LAR account for the run, gives it to tests as
// inject('larAccount'), and revokes it at teardown.
//   // global-setup.ts
//   export default larGlobalSetup({ email: 'qa@yourco.com' });
import type { TestProject } from 'vitest/node';
import { githubMask } from '../core/github-mask.ts';
import type { LarAccount } from '../core/provisioning.ts';
import { reusedAccount, type TestRunnerOptions, withAccount } from '../test-runners/account.ts';

export type { LarAccount, TestRunnerOptions as LarOptions };

declare module 'vitest' {
  export interface ProvidedContext {
    larAccount: LarAccount;
  }
}

export function larGlobalSetup(options: TestRunnerOptions): (project: TestProject) => Promise<() => Promise<void>> {
  return async (project) => {
    // An account handed in (the action's export-env, or `open`) is used as it is: none made, nothing revoked.
    const reused = reusedAccount(process.env, options);
    if (reused !== undefined) {
      project.provide('larAccount', reused);
      return async () => undefined;
    }
    // The account lives from setup to teardown: withAccount's `use` resolves when teardown runs.
    let provided!: () => void;
    const ready = new Promise<void>((resolve) => (provided = resolve));
    let teardown!: () => void;
    const finished = new Promise<void>((resolve) => (teardown = resolve));
    // The global setup runs in Vitest's own process, whose output goes to the terminal and into no report: in GitHub
    // Actions each secret is registered there, on a line of its own, before any test can print it.
    const mask = githubMask(process.env, (line) => process.stdout.write(`\n${line}`));
    const life = withAccount(options, { tagLabel: 'vitest', mask }, async (account) => {
      project.provide('larAccount', account);
      provided();
      await finished;
    });
    await Promise.race([ready, life]);
    return async () => {
      teardown();
      await life;
    };
  };
}
