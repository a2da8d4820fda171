// The npm package's door for code: provision and revoke, over the same core and the same rules as the action.
// It writes nothing to stdout: lines go to the caller's `log`, secrets to the caller's `mask`.
import { generatePassword, keyFingerprint, randomSuffix } from '../core/account/secrets.ts';
import { type RunIdentity, runIdentityFrom } from '../core/run.ts';
import { AxiomError, type FailureCode } from '../core/errors.ts';
import { readInputs } from '../core/inputs.ts';
import { connectToLar } from '../core/lar/connect.ts';
import { provision as provisionWith } from '../core/provision.ts';
import { revokeKey } from '../core/revoke-key.ts';

export { AxiomError, type FailureCode };

export interface ProvisionOptions {
  /** The base mailbox (mode create, plus-addressed with a tag) or the account's address (mode existing). */
  readonly email: string;
  /** Empty or absent: a tag unique to this run is generated. */
  readonly emailTag?: string;
  /** Absent in mode create: a strong random one is generated. Required in mode existing. */
  readonly password?: string;
  readonly name?: string;
  readonly company?: string;
  readonly country?: string;
  readonly role?: string;
  readonly campaign?: string;
  readonly language?: string;
  readonly baseUrl?: string;
  readonly mode?: 'create' | 'existing';
  readonly replaceKey?: boolean;
  /** The bound on the whole provisioning, retries included: 5 to 3600. */
  readonly timeoutSeconds?: number;
  readonly signal?: AbortSignal;
  /** Progress lines; nothing else is printed. A line never holds a secret. */
  readonly log?: (line: string) => void;
  /** Called with each secret the moment it is known, before any line that could show it: register it with your log's masker. */
  readonly mask?: (secret: string) => void;
  /** Where the CI run identity and the proxy variables are read; process.env by default. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** A label the generated tag carries (the Playwright fixture passes the worker's parallel index). */
  readonly tagLabel?: string;
}

/** A provisioned account: plain and serializable. The API key and the password are secrets. */
export interface LarAccount {
  readonly email: string;
  readonly userId: string;
  readonly apiKey: string;
  readonly password: string;
  /** True when this run created the account, false in mode existing. */
  readonly created: boolean;
  /** What revoking takes besides the above. */
  readonly baseUrl: string;
}

export interface RevokeOptions {
  readonly timeoutSeconds?: number;
  readonly signal?: AbortSignal;
  readonly log?: (line: string) => void;
  readonly mask?: (secret: string) => void;
  readonly env?: Readonly<Record<string, string | undefined>>;
}

const OPTION_NAMES = [
  'email',
  'emailTag',
  'password',
  'name',
  'company',
  'country',
  'role',
  'campaign',
  'language',
  'baseUrl',
  'mode',
  'replaceKey',
  'timeoutSeconds',
] as const;
const kebab = (name: string): string => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
const camel = (name: string): string => name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
const ignore = (): void => undefined;

/** Provisions an account: create → login → key (mode create), or login → key (mode existing). */
export async function provision(options: ProvisionOptions): Promise<LarAccount> {
  const { log = ignore, mask = ignore, env = process.env, signal } = options;
  const given = new Map<string, string>();
  for (const name of OPTION_NAMES) {
    const value = options[name];
    if (value !== undefined) given.set(kebab(name), String(value));
  }
  const inputs = readInputs((name) => given.get(name) ?? '', {
    run: runIdentityFrom(env),
    randomSuffix,
    password: generatePassword,
    nowMs: Date.now,
    ...(options.tagLabel !== undefined && { tagLabel: options.tagLabel }),
    nameOf: (name) => `'${camel(name)}'`,
    // Revoking is the caller's: nothing here replaces a key on its own.
    revokeOnExit: false,
  });
  mask(inputs.password);
  signal?.throwIfAborted();
  const client = connectToLar({ baseUrl: inputs.baseUrl, timeoutMs: inputs.timeoutMs, env, mask, debug: log, info: log, signal });
  try {
    const account = await provisionWith(inputs, client, log);
    return { ...account, password: inputs.password, baseUrl: inputs.baseUrl };
  } finally {
    await client.close();
  }
}

/**
 * Makes the account's API key worthless: LAR has no revoke call, so this logs in once and mints a replacement that
 * it discards. One login at most, and never repeated once it may have reached the server.
 */
export async function revoke(account: LarAccount, options: RevokeOptions = {}): Promise<void> {
  const { log = ignore, mask = ignore, env = process.env, signal, timeoutSeconds = 60 } = options;
  mask(account.apiKey);
  mask(account.password);
  const client = connectToLar({ baseUrl: account.baseUrl, timeoutMs: timeoutSeconds * 1000, env, mask, debug: log, info: log, signal });
  try {
    await revokeKey(client, account.email, account.password, keyFingerprint(account.apiKey));
    log(`Revoked the API key of ${account.email}: a replacement was minted and discarded.`);
  } finally {
    await client.close();
  }
}

export type { RunIdentity };
