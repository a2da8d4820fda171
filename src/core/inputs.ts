// The one place inputs are read. Pure: it takes a getter (core.getInput in the action, a plain object in tests)
// and returns a frozen, fully resolved object, or throws InputError naming every bad input at once.
import { addressProblem, plusAddress, tagProblem } from './account/email.ts';
import { generatePassword, randomSuffix } from './account/secrets.ts';
import { AxiomError } from './errors.ts';
import type { Mode, Profile, ProvisionPlan } from './flow.ts';
import { secretLengthProblem, secretProblem } from './handoff/seal.ts';
import { checkOrigin, LAR_ORIGIN } from './origin.ts';
import { boundRun, generateTag, type RunIdentity } from './run.ts';

/** The plan for the core, and what the action does around it. The password is secret: mask it first. */
export interface Inputs extends ProvisionPlan {
  readonly timeoutMs: number;
  readonly revokeOnExit: boolean;
  readonly exportEnv: boolean;
  /** Set when the account is to be sealed for later jobs: the secret (mask it first) and the run it binds to. */
  readonly handoff?: { readonly secret: string; readonly run: RunIdentity };
}

export type InputGetter = (name: string) => string;

/**
 * What a door does with the account, fixed by the door and never by its user: the rules refuse what the door would
 * make unsafe. Without it (the action), the input 'revoke-on-exit' says whether the key is revoked.
 */
export interface DoorTraits {
  /** As an error names the door, such as "the Playwright fixture". */
  readonly name: string;
  readonly revokesAtEnd: boolean;
  /** Set when the door makes an account in each worker, and again in each restarted one: how to make one per run. */
  readonly accountPerWorker?: { readonly onePerRun: string };
}

/** Where a run's unique values come from: the system's, unless a test gives its own. */
export interface Generators {
  readonly run: RunIdentity;
  readonly randomSuffix?: () => string;
  readonly password?: () => string;
  readonly nowMs?: () => number;
  /** Carried by a generated tag (the Playwright fixture's worker index). */
  readonly tagLabel?: string | undefined;
}

export class InputError extends AxiomError {
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    super(
      'input',
      problems.length === 1
        ? `Invalid input: ${problems[0]}. No request was sent.`
        : `Invalid inputs (no request was sent):\n${problems.map((p) => `- ${p}`).join('\n')}`,
    );
    this.problems = problems;
  }

  renamed(nameOf: (input: string) => string): InputError {
    return new InputError(this.problems.map((problem) => renameInputs(problem, nameOf)));
  }
}

/** Each quoted input name in `text` ('email-tag'), as a door spells it: --email-tag on a command line, emailTag in code. */
export function renameInputs(text: string, nameOf: (input: string) => string): string {
  return text.replace(new RegExp(`'(${INPUT_NAMES.join('|')})'`, 'g'), (_, name: string) => nameOf(name));
}

export const DEFAULTS = Object.freeze({
  name: 'CI Test User',
  campaign: 'axiom-provision',
  language: 'en-GB',
  'base-url': LAR_ORIGIN,
  mode: 'create',
  'replace-key': 'false',
  'timeout-seconds': '60',
  'revoke-on-exit': 'true',
  'export-env': 'false',
  'handoff-secret': '',
});

/** Every input of action.yml and its sub-actions, by the name errors quote: those with a default, and the rest. */
const INPUT_NAMES = [...Object.keys(DEFAULTS), 'email', 'email-tag', 'password', 'company', 'country', 'role', 'handoff'];

