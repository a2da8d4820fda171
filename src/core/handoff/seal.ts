// Seals an account for later jobs of the same workflow run, and opens it there: AES-256-GCM under a key scrypt derives
// from the handoff secret and a fresh salt, with a fresh nonce. The handoff is public (a job output, and the `with:` of
// each step that opens it, in logs kept for months): the secret alone protects it, so a guessable one is refused and
// scrypt makes each guess cost memory and time. Repository and run are bound in, so another run's handoff opens nothing.
import { createCipheriv, createDecipheriv, randomBytes, type ScryptOptions, scryptSync } from 'node:crypto';
import type { ZxcvbnFactory } from '@zxcvbn-ts/core';
import type { LarAccount } from '../flow.ts';
import { boundRun, type RunIdentity } from '../run.ts';

/** The format's name and version: v2 can change anything after the first dot. */
const HANDOFF_VERSION = 'axh1';
const MIN_SECRET_LENGTH = 32;
// The fewest guesses (a power of ten) zxcvbn may estimate for a secret to seal with: above a passphrase such as "correct
// horse battery staple 2024!", below 24 random bytes in base64url (the shortest random secret accepted).
const MIN_GUESSES_LOG10 = 27;

export class HandoffError extends Error {
  override readonly name = 'HandoffError';
}

/** A handoff from an earlier attempt of this run: its key may already be revoked. */
export class EarlierAttemptError extends HandoffError {
  constructor(sealedAttempt: string, currentAttempt: string) {
    super(
      `was made in attempt ${sealedAttempt} of this workflow run, and this is attempt ${currentAttempt}. ` +
        `"Re-run failed jobs" reuses the account job's output from the earlier attempt, whose key the revoke job may already have ended, ` +
        `so it is not handed out. Use "Re-run all jobs", which provisions a fresh account`,
    );
  }
}

const SALT_BYTES = 16;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
/**
 * The scrypt cost the action seals and opens with: memory and time once per job that seals or opens, and per guess
 * for an attacker. A handoff opens only under the cost it was sealed with; tests of the logic pass a cheaper one.
 */
export const SCRYPT_COST = Object.freeze({ N: 1 << 14, r: 8, p: 1, maxmem: 64 << 20 });
/** Binds the key to this format, so the same secret used elsewhere derives another key. */
const KEY_CONTEXT = 'axiom-provision handoff v1\0';
/** Canonical numbers (no leading zero) and unpadded base64url: one string per handoff. */
const FORMAT = /^axh1\.([1-9]\d{0,19})\.([1-9]\d{0,9})\.([A-Za-z0-9_-]+)$/;

export function secretLengthProblem(secret: string): string | undefined {
  if (secret === '') return 'is empty';
  const { length } = secret.trim();
  if (length < MIN_SECRET_LENGTH)
    return `is ${length} characters long; it must be at least ${MIN_SECRET_LENGTH} (make one with: openssl rand -base64 32)`;
  return undefined;
}

/** What makes a secret unfit to seal with, in words that quote none of it. */
export async function secretProblem(secret: string): Promise<string | undefined> {
  const lengthProblem = secretLengthProblem(secret);
  if (lengthProblem !== undefined) return lengthProblem;
  const readings = [secret.trim(), ...decodedText(secret.trim())];
  const guesses = await Promise.all(readings.map(estimatedGuessesLog10));
  if (guesses.some((log10) => log10 < MIN_GUESSES_LOG10)) {
    return (
      'is too easy to guess: it looks made of words, names, keyboard patterns, sequences or repeats. ' +
      `Use a random secret of at least ${MIN_SECRET_LENGTH} characters, made with: openssl rand -base64 32`
    );
  }
  return undefined;
}

