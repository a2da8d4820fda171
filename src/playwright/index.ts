// The npm package's door for Playwright: `test` extended with one LAR account per worker, made on first use and
// revoked when the worker ends. Configure it with `use: { larOptions: { email, baseUrl, … } }`.
import { test as base } from '@playwright/test';
import { reusedAccount, type TestRunnerOptions, withAccount } from '../test-runners/account.ts';

export { expect } from '@playwright/test';
export type { LarAccount } from '../core/provisioning.ts';
export type { TestRunnerOptions as LarOptions };

export const test = base.extend<
  Record<never, never>,
  { larOptions: TestRunnerOptions; larAccount: import('../core/provisioning.ts').LarAccount }
>({
  larOptions: [{ email: '' }, { scope: 'worker', option: true }],
  larAccount: [
    async ({ larOptions }, use, workerInfo) => {
      // An account handed in (the action's export-env, or `open`) is used as it is: none made, nothing revoked.
      const reused = reusedAccount(process.env, larOptions);
      if (reused !== undefined) return use(reused);
      // parallelIndex, not workerIndex: a restarted worker takes its slot's index again.
      await withAccount(larOptions, `w${workerInfo.parallelIndex}`, use);
    },
    // No timer of Playwright's: the core bounds provisioning and revoking by timeoutSeconds, and a fixture cut short by
    // the test timeout would leave the key it had just minted alive, with no teardown to revoke it.
    { scope: 'worker', timeout: 0 },
  ],
});
