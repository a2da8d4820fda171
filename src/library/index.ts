// The npm package's door for code: provision and revoke over the same core, and the same rules, as the action.
// It writes nothing to stdout: lines go to the caller's `log`, secrets to the caller's `mask`.
import {
  callerSurroundings,
  fromOptions,
  type InputOptions,
  PROVISIONING_OPTIONS,
  provisionAccount,
  readOptions,
  revokeAccount,
  SURROUNDINGS,
} from '../core/entry-points.ts';
import { AxiomError, type FailureCode } from '../core/errors.ts';
import type { LarAccount } from '../core/flow.ts';
import { revokeTimeoutMs } from '../core/inputs.ts';

// What the MCP server (axiom-provision-mcp) takes from the core beyond provision and revoke.
export { plusAddress } from '../core/account/email.ts';
export { keyFingerprint } from '../core/account/secrets.ts';
export {
  ACCOUNT_FILE_VARIABLES,
  type AccountFile,
  claimAccountFile,
  dotenvProblem,
  isStill,
  readAccountFile,
  removeAccountFile,
  VARIABLE_NAME,
  type Variables,
} from '../core/account-file.ts';
export { LAR_ORIGIN } from '../core/origin.ts';
export { AxiomError, type FailureCode, type LarAccount };

/** How your code meets the flow. A callback that throws stops it (code `callback`). */
interface CallerOptions {
  readonly signal?: AbortSignal;
  /** Progress lines; nothing is printed. A line never holds a secret. */
  readonly log?: (line: string) => void;
  /** Each secret the moment it is known, before any line that could show it: register it with your log's masker. */
  readonly mask?: (secret: string) => void;
  /** Where the CI run identity and the proxy variables are read; process.env by default. Copied once, at the start. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

export type ProvisionOptions = InputOptions & CallerOptions;

export interface RevokeOptions extends CallerOptions {
  /** 5 to 3600; 60 by default. */
  readonly timeoutSeconds?: number;
}

const ACCOUNT = { email: 'string', userId: 'string', apiKey: 'string', password: 'string', baseUrl: 'string', created: 'boolean' } as const;
const REQUIRED = ['email', 'userId', 'apiKey', 'password', 'baseUrl'] as const;

/** Provisions an account: create → login → key (mode create), or login → key (mode existing). */
export async function provision(options: ProvisionOptions): Promise<LarAccount> {
  const read = readOptions(options, { ...PROVISIONING_OPTIONS, ...SURROUNDINGS }, { of: 'provision()' });
  // Revoking is the caller's: the library never replaces a key on its own.
  return provisionAccount(fromOptions(read, { name: 'provision()', revokesAtEnd: false }), callerSurroundings(read));
}

/** Makes the account's API key worthless: one login, and a replacement key minted and discarded. */
export async function revoke(account: LarAccount, options: RevokeOptions = {}): Promise<void> {
  const read = readOptions(options, { timeoutSeconds: 'number', ...SURROUNDINGS }, { of: 'revoke()' });
  const timeoutMs = revokeTimeoutMs(read.timeoutSeconds, "'timeoutSeconds'");
  const given = readOptions(account, ACCOUNT, { of: 'the account revoke() takes' });
  const missing = REQUIRED.filter((field) => (given[field] ?? '') === '');
  if (missing.length > 0) {
    throw new AxiomError('input', `Invalid account: it has no ${missing.join(', ')}; pass what provision() returned. No request was sent.`);
  }
  return revokeAccount({ created: false, ...given } as LarAccount, timeoutMs, callerSurroundings(read));
}
