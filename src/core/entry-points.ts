// Provisioning and revoking for every door but the action, which does the same around its summary and step state:
// the door's options read by the action's input rules, one connection, the flow, and a plain account back.
import { addressProblem } from './account/email.ts';
import { keyFingerprint } from './account/secrets.ts';
import { AxiomError } from './errors.ts';
import { type LarAccount, type Mode, ProvisionError, runFlow } from './flow.ts';
import { type DoorTraits, InputError, type InputGetter, quote, readInputs, renameInputs } from './inputs.ts';
import { connectToLar } from './lar/connect.ts';
import { checkOrigin } from './origin.ts';
import { connectAndRevoke } from './revoke-key.ts';
import { runIdentityFrom } from './run.ts';

const ignore = (): void => undefined;

/** How a door meets the world: where lines and secrets go, and what the caller can stop. */
export interface Surroundings {
  /** Where the CI run identity and the proxy variables are read. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Progress lines; a line never holds a secret. */
  readonly log: (line: string) => void;
  /** Each secret, the moment it is known and before any line that could show it. */
  readonly mask: (secret: string) => void;
  readonly signal?: AbortSignal | undefined;
}

/** What connecting to LAR takes from the surroundings; each attempt's debug lines are dropped. */
const connection = ({ env, log, mask, signal }: Surroundings) => ({ env, mask, debug: ignore, info: log, signal });

const camel = (name: string): string => name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

/** Each kind of option: the test a value must pass, and how an error names the kind. */
const KIND_RULES = {
  string: [(value: unknown): value is string => typeof value === 'string', 'a string'],
  number: [(value: unknown): value is number => typeof value === 'number', 'a number'],
  boolean: [(value: unknown): value is boolean => typeof value === 'boolean', 'true or false'],
  function: [(value: unknown): value is (value: string) => void => typeof value === 'function', 'a function'],
  env: [(value: unknown): value is Surroundings['env'] => typeof value === 'object' && value !== null, 'an object of strings'],
  signal: [(value: unknown): value is AbortSignal => value instanceof AbortSignal, 'an AbortSignal'],
} as const;
type OptionKind = keyof typeof KIND_RULES;
type KindValue<Kind extends OptionKind> = (typeof KIND_RULES)[Kind][0] extends (value: unknown) => value is infer T ? T : never;
type OptionsOf<Kinds extends Readonly<Record<string, OptionKind>>> = { readonly [Name in keyof Kinds]?: KindValue<Kinds[Name]> };

/** The action's provisioning inputs in camelCase, as the package's doors take them. */
export const PROVISIONING_OPTIONS = {
  email: 'string',
  /** Empty or absent: a tag unique to this run is generated. */
  emailTag: 'string',
  /** Absent in mode create: a strong random one is generated. Required in mode existing. */
  password: 'string',
  name: 'string',
  company: 'string',
  country: 'string',
  role: 'string',
  campaign: 'string',
  language: 'string',
  /** The LAR origin: https, or http to a loopback host. */
  baseUrl: 'string',
  mode: 'string',
  /** Mode existing: may replace a key the account already has (which invalidates it). */
  replaceKey: 'boolean',
  /** The bound on the whole provisioning, retries included: 5 to 3600. */
  timeoutSeconds: 'number',
} as const;
/** The provisioning options as read: plain and checked for kind, but not yet by the input rules. */
export type ProvisioningOptions = OptionsOf<typeof PROVISIONING_OPTIONS>;
export type InputOptions = Omit<ProvisioningOptions, 'email' | 'mode'> & {
  /** The base mailbox (mode create, plus-addressed with a tag) or the account's address (mode existing). */
  readonly email: string;
  readonly mode?: Mode;
};

/**
 * A caller's options, read once into a plain object (`env` copied too), own properties only: an unknown name, a wrong kind
 * or a throwing getter or Proxy trap is an input error showing no value. `misplaced` says why a name would be unsafe.
 */
export function readOptions<Kinds extends Readonly<Record<string, OptionKind>>>(
  given: unknown,
  kinds: Kinds,
  { of, misplaced = {} }: { of: string; misplaced?: Readonly<Record<string, string>> },
): OptionsOf<Kinds> {
  if (typeof given !== 'object' || given === null) throw new InputError([`${of} takes an object`]);
  // No prototype: a name this object lacks is absent, whatever a polluted Object.prototype holds.
  const read: Record<string, unknown> = Object.create(null);
  const problems: string[] = [];
  try {
    for (const name of Reflect.ownKeys(given)) {
      const kind = typeof name === 'string' && Object.hasOwn(kinds, name) ? kinds[name] : undefined;
      if (kind === undefined) {
        const shown = typeof name === 'symbol' ? 'a property named by a symbol' : quote(name);
        const why = typeof name === 'string' && Object.hasOwn(misplaced, name) ? misplaced[name] : undefined;
        problems.push(why ?? `${shown} is not an option of ${of}`);
        continue;
      }
      const value: unknown = (given as Record<string, unknown>)[name as string];
      if (value === undefined) continue;
      const [fits, rule] = KIND_RULES[kind];
      const copied = !fits(value) ? undefined : kind === 'env' ? plainEnv(value as object) : value;
      if (copied === undefined) problems.push(`'${name as string}' must be ${rule}`);
      else read[name as string] = copied;
    }
  } catch {
    throw new InputError([`reading the options of ${of} threw (a getter or a Proxy trap); pass a plain object`]);
  }
  if (problems.length > 0) throw new InputError(problems);
  return Object.freeze(read) as OptionsOf<Kinds>;
}

