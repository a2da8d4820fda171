// The npm package's door for Playwright: `test` extended with one LAR account per worker, made on first use and
// revoked when the worker ends. Configure it with `use: { larOptions: { email, baseUrl, … } }`.
import { test as base } from '@playwright/test';
import { AxiomError } from '../core/errors.ts';
import { reusedAccount, type TestRunnerOptions, withAccount } from '../test-runners/account.ts';

export { expect } from '@playwright/test';
export type { LarAccount } from '../core/provisioning.ts';
export type { TestRunnerOptions as LarOptions };

const EXISTING_REFUSED =
  "Invalid input: the Playwright fixture does not take mode 'existing'. Every worker, and every worker Playwright starts " +
  'again after a failed test, would log in once more (with a wrong password, each login counts toward the 29 that lock ' +
  'the account) and mint a key that invalidates the last one. Provision the account once before the tests, with the ' +
  "action's export-env or axiom-provision create --mode existing, and the fixture uses AXIOM_API_KEY and AXIOM_EMAIL. " +
  'No request was sent.';

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
      if (larOptions.mode === 'existing') throw new AxiomError('input', EXISTING_REFUSED);
      // No masks: a worker's output is kept in Playwright's reports (html, blob, json), which are often uploaded, and a
      // mask line would put each secret there. parallelIndex, not workerIndex: a restarted worker takes its slot's index.
      await withAccount(larOptions, { tagLabel: `w${workerInfo.parallelIndex}` }, use);
    },
    // No timer of Playwright's: the core bounds provisioning and revoking by timeoutSeconds, and a fixture cut short by
    // the test timeout would leave the key it had just minted alive, with no teardown to revoke it.
    { scope: 'worker', timeout: 0 },
  ],
});