// The server's own test for a name that "looks like a URL or email address" (from the API page). Applied
// case-insensitively: refusing a little more here costs nothing, a refused create costs a request.
const URL_OR_EMAIL_LIKE = /[a-z0-9@:%._+~#=]{1,256}\.[a-z0-9()]{1,6}/i;
// Control characters (newlines above all) in an input could forge workflow commands in the log.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is this pattern's purpose
export const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
/** An hour: far past any sane provisioning, and well inside what Node's timers can count. */
export const MAX_TIMEOUT_SECONDS = 3600;
/** Below this, one slow TLS handshake and one retry do not fit: the run would fail for want of time, not of LAR. */
export const MIN_TIMEOUT_SECONDS = 5;
/** Past this, a bad value is not shown at all: an error stays readable, and a value is never cut into a piece. */
const MAX_QUOTED = 100;
const BCP47 = /^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$/;

const TIMEOUT_RULE = `must be a number of seconds from ${MIN_TIMEOUT_SECONDS} to ${MAX_TIMEOUT_SECONDS}, such as ${DEFAULTS['timeout-seconds']}`;

function timeoutMsOf(text: string): number | undefined {
  const seconds = /^\d+(?:\.\d+)?$/.test(text) ? Number(text) : Number.NaN;
  return seconds >= MIN_TIMEOUT_SECONDS && seconds <= MAX_TIMEOUT_SECONDS ? Math.round(seconds * 1000) : undefined;
}

/** A revoke's timeout as a door takes it (absent or empty: the default), in milliseconds; `name` is how the door spells it. */
export function revokeTimeoutMs(given: string | number | undefined, name: string): number {
  const timeoutMs = timeoutMsOf(given === undefined || given === '' ? DEFAULTS['timeout-seconds'] : String(given));
  if (timeoutMs === undefined) throw new InputError([`${name} ${TIMEOUT_RULE}`]);
  return timeoutMs;
}

function reader(get: InputGetter) {
  const problems: string[] = [];
  const rejected = new Set<string>();
  /** A bad input as given, untrimmed: the form the runner's mask of a misplaced secret matches. */
  const shown = (name: string): string => quote(get(name) ?? '');
  const text = (name: string, { trim = true } = {}): string => {
    const raw = get(name) ?? '';
    const value = trim ? raw.trim() : raw;
    // Own defaults only: a name with none (password) must not find one on a polluted Object.prototype.
    const fallback = Object.hasOwn(DEFAULTS, name) ? (DEFAULTS[name as keyof typeof DEFAULTS] ?? '') : '';
    if (CONTROL.test(value)) {
      problems.push(`'${name}' contains a control character (such as a newline); only printable text is accepted`);
      rejected.add(name);
      // The default keeps later checks from reporting the same input twice; the problem above already fails the run.
      return fallback;
    }
    return value === '' ? fallback : value;
  };
  const flag = (name: string): boolean => {
    const value = text(name);
    if (/^(?:true|false)$/i.test(value)) return value.toLowerCase() === 'true';
    problems.push(`'${name}' must be true or false, not ${shown(name)}`);
    return false;
  };
  const timeoutMs = (): number => {
    const ms = timeoutMsOf(text('timeout-seconds'));
    if (ms === undefined) problems.push(`'timeout-seconds' ${TIMEOUT_RULE}, not ${shown('timeout-seconds')}`);
    return ms ?? Number.NaN;
  };
  /** The secret is never echoed: only what `problemOf` finds wrong with it. */
  const handoffSecret = async (problemOf: (secret: string) => Promise<string | undefined> | string | undefined): Promise<string> => {
    const secret = text('handoff-secret');
    const problem = rejected.has('handoff-secret') ? undefined : await problemOf(secret);
    if (problem !== undefined) problems.push(`'handoff-secret' ${problem}`);
    return secret;
  };
  return { problems, rejected, shown, text, flag, timeoutMs, handoffSecret };
}

function runBinding(run: RunIdentity, problems: string[]): RunIdentity {
  if (boundRun(run) === undefined) {
    problems.push(
      'a handoff is bound to a CI run, and none was found whole (GitHub Actions sets GITHUB_REPOSITORY, GITHUB_RUN_ID and GITHUB_RUN_ATTEMPT; GitLab CI sets CI_PROJECT_PATH and CI_PIPELINE_ID)',
    );
  }
  return run;
}

export async function readInputs(get: InputGetter, given: Generators, door?: DoorTraits): Promise<Inputs> {
  const generate = { randomSuffix, password: generatePassword, nowMs: Date.now, ...given };
  const newTag = () => generateTag(generate.run, generate.randomSuffix(), generate.nowMs(), generate.tagLabel);
  const { problems, rejected, shown, text, flag, timeoutMs: readTimeout, handoffSecret } = reader(get);

  const modeText = text('mode');
  const mode = modeText === 'create' || modeText === 'existing' ? modeText : undefined;
  if (mode === undefined) problems.push(`'mode' must be create or existing, not ${shown('mode')}`);

  const baseEmail = text('email');
  const tag = text('email-tag');
  // A password is taken as given: leading or trailing spaces may be part of it.
  const givenPassword = text('password', { trim: false });
  const email = rejected.has('email') ? undefined : resolveEmail(mode, baseEmail, tag, newTag, { problems, shown });

  if (mode === 'existing' && givenPassword === '' && !rejected.has('password')) {
    problems.push(`'password' is required with mode existing: it is the password of the account to log in to`);
  }
  if (givenPassword !== '' && givenPassword.trim() === '') {
    // The runner does not mask a blank value, so such a password would show wherever it is printed.
    problems.push(`'password' is only spaces; give a password with printable characters, or leave it empty in mode create to generate one`);
  }

  const profile: Profile = Object.freeze({
    name: text('name'),
    company: text('company'),
    country: text('country'),
    role: text('role'),
    campaign: text('campaign'),
    language: text('language'),
  });
  if (URL_OR_EMAIL_LIKE.test(profile.name)) {
    problems.push(
      `'name' ${shown('name')} looks like a URL or email address, which LAR refuses; use plain words such as "${DEFAULTS.name}"`,
    );
  }
  if (!BCP47.test(profile.language)) {
    problems.push(`'language' must be a BCP 47 tag such as en-GB or de-DE, not ${shown('language')}`);
  }

  const origin = checkOrigin(text('base-url'));
  if (!('origin' in origin)) problems.push(`'base-url' ${origin.showValue ? `${shown('base-url')} ` : ''}${origin.problem}`);
  const baseUrl = 'origin' in origin ? origin.origin : undefined;
  const timeoutMs = readTimeout();
  const replaceKey = flag('replace-key');
  const revokeOnExit = door === undefined ? flag('revoke-on-exit') : door.revokesAtEnd;
  const exportEnv = flag('export-env');
  if (mode === 'existing' && door?.accountPerWorker !== undefined) {
    // A worker restarted after a failed test starts over: a count no check here could bound.
    problems.push(
      `'mode' existing does not fit ${door.name}: it makes an account in every worker, and again in every worker started ` +
        'after a failed test, so each would log in (with a wrong password, each login counts toward the 29 that lock the ' +
        `account) and mint a key that invalidates the last one. ${door.accountPerWorker.onePerRun}`,
    );
  } else if (mode === 'existing' && revokeOnExit && !replaceKey) {
    // Revoking mints a replacement that stays on the account: the next run would find a key, and could not tell it
    // from one a person holds. So refuse now, before the first run leaves one, rather than replace keys unasked.
    problems.push(
      door === undefined
        ? `'revoke-on-exit' is true with mode existing, but 'replace-key' is false. Revoking mints a replacement key that stays on the account, ` +
            `so every later run would find a key and refuse. Set replace-key: true if the account's key is this workflow's to replace on every run, ` +
            `or revoke-on-exit: false to keep the key after the job`
        : `'mode' existing needs 'replace-key' set to true with ${door.name}: it revokes the key when the tests end, which mints a ` +
            'replacement that stays on the account, so the next run would find a key and refuse. Set it if the key is ' +
            "this suite's to replace on every run",
    );
  }
  // Empty is the default: no handoff. Set, it must be a real secret, and the run must be known.
  const givenSecret = get('handoff-secret') ?? '';
  if (givenSecret !== '' && givenSecret.trim() === '')
    problems.push(`'handoff-secret' is only spaces; pass a secret such as \${{ secrets.AXIOM_HANDOFF_SECRET }}`);
  const handoff =
    givenSecret.trim() !== '' ? { secret: await handoffSecret(secretProblem), run: runBinding(generate.run, problems) } : undefined;

  if (problems.length > 0 || mode === undefined || email === undefined || baseUrl === undefined) {
    throw new InputError(problems);
  }
  return Object.freeze({
    mode,
    email,
    password: givenPassword === '' ? generate.password() : givenPassword,
    profile,
    addressUniqueToRun: mode === 'create' && tag === '',
    baseUrl,
    replaceKey,
    timeoutMs,
    revokeOnExit,
    exportEnv,
    ...(handoff && { handoff }),
  });
}

// Whether the secret is guessable was judged by the step that sealed the handoff.
async function readHandoffInputs<Rest>(get: InputGetter, run: RunIdentity, readRest: (r: ReturnType<typeof reader>) => Rest) {
  const r = reader(get);
  const handoff = r.text('handoff');
  if (handoff === '' && !r.rejected.has('handoff')) {
    r.problems.push(`'handoff' is required: pass the account job's output, such as \${{ needs.account.outputs.handoff }}`);
  }
  const secret = (get('handoff-secret') ?? '').trim();
  if (secret === '') {
    r.problems.push(
      `'handoff-secret' is empty. Pass the same secret the account job used, such as \${{ secrets.AXIOM_HANDOFF_SECRET }}. ` +
        "GitHub gives no secrets to workflows run from a fork's pull request, so there this input is empty",
    );
  }
  const inputs = { handoff, secret: secret === '' ? '' : await r.handoffSecret(secretLengthProblem), run: runBinding(run, r.problems) };
  const rest = readRest(r);
  if (r.problems.length > 0) throw new InputError(r.problems);
  return Object.freeze({ ...inputs, ...rest });
}

export const readOpenInputs = (get: InputGetter, run: RunIdentity) =>
  readHandoffInputs(get, run, (r) => ({ exportEnv: r.flag('export-env') }));
export type OpenInputs = Awaited<ReturnType<typeof readOpenInputs>>;

export const readRevokeInputs = (get: InputGetter, run: RunIdentity) => readHandoffInputs(get, run, (r) => ({ timeoutMs: r.timeoutMs() }));
export type RevokeInputs = Awaited<ReturnType<typeof readRevokeInputs>>;

function resolveEmail(
  mode: Mode | undefined,
  baseEmail: string,
  tag: string,
  newTag: () => string,
  { problems, shown }: Pick<ReturnType<typeof reader>, 'problems' | 'shown'>,
): string | undefined {
  if (baseEmail === '') {
    problems.push(`'email' is required: a mailbox you own, such as qa@yourco.com`);
    return undefined;
  }
  const problem = addressProblem(baseEmail);
  if (problem !== undefined) {
    problems.push(`'email' ${shown('email')} ${problem}`);
    return undefined;
  }
  if (mode === 'existing') {
    if (tag !== '') problems.push(`'email-tag' is for mode create only; mode existing logs in to 'email' exactly as given`);
    return baseEmail;
  }
  const tagIssue = tag === '' ? undefined : tagProblem(tag);
  if (tagIssue !== undefined) {
    problems.push(`'email-tag' ${shown('email-tag')} ${tagIssue}`);
    return undefined;
  }
  const finalTag = tag !== '' ? tag : newTag();
  const address = plusAddress(baseEmail, finalTag);
  if (address === undefined) {
    problems.push(
      tag !== ''
        ? `'email-tag' ${shown('email-tag')} does not fit: with it the local part of 'email' would exceed 64 characters; use a shorter tag`
        : `'email' ${shown('email')} leaves no room for the generated tag ${JSON.stringify(finalTag)} within 64 characters before the @; use a shorter local part`,
    );
  }
  return address;
}

/**
 * A bad value whole and unescaped, so the runner's mask of a secret given in the wrong input still matches, or not at
 * all: nothing masks a piece (cut, trimmed, or with an escape). A line break could forge a workflow command: not shown.
 */
export function quote(value: string): string {
  if (CONTROL.test(value)) return '(not shown: it holds a control character)';
  return value.length > MAX_QUOTED ? `(${value.length} characters, not shown)` : `"${value}"`;
}