// An encoded phrase looks random to zxcvbn, so what a hex or base64 secret decodes to is judged too, when it is text
// (random bytes almost never are).
function decodedText(secret: string): string[] {
  const decodings: Buffer[] = [];
  if (/^(?:[0-9a-f]{2})+$/i.test(secret)) decodings.push(Buffer.from(secret, 'hex'));
  if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(secret)) decodings.push(Buffer.from(secret, 'base64'));
  return decodings
    .map((bytes) => bytes.toString('latin1'))
    .filter((text) => /^[\x20-\x7e\n]+$/.test(text))
    .map((text) => text.trim());
}

// zxcvbn knows common passwords, English words and names, keyboard layouts, sequences, repeats and dates. Loaded on
// first use: its dictionaries take long enough to load that a step given no handoff secret should not wait for them.
let estimator: Promise<ZxcvbnFactory> | undefined;
/** A step judges its secret when it reads its inputs and again when it seals: the second answer is the first. */
const estimates = new Map<string, Promise<number>>();

/** zxcvbn's estimate as a power of ten. Only the secret is judged: no hint about the user, which could end up in a log. */
function estimatedGuessesLog10(secret: string): Promise<number> {
  let estimate = estimates.get(secret);
  if (estimate === undefined) {
    estimator ??= loadEstimator();
    estimate = estimator.then((zxcvbn) => zxcvbn.check(secret).guessesLog10);
    estimates.set(secret, estimate);
  }
  return estimate;
}

async function loadEstimator(): Promise<ZxcvbnFactory> {
  const [{ ZxcvbnFactory }, common, english] = await Promise.all([
    import('@zxcvbn-ts/core'),
    import('@zxcvbn-ts/language-common'),
    import('@zxcvbn-ts/language-en'),
  ]);
  return new ZxcvbnFactory({ dictionary: { ...common.dictionary, ...english.dictionary }, graphs: common.adjacencyGraphs });
}

export async function seal(
  account: LarAccount,
  secret: string,
  run: RunIdentity,
  { cost = SCRYPT_COST }: { cost?: ScryptOptions } = {},
): Promise<string> {
  assertSecret(await secretProblem(secret));
  const salt = randomBytes(SALT_BYTES);
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', deriveKey(secret, salt, cost), nonce, { authTagLength: TAG_BYTES });
  const { repository, runId, runAttempt } = wholeRun(run);
  cipher.setAAD(associatedData(run.ci, repository, runId, runAttempt));
  const { email, userId, apiKey, password, baseUrl, created } = account;
  const payload = JSON.stringify({ email, userId, apiKey, password, baseUrl, created });
  const ciphertext = Buffer.concat([cipher.update(payload, 'utf8'), cipher.final()]);
  const body = Buffer.concat([salt, nonce, ciphertext, cipher.getAuthTag()]).toString('base64url');
  // The run and attempt travel in clear as well (they are not secret), so a wrong one gets a clear error.
  return `${HANDOFF_VERSION}.${runId}.${runAttempt}.${body}`;
}

/**
 * Opens a handoff made in this run. `acceptEarlierAttempts`: revoking an earlier attempt's account is safe, handing out
 * its key is not. The secret's strength is not judged again: that could only refuse to revoke what an older version sealed.
 */
