// The npm package's door for Playwright: `test` extended with `larAccount`. By default one LAR account per worker,
// made on first use and revoked when the worker ends, configured with `use: { larOptions: { email, baseUrl, … } }`.
import { test as base } from '@playwright/test';
import { accountVariables, TEST_FIELDS } from '../core/account-file.ts';
import type { LarAccount } from '../core/flow.ts';
import { readTestRunnerOptions, reusedAccount, startRunAccount, type TestRunnerOptions, withAccount } from '../test-runners/account.ts';

export { expect } from '@playwright/test';
export type { LarAccount, TestRunnerOptions as LarOptions };

const FIXTURE = {
  name: 'the Playwright fixture',
  accountPerWorker: {
    onePerRun: "Make one account for the run instead: larGlobalSetup({ …, mode: 'existing' }) as the config's globalSetup",
  },
};

/**
 * A global setup that makes one account for the whole run, in Playwright's own process, and revokes it at teardown:
 * `export default larGlobalSetup({ email: 'qa@yourco.com' })` in the file the config's `globalSetup` names. It hands
 * the account to the workers through the environment (AXIOM_API_KEY, AXIOM_EMAIL …), which `larAccount` then uses.
 */
export function larGlobalSetup(options: TestRunnerOptions): () => Promise<() => Promise<void>> {
  return async () => {
    const { account, handedIn, end } = await startRunAccount(options, "Playwright's larGlobalSetup", 'playwright');
    // Playwright starts its workers with this process's environment.
    if (!handedIn) Object.assign(process.env, accountVariables(account, TEST_FIELDS));
    return end;
  };
}

export const test = base.extend<Record<never, never>, { larOptions: TestRunnerOptions; larAccount: LarAccount }>({
  larOptions: [{ email: '' }, { scope: 'worker', option: true }],
  larAccount: [
    async ({ larOptions }, use, workerInfo) => {
      // Read first, even for an account handed in: a password in larOptions is in the reports either way.
      const options = readTestRunnerOptions(larOptions, 'larOptions', process.env);
      const reused = reusedAccount(process.env, options);
      if (reused !== undefined) return use(reused);
      // No masks: a worker's output is kept in Playwright's reports (html, blob, json), which are often uploaded, and a
      // mask line would put each secret there. parallelIndex, not workerIndex: a restarted worker takes its slot's index.
      await withAccount(options, { traits: FIXTURE, tagLabel: `w${workerInfo.parallelIndex}` }, use);
    },
    // No timer of Playwright's: the core bounds provisioning and revoking by timeoutSeconds, and a fixture cut short by
    // the test timeout would leave the key it had just minted alive, with no teardown to revoke it.
    { scope: 'worker', timeout: 0 },
  ],
});