// No prototype: process.env's reaches Object.prototype, so a polluted one would add variables.
function plainEnv(env: object): Record<string, string> | undefined {
  const copy: Record<string, string> = Object.create(null);
  for (const name of Reflect.ownKeys(env)) {
    const value: unknown = (env as Record<string | symbol, unknown>)[name];
    if (value === undefined) continue;
    if (typeof name !== 'string' || typeof value !== 'string') return undefined;
    copy[name] = value;
  }
  return copy;
}

/** The surroundings of a door in the caller's code: the environment copied, and each callback stopped if it throws. */
export function callerSurroundings(
  { env, log, mask, signal }: OptionsOf<typeof SURROUNDINGS>,
  defaultLog: (line: string) => void = ignore,
): Surroundings {
  return {
    env: env ?? plainEnv(process.env) ?? {},
    log: log === undefined ? defaultLog : stopIfThrows('log', log),
    mask: mask === undefined ? ignore : stopIfThrows('mask', mask),
    signal,
  };
}

export const SURROUNDINGS = { signal: 'signal', log: 'function', mask: 'function', env: 'env' } as const;

// The caller's own error is dropped: its message could quote what it was given, a secret included.
function stopIfThrows(name: string, callback: (value: string) => void): (value: string) => void {
  return (value) => {
    try {
      callback(value);
    } catch {
      throw new AxiomError(
        'callback',
        `The option '${name}' threw, so the flow stopped there and returns no account. If a key was minted, nobody ` +
          'holds it: the account keeps it until a later login mints another.',
      );
    }
  };
}

/** Options as the input rules read them, by the action's input names; errors spell them in camelCase. */
export function fromOptions(options: ProvisioningOptions, traits: DoorTraits, tagLabel?: string): DoorInputs {
  const option = (input: string): unknown => (Object.hasOwn(options, camel(input)) ? Reflect.get(options, camel(input)) : undefined);
  return {
    get: (input) => String(option(input) ?? ''),
    nameOf: (input) => `'${camel(input)}'`,
    traits,
    tagLabel,
  };
}

interface DoorInputs {
  /** The door's options, by the action's input names ('email-tag', 'replace-key' …). */
  readonly get: InputGetter;
  /** How the door spells an input in errors (--email-tag, emailTag). */
  readonly nameOf: (input: string) => string;
  readonly traits?: DoorTraits | undefined;
  readonly tagLabel?: string | undefined;
}

export async function provisionAccount(door: DoorInputs, around: Surroundings): Promise<LarAccount> {
  try {
    const inputs = await readInputs(door.get, { run: runIdentityFrom(around.env), tagLabel: door.tagLabel }, door.traits);
    around.mask(inputs.password);
    if (around.signal?.aborted) throw new AxiomError('aborted', 'Aborted before the first request. No request was sent.');
    const client = connectToLar({ baseUrl: inputs.baseUrl, timeoutMs: inputs.timeoutMs, ...connection(around) });
    try {
      return await runFlow(inputs, client, (line) => around.log(renameInputs(line, door.nameOf)));
    } finally {
      await client.close();
    }
  } catch (error) {
    throw error instanceof InputError || error instanceof ProvisionError ? error.renamed(door.nameOf) : error;
  }
}

/** Ends the account's key as connectAndRevoke does (one login at most), once its origin and address check out. */
export async function revokeAccount(account: LarAccount, timeoutMs: number, around: Surroundings): Promise<void> {
  around.mask(account.apiKey);
  around.mask(account.password);
  const origin = checkOrigin(account.baseUrl);
  const originProblem = !('origin' in origin) ? origin.problem : origin.origin !== account.baseUrl ? 'is not an origin' : undefined;
  if (originProblem !== undefined) throw new AxiomError('input', `The account's baseUrl ${originProblem}. No request was sent.`);
  // A login to something that is no address would only cost a failed login at whatever account the server maps it to.
  const emailProblem = addressProblem(account.email);
  if (emailProblem !== undefined) throw new AxiomError('input', `The account's email ${emailProblem}. No request was sent.`);
  // Nor would a blank password, which no account has (every door refuses one).
  if (account.password.trim() === '') throw new AxiomError('input', "The account's password is blank. No request was sent.");
  await connectAndRevoke({ ...account, keyFingerprint: keyFingerprint(account.apiKey) }, { timeoutMs, ...connection(around) });
}
