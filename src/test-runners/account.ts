// What the test-runner doors share: the options they take, an account handed in through the environment, and one
// account's life (made, used, revoked whatever the tests did).
import { ACCOUNT_VARIABLE, TEST_FIELDS, VARIABLE_NAME } from '../core/account-file.ts';
import {
  callerSurroundings,
  fromOptions,
  type InputOptions,
  PROVISIONING_OPTIONS,
  type ProvisioningOptions,
  provisionAccount,
  readOptions,
  revokeAccount,
} from '../core/entry-points.ts';
import type { LarAccount } from '../core/flow.ts';
import { addMaskLine, isRegularFile } from '../core/github-mask.ts';
import { type DoorTraits, InputError, revokeTimeoutMs } from '../core/inputs.ts';
import { LAR_ORIGIN } from '../core/origin.ts';

/** The action's inputs in camelCase, the password named by its environment variable; the door revokes the key at the end. */
export interface TestRunnerOptions extends Omit<InputOptions, 'password'> {
  /**
   * The environment variable that holds the password (mode existing), such as 'AXIOM_PASSWORD'. Never the password
   * itself: test runners copy their options into reports (Playwright puts `use` into report.json).
   */
  readonly passwordEnv?: string;
  /** Progress lines, to stderr by default. If it throws, the flow stops (code `callback`). */
  readonly log?: (line: string) => void;
}

/** With the password taken from the environment. */
export type ReadOptions = ProvisioningOptions & Pick<TestRunnerOptions, 'log'>;

const { password: _password, ...WITHOUT_PASSWORD } = PROVISIONING_OPTIONS;
const TEST_RUNNER_OPTIONS = { ...WITHOUT_PASSWORD, passwordEnv: 'string', log: 'function' } as const;
const PASSWORD_REFUSED =
  "'password' is not taken here, where a test runner may copy its options into reports (Playwright puts them in " +
  "report.json): put the password in an environment variable and name it, such as passwordEnv: 'AXIOM_PASSWORD'";

/** Neither the name `passwordEnv` gives nor the password is ever shown: a password could stand in either. */
export function readTestRunnerOptions(options: unknown, of: string, env: Readonly<Record<string, string | undefined>>): ReadOptions {
  const { passwordEnv, ...read } = readOptions(options, TEST_RUNNER_OPTIONS, { of, misplaced: { password: PASSWORD_REFUSED } });
  if (passwordEnv === undefined) return read;
  if (!VARIABLE_NAME.test(passwordEnv)) {
    throw new InputError([
      "'passwordEnv' must be the name of an environment variable, such as AXIOM_PASSWORD (what it holds is not shown: it may be a password)",
    ]);
  }
  const password = env[passwordEnv] ?? '';
  if (password === '') throw new InputError(["'passwordEnv' names an environment variable that is empty or not set"]);
  // No prototype, as read has none: a polluted Object.prototype adds no option.
  return Object.freeze(Object.assign(Object.create(null) as ReadOptions, read, { password }));
}

/** The account the action (export-env), a global setup or `axiom-provision open` left in the environment, if any. */
export function reusedAccount(env: Readonly<Record<string, string | undefined>>, options: ReadOptions): LarAccount | undefined {
  const [apiKey = '', email = '', userId = '', baseUrl] = TEST_FIELDS.map((field) => env[ACCOUNT_VARIABLE[field]]);
  if (apiKey === '' || email === '') return undefined;
  return { apiKey, email, userId, password: '', created: false, baseUrl: baseUrl ?? options.baseUrl ?? LAR_ORIGIN };
}

interface AccountDoor {
  readonly traits: Omit<DoorTraits, 'revokesAtEnd'>;
  readonly tagLabel: string;
}

/** An account made, and `end`, which revokes its key (once, however often it is called). */
interface MadeAccount {
  readonly account: LarAccount;
  readonly end: () => Promise<void>;
}

/**
 * The run's account for a global setup. One handed in is used as it is: none made, nothing revoked. Else it is made in
 * the runner's own process, whose output goes to the terminal and into no report, so in GitHub Actions the key and the
 * password are registered there before any test can print them; `end` revokes the key at teardown.
 */
export async function startRunAccount(
  options: TestRunnerOptions,
  name: string,
  tagLabel: string,
): Promise<MadeAccount & { handedIn: boolean }> {
  const read = readTestRunnerOptions(options, name, process.env);
  const handedIn = reusedAccount(process.env, read);
  if (handedIn !== undefined) return { account: handedIn, handedIn: true, end: async () => undefined };
  const made = await makeAccount(read, { traits: { name }, tagLabel });
  if (process.env.GITHUB_ACTIONS === 'true' && !isRegularFile(1)) {
    for (const secret of [made.account.apiKey, made.account.password]) process.stdout.write(`\n${addMaskLine(secret)}`);
  }
  return { ...made, handedIn: false };
}

/** Makes an account, hands it to `use`, and revokes its key afterwards, whether the tests passed or not. */
export async function withAccount(options: ReadOptions, door: AccountDoor, use: (account: LarAccount) => Promise<void>): Promise<void> {
  const { account, end } = await makeAccount(options, door);
  try {
    await use(account);
  } finally {
    await end();
  }
}

async function makeAccount(options: ReadOptions, { traits, tagLabel }: AccountDoor): Promise<MadeAccount> {
  // The core's secrets stay unmasked here: only what the tests get (the key and the password) can be printed, and a
  // mask line holds its secret whole.
  const around = callerSurroundings({ log: options.log }, (line) => process.stderr.write(`[axiom-provision] ${line}\n`));
  const door = fromOptions(options, { ...traits, revokesAtEnd: true }, tagLabel);
  const nameOf = (input: string) => (input === 'password' ? "the password (from 'passwordEnv')" : door.nameOf(input));
  const account = await provisionAccount({ ...door, nameOf }, around);
  let ended: Promise<void> | undefined;
  const end = () => (ended ??= revokeAccount(account, revokeTimeoutMs(options.timeoutSeconds, "'timeoutSeconds'"), around));
  return { account, end };
}
