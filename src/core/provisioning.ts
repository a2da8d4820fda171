// Provisioning and revoking as every door but the action does it: inputs read by the action's rules from the door's
// getter, one connection, the flow, and a plain account back. The action does the same in its own steps, around
// its job summary and step state.
import { generatePassword, keyFingerprint, randomSuffix } from './account/secrets.ts';
import { AxiomError } from './errors.ts';
import { InputError, type InputGetter, PROVISIONING_INPUTS, readInputs, renameInputs } from './inputs.ts';
import { connectToLar } from './lar/connect.ts';
import { checkOrigin } from './origin.ts';
import { ProvisionError, provision } from './provision.ts';
import { revokeKey } from './revoke-key.ts';
import { runIdentityFrom } from './run.ts';

/** A provisioned account: plain and serializable. The API key and the password are secrets. */
const ignore = (): void => undefined;

export interface LarAccount {
  readonly email: string;
  readonly userId: string;
  readonly apiKey: string;
  readonly password: string;
  /** True when this run created the account, false in mode existing. */
  readonly created: boolean;
  /** The origin the account lives on: revoking talks to it again. */
  readonly baseUrl: string;
}

/** How a door meets the world: where lines and secrets go, and what the caller can stop. */
export interface Surroundings {
  /** Where the CI run identity and the proxy variables are read. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Progress lines (each call, each retry); a line never holds a secret. */
  readonly log: (line: string) => void;
  /** Each attempt's outcome and timing, for whoever is debugging; dropped by default. */
  readonly debug?: ((line: string) => void) | undefined;
  /** Each secret, the moment it is known and before any line that could show it. */
  readonly mask: (secret: string) => void;
  readonly signal?: AbortSignal | undefined;
}

/** The action's provisioning inputs in camelCase: what the package's doors take as options. */
export interface InputOptions {
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
  /** The LAR origin: https, or http to a loopback host. */
  readonly baseUrl?: string;
  readonly mode?: 'create' | 'existing';
  /** Mode existing: may replace a key the account already has (which invalidates it). */
  readonly replaceKey?: boolean;
  /** The bound on the whole provisioning, retries included: 5 to 3600. */
  readonly timeoutSeconds?: number;
}

const camel = (name: string): string => name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

/**
 * Options as the input rules read them, by the action's input names; `revokes` says whether the door revokes the key
 * itself at the end (which, in mode existing, needs replace-key).
 */
export function fromOptions(options: InputOptions, { revokes, tagLabel }: { revokes: boolean; tagLabel?: string }): DoorInputs {
  const given = new Map<string, string>();
  for (const input of PROVISIONING_INPUTS) {
    const value = options[camel(input) as keyof InputOptions];
    if (value !== undefined) given.set(input, String(value));
  }
  given.set('revoke-on-exit', String(revokes));
  return { get: (input) => given.get(input) ?? '', nameOf: (input) => `'${camel(input)}'`, ...(tagLabel !== undefined && { tagLabel }) };
}

export interface DoorInputs {
  /** The door's options, by the action's input names ('email-tag', 'revoke-on-exit' …). */
  readonly get: InputGetter;
  /** How the door spells an input in errors (--email-tag, emailTag). */
  readonly nameOf: (input: string) => string;
  /** Carried by a generated tag. */
  readonly tagLabel?: string | undefined;
}

export async function provisionAccount(door: DoorInputs, around: Surroundings): Promise<LarAccount> {
  const { env, log, mask, signal, debug = ignore } = around;
  let inputs: Awaited<ReturnType<typeof readInputs>>;
  try {
    inputs = await readInputs(door.get, {
      run: runIdentityFrom(env),
      randomSuffix,
      password: generatePassword,
      nowMs: Date.now,
      ...(door.tagLabel !== undefined && { tagLabel: door.tagLabel }),
    });
  } catch (error) {
    throw error instanceof InputError ? error.renamed(door.nameOf) : error;
  }
  mask(inputs.password);
  if (signal?.aborted) throw new AxiomError('aborted', 'Aborted before the first request. No request was sent.');
  const client = connectToLar({ baseUrl: inputs.baseUrl, timeoutMs: inputs.timeoutMs, env, mask, debug, info: log, signal });
  try {
    const account = await provision(inputs, client, (line) => log(renameInputs(line, door.nameOf)));
    return { ...account, password: inputs.password, baseUrl: inputs.baseUrl };
  } catch (error) {
    throw error instanceof ProvisionError ? error.renamed(door.nameOf) : error;
  } finally {
    await client.close();
  }
}

/**
 * Makes the account's API key worthless: LAR has no revoke call, so this logs in once and mints a replacement that
 * it discards. One login at most, never repeated once it may have reached the server.
 */
export async function revokeAccount(account: LarAccount, timeoutMs: number, around: Surroundings): Promise<void> {
  const { env, log, mask, signal, debug = ignore } = around;
  mask(account.apiKey);
  mask(account.password);
  const origin = checkOrigin(account.baseUrl);
  if (!('origin' in origin) || origin.origin !== account.baseUrl) {
    throw new AxiomError(
      'input',
      `The account's baseUrl ${'origin' in origin ? 'is not an origin' : origin.problem}. No request was sent.`,
    );
  }
  const client = connectToLar({ baseUrl: account.baseUrl, timeoutMs, env, mask, debug, info: log, signal });
  try {
    await revokeKey(client, account.email, account.password, keyFingerprint(account.apiKey));
    log(`Revoked the API key of ${account.email}: a replacement was minted and discarded.`);
  } finally {
    await client.close();
  }
}
