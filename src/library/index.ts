// The npm package's door for code: provision and revoke over the same core, and the same rules, as the action.
// It writes nothing to stdout: lines go to the caller's `log`, secrets to the caller's `mask`.
import { AxiomError, type FailureCode } from '../core/errors.ts';
import { InputError, TIMEOUT_RULE, timeoutMsOf } from '../core/inputs.ts';
import { fromOptions, type InputOptions, type LarAccount, provisionAccount, revokeAccount } from '../core/provisioning.ts';

// For the MCP server (axiom-provision-mcp): a key shown by its fingerprint, revokes held to the launch origin, and a
// stored password its account file could not hold exactly refused at launch (dotenvProblem).
export { keyFingerprint } from '../core/account/secrets.ts';
export {
  ACCOUNT_FILE_VARIABLES,
  type AccountFile,
  claimAccountFile,
  dotenvProblem,
  readAccountFile,
  type Variables,
} from '../core/account-file.ts';
export { LAR_ORIGIN } from '../core/lar/origin.ts';
export { AxiomError, type FailureCode, type LarAccount };

export interface ProvisionOptions extends InputOptions {
  readonly signal?: AbortSignal;
  /** Progress lines; nothing is printed. A line never holds a secret. */
  readonly log?: (line: string) => void;
  /** Called with each secret the moment it is known, before any line that could show it: register it with your log's masker. */
  readonly mask?: (secret: string) => void;
  /** Where the CI run identity and the proxy variables are read; process.env by default. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

export interface RevokeOptions {
  /** 5 to 3600; 60 by default. */
  readonly timeoutSeconds?: number;
  readonly signal?: AbortSignal;
  readonly log?: (line: string) => void;
  readonly mask?: (secret: string) => void;
  readonly env?: Readonly<Record<string, string | undefined>>;
}

const ignore = (): void => undefined;

/** Provisions an account: create → login → key (mode create), or login → key (mode existing). */
export async function provision(options: ProvisionOptions): Promise<LarAccount> {
  if (typeof options !== 'object' || options === null)
    throw new AxiomError('input', 'Invalid options: provision takes an object. No request was sent.');
  const around = surroundings(options);
  // Revoking is the caller's: the library never replaces a key on its own.
  return provisionAccount(fromOptions(options, { revokes: false }), around);
}

/** Makes the account's API key worthless: one login, and a replacement key minted and discarded. */
export async function revoke(account: LarAccount, options: RevokeOptions = {}): Promise<void> {
  const around = surroundings(options);
  const timeoutMs = timeoutMsOf(String(options.timeoutSeconds ?? 60));
  if (timeoutMs === undefined) throw new InputError([`'timeoutSeconds' ${TIMEOUT_RULE}`]);
  const missing = ACCOUNT_FIELDS.filter((field) => typeof account?.[field] !== 'string' || account[field] === '');
  if (missing.length > 0) {
    throw new AxiomError('input', `Invalid account: it has no ${missing.join(', ')}; pass what provision() returned. No request was sent.`);
  }
  return revokeAccount(account, timeoutMs, around);
}

/** The options that are not inputs, checked as inputs are: a wrong type is an input error, and nothing is sent. */
function surroundings(options: RevokeOptions) {
  const problems = [
    options.signal !== undefined && !(options.signal instanceof AbortSignal) ? "'signal' must be an AbortSignal" : undefined,
    options.log !== undefined && typeof options.log !== 'function' ? "'log' must be a function" : undefined,
    options.mask !== undefined && typeof options.mask !== 'function' ? "'mask' must be a function" : undefined,
    options.env !== undefined && (typeof options.env !== 'object' || options.env === null) ? "'env' must be an object" : undefined,
  ].filter((problem) => problem !== undefined);
  if (problems.length > 0) throw new AxiomError('input', `Invalid options: ${problems.join('; ')}. No request was sent.`);
  return { env: options.env ?? process.env, log: options.log ?? ignore, mask: options.mask ?? ignore, signal: options.signal };
}

const ACCOUNT_FIELDS = ['email', 'userId', 'apiKey', 'password', 'baseUrl'] as const;