export function open(
  handoff: string,
  secret: string,
  run: RunIdentity,
  { acceptEarlierAttempts = false, cost = SCRYPT_COST }: { acceptEarlierAttempts?: boolean; cost?: ScryptOptions } = {},
): LarAccount {
  assertSecret(secretLengthProblem(secret));
  const text = handoff.trim();
  if (text === '') {
    throw new HandoffError(
      "is empty. Pass the account job's output (needs.<job>.outputs.handoff), and declare it under that job's outputs: as steps.<id>.outputs.handoff",
    );
  }
  const match = FORMAT.exec(text);
  const version = /^(axh\d+)\./.exec(text)?.[1];
  if (match === null) {
    throw new HandoffError(
      version !== undefined && version !== HANDOFF_VERSION
        ? `is in the format ${version}, and this version of axiom-provision reads ${HANDOFF_VERSION}; use the same version in every job`
        : version === HANDOFF_VERSION
          ? 'is not a complete handoff: it was damaged or cut when copied; pass the output as it is'
          : `is not a handoff axiom-provision made (one starts with "${HANDOFF_VERSION}.")`,
    );
  }
  const [, runId = '', attempt = '', body = ''] = match;
  if (runId !== run.runId) {
    throw new HandoffError(
      `was made by workflow run ${runId}, and this is ${run.runId ? `run ${run.runId}` : 'no CI run with an id'}. A handoff opens only in the run that made it: provision in this run`,
    );
  }
  const bytes = Buffer.from(body, 'base64url');
  // Node's decoder skips what it cannot use (a stray last character, unused bits): accept only the one spelling.
  if (bytes.toString('base64url') !== body || bytes.length < SALT_BYTES + NONCE_BYTES + TAG_BYTES + 2) {
    throw new HandoffError('is not a complete handoff: it was damaged or cut when copied; pass the output as it is');
  }
  const salt = bytes.subarray(0, SALT_BYTES);
  const nonce = bytes.subarray(SALT_BYTES, SALT_BYTES + NONCE_BYTES);
  const ciphertext = bytes.subarray(SALT_BYTES + NONCE_BYTES, bytes.length - TAG_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', deriveKey(secret, salt, cost), nonce, { authTagLength: TAG_BYTES });
  decipher.setAAD(associatedData(run.ci, wholeRun(run).repository, runId, attempt));
  decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
  let plaintext: string;
  try {
    plaintext = Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
  } catch {
    throw new HandoffError(
      'does not open: it was changed, sealed with another handoff-secret, or made in another repository. ' +
        'Check that every job passes the same secret, and that the handoff comes from this run',
    );
  }
  if (attempt !== run.runAttempt && !acceptEarlierAttempts) throw new EarlierAttemptError(attempt, run.runAttempt ?? '');
  return parsePayload(plaintext);
}

/** Opens, then hands the key and the password to `mask` at once: unmasked, they exist only between the two. */
export function openAndMask(
  handoff: string,
  secret: string,
  run: RunIdentity,
  mask: (secret: string) => void,
  options: Parameters<typeof open>[3] = {},
): LarAccount {
  const account = open(handoff, secret, run, options);
  mask(account.apiKey);
  mask(account.password);
  return account;
}

function assertSecret(problem: string | undefined): void {
  if (problem !== undefined) throw new HandoffError(`handoff-secret ${problem}`);
}

function deriveKey(secret: string, salt: Buffer, cost: ScryptOptions): Buffer {
  return scryptSync(Buffer.from(KEY_CONTEXT + secret.trim(), 'utf8'), salt, 32, cost);
}

/** The run a handoff is bound to, whole: a handoff bound to no run would open in any. */
function wholeRun(run: RunIdentity): NonNullable<ReturnType<typeof boundRun>> {
  const bound = boundRun(run);
  if (bound === undefined) throw new HandoffError('is bound to a CI run, and this one says neither its repository nor its run');
  return bound;
}

/** The CI is bound in too, so a GitLab project and pipeline never open a GitHub repository's run of the same numbers. */
function associatedData(ci: RunIdentity['ci'], repository: string, runId: string, attempt: string): Buffer {
  const run = [repository, runId, attempt];
  return Buffer.from(JSON.stringify([HANDOFF_VERSION, ...(ci === 'github' ? run : [ci, ...run])]), 'utf8');
}

function parsePayload(text: string): LarAccount {
  const { email, userId, apiKey, password, baseUrl, created } = JSON.parse(text) as Record<string, unknown>;
  if (![email, userId, apiKey, password, baseUrl].every((field) => typeof field === 'string') || typeof created !== 'boolean') {
    throw new HandoffError('opened, but holds no account; it was made by an incompatible version of axiom-provision');
  }
  return Object.freeze({ email, userId, apiKey, password, baseUrl, created } as LarAccount);
}
