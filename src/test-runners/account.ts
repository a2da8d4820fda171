// What the test-runner doors share: the options they take, an account handed in through the environment, and one
// account's life (made, used, revoked whatever the tests did).
import { AxiomError } from '../core/errors.ts';
import { githubMask } from '../core/github-mask.ts';
import { fromOptions, type InputOptions, type LarAccount, provisionAccount, revokeAccount } from '../core/provisioning.ts';

/** The action's inputs in camelCase; the door revokes the key at the end. */
export interface TestRunnerOptions extends InputOptions {
  /** Progress lines, to stderr by default. */
  readonly log?: (line: string) => void;
}

/**
 * The account the action (export-env) or `axiom-provision open` left in the environment: AXIOM_API_KEY and
 * AXIOM_EMAIL, with AXIOM_USER_ID and AXIOM_BASE_URL when known.
 */
export function reusedAccount(env: Readonly<Record<string, string | undefined>>, options?: TestRunnerOptions): LarAccount | undefined {
  const apiKey = env.AXIOM_API_KEY ?? '';
  const email = env.AXIOM_EMAIL ?? '';
  if (apiKey === '' || email === '') return undefined;
  return {
    apiKey,
    email,
    userId: env.AXIOM_USER_ID ?? '',
    password: '',
    created: false,
    baseUrl: env.AXIOM_BASE_URL ?? options?.baseUrl ?? 'https://lar.axiom.ai',
  };
}

/** How a door runs withAccount: the label a generated tag carries, and where secrets are registered, if anywhere. */
export interface AccountDoor {
  readonly tagLabel: string;
  readonly mask?: (secret: string) => void;
}

/**
 * The run's account, made in a global setup: in the runner's own process, whose output goes to the terminal and into
 * no report, so in GitHub Actions each secret is registered there, on a line of its own, before any test can print
 * it. `end` revokes the key, at teardown.
 */
export async function startRunAccount(
  options: TestRunnerOptions,
  tagLabel: string,
): Promise<{ account: LarAccount; end: () => Promise<void> }> {
  const mask = githubMask(process.env, (line) => process.stdout.write(`\n${line}`));
  let made!: (account: LarAccount) => void;
  const ready = new Promise<LarAccount>((resolve) => (made = resolve));
  let teardown!: () => void;
  const finished = new Promise<void>((resolve) => (teardown = resolve));
  // The account lives from setup to teardown: withAccount's `use` resolves when teardown runs.
  const life = withAccount(options, { tagLabel, mask }, async (account) => {
    made(account);
    await finished;
  });
  const account = await Promise.race([ready, life.then(() => ready)]);
  return {
    account,
    end: async () => {
      teardown();
      await life;
    },
  };
}

/** Makes an account, hands it to `use`, and revokes its key afterwards, whether the tests passed or not. */
export async function withAccount(
  options: TestRunnerOptions,
  { tagLabel, mask = () => undefined }: AccountDoor,
  use: (account: LarAccount) => Promise<void>,
): Promise<void> {
  const log = options.log ?? ((line: string) => process.stderr.write(`[axiom-provision] ${line}\n`));
  const around = { env: process.env, log, mask };
  if (!options.email) throw new AxiomError('input', "Invalid input: set the option 'email' (a mailbox you own). No request was sent.");
  if (options.mode === 'existing' && options.replaceKey !== true) {
    throw new AxiomError(
      'input',
      "Invalid input: mode 'existing' needs 'replaceKey': true here. The key is revoked when the tests end, which mints a " +
        'replacement that stays on the account, so the next run would find a key and refuse. No request was sent.',
    );
  }
  const account = await provisionAccount(fromOptions(options, { revokes: true, tagLabel }), around);
  try {
    await use(account);
  } finally {
    await revokeAccount(account, (options.timeoutSeconds ?? 60) * 1000, around);
  }
}
