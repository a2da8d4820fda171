// The one HTTP client. It masks: a secret goes to `mask` the moment it is parsed, before anything else can see it.
import { setTimeout as wait } from 'node:timers/promises';
import { AxiomError, type FailureCode } from '../errors.ts';
import type { Profile } from '../flow.ts';
import { AttemptFailure, type Exchange, type Exchanged, type Outgoing } from './exchange.ts';
import { decide, POLICIES, type PolicyName, parseRetryAfter } from './policy.ts';
import {
  CREATE_STATUS,
  type CreateAnswer,
  GarbledBody,
  type LoginAnswer,
  parseCreate,
  parseHasExisting,
  parseKey,
  parseLogin,
  UnusableAnswer,
} from './responses.ts';

export type Call = 'create' | 'login' | 'has-existing' | 'key/create';

/** Names the call and any HTTP status, never a response body: it may hold a token never parsed, so never masked. */
export class LarError extends AxiomError {
  readonly call: Call;
  constructor(call: Call, message: string, status?: number, code: FailureCode = status === undefined ? 'network' : 'server') {
    super(code, `${call}: ${message}`);
    this.call = call;
  }
}

/** The bound on the whole step: every wait and every request timeout is cut to what is left of it. */
export function startDeadline(totalMs: number, now: () => number = () => performance.now()) {
  const startedAt = now();
  const elapsedMs = (): number => now() - startedAt;
  return { totalMs, elapsedMs, remainingMs: (): number => Math.max(0, totalMs - elapsedMs()) } as const;
}
export type Deadline = ReturnType<typeof startDeadline>;

export interface CallRecord {
  readonly call: Call;
  readonly attempts: number;
  readonly ms: number;
  readonly outcome: string;
}

export interface ClientOptions {
  readonly exchange: Exchange;
  readonly deadline: Deadline;
  /** Registers a secret with whatever masks the log, before anything can print it. */
  readonly mask: (secret: string) => void;
  readonly debug: (line: string) => void;
  /** Retries: worth seeing without debug logging, when a flaky network is what slowed a job. */
  readonly info: (line: string) => void;
  readonly onCall?: ((record: CallRecord) => void) | undefined;
  readonly random?: () => number;
  /** Waits between attempts; a virtual clock's in the property tests. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** The caller's: when it fires, the call in flight ends and none follows. */
  readonly signal?: AbortSignal | undefined;
}

interface Spec<T> {
  readonly call: Call;
  readonly policy?: PolicyName;
  readonly path: string;
  readonly body?: unknown;
  readonly bearer?: string;
  readonly parse: (text: string) => T;
  /** The secrets in a parsed answer, masked before the answer is returned or logged. */
  readonly secrets?: (value: T) => readonly string[];
  /** How a refusal that came as a 2xx answer reads in the call's record; undefined for a success. */
  readonly refusal?: (value: T) => string | undefined;
}

export interface Answered<T> {
  readonly value: T;
  /** An earlier attempt may have reached the server and acted, whatever it answered (a 429 included): no answer proves who made what. */
  readonly earlierAttemptSent: boolean;
}

/** Tells LAR's team where the traffic comes from, like the `campaign` field does for signups. */
const USER_AGENT = 'axiom-provision/1';
/** One attempt may use at most this share of timeout-seconds, so a hung server still leaves room to retry. */
const ATTEMPT_SHARE = 1 / 3;
const MIN_ATTEMPT_MS = 2000;

/** The calls of the documented flow: what provisioning and revoking take (a LarClient, or a fake in unit tests). */
export type LarApi = Pick<LarClient, 'create' | 'login' | 'hasExistingKey' | 'mintKey'>;

export class LarClient {
  readonly #options: ClientOptions;

  constructor(options: ClientOptions) {
    this.#options = options;
  }

  async create(profile: Profile, email: string, password: string): Promise<Answered<CreateAnswer>> {
    return this.#call({
      call: 'create',
      path: '/api/user/create',
      body: { ...profile, email, password },
      parse: parseCreate,
      // Server text is never shown: a status the API page does not document may echo the request.
      refusal: (answer) =>
        answer.kind === 'refused' ? (CREATE_REFUSALS[answer.status] ?? 'refused with an undocumented status (not shown)') : undefined,
    });
  }

  /** `passwordProven`: this run's own create was answered with that password (see the login policies). */
  async login(email: string, password: string, { passwordProven }: { readonly passwordProven: boolean }): Promise<LoginAnswer> {
    const { value } = await this.#call({
      call: 'login',
      policy: passwordProven ? 'login' : 'login-unproven',
      path: '/api/user/login',
      body: { email, password },
      parse: parseLogin,
      secrets: (answer) => (answer.kind === 'session' ? [answer.token, answer.refreshToken] : []),
      refusal: (answer) => LOGIN_REFUSALS[answer.kind],
    });
    return value;
  }

  async hasExistingKey(token: string): Promise<boolean> {
    const { value } = await this.#call({
      call: 'has-existing',
      path: '/api/user/key/has-existing',
      bearer: token,
      parse: parseHasExisting,
    });
    return value;
  }

  /** The server invalidates any key the account had before. */
  async mintKey(token: string): Promise<string> {
    const { value } = await this.#call({
      call: 'key/create',
      path: '/api/user/key/create',
      bearer: token,
      parse: parseKey,
      secrets: (answer) => [answer.apiKey],
    });
    return value.apiKey;
  }

  close(): Promise<void> {
    return this.#options.exchange.close();
  }

  async #call<T>(spec: Spec<T>): Promise<Answered<T>> {
    if (spec.bearer === '') {
      throw new LarError(spec.call, 'no login token to authenticate with; refusing to send an empty Bearer');
    }
    const policy = POLICIES[spec.policy ?? spec.call];
    const { deadline, debug, info, random = Math.random, signal } = this.#options;
    // Ends early when the caller aborts: the loop then stops before another attempt.
    const sleep = this.#options.sleep ?? ((ms: number) => wait(ms, undefined, signal && { signal }).catch(() => undefined));
    const started = deadline.elapsedMs();
    let earlierAttemptSent = false;
    let failures = 0;
    let throttles = 0;
    const finish = (attempts: number, outcome: string, last?: 'failure' | 'throttle'): void =>
      this.#options.onCall?.({
        call: spec.call,
        attempts,
        ms: Math.round(deadline.elapsedMs() - started),
        // A failure's own message counts its failed attempts, when it gave up for that reason.
        outcome: `${outcome}${afterEarlierAttempts(last === 'failure' ? 0 : failures, throttles - (last === 'throttle' ? 1 : 0))}`,
      });

    for (let attempt = 1; ; attempt++) {
      const timeoutMs = Math.floor(Math.min(deadline.remainingMs(), Math.max(MIN_ATTEMPT_MS, deadline.totalMs * ATTEMPT_SHARE)));
      if (timeoutMs <= 0) {
        const message = `not attempted: timeout-seconds (${deadline.totalMs / 1000} s) ran out`;
        finish(attempt - 1, `failed: ${message}`);
        throw new LarError(spec.call, message);
      }
      const attemptStarted = deadline.elapsedMs();
      const result = await this.#attempt(spec, timeoutMs);
      const took = `${Math.round(deadline.elapsedMs() - attemptStarted)} ms`;
      const label = `${spec.call}: attempt ${attempt}`;

      if (!(result instanceof AttemptFailure)) {
        // Mask first: the debug line below is the first thing that could print.
        for (const secret of spec.secrets?.(result.value) ?? []) if (secret.trim() !== '') this.#options.mask(secret);
        debug(`${label}: HTTP ${result.status} in ${took}`);
        finish(attempt, spec.refusal?.(result.value) ?? 'ok');
        return { value: result.value, earlierAttemptSent };
      }

      const { kind: failure, message: detail } = result;
      if (failure === 'final' || failure === 'aborted') {
        debug(`${label}: ${detail} after ${took}`);
        finish(attempt, `failed: ${detail}`);
        throw new LarError(spec.call, detail, result.status, failure === 'aborted' ? 'aborted' : undefined);
      }
      const kind = policy.waitOut.has(failure) ? 'throttle' : 'failure';
      if (kind === 'throttle') throttles++;
      else failures++;
      const history = { failure, failures, throttles, retryAfterMs: result.retryAfterMs };
      const decision = decide(policy, history, deadline.remainingMs(), random());
      (decision.retry ? info : debug)(`${label}: ${detail} after ${took}${decision.retry ? `; retrying in ${decision.waitMs} ms` : ''}`);
      if (!decision.retry) {
        const message = `${detail}${decision.why === undefined ? '' : ` (${decision.why})`}`;
        finish(attempt, `failed: ${message}`, kind);
        throw new LarError(spec.call, message, result.status);
      }
      if (failure !== 'unsent') earlierAttemptSent = true;
      await sleep(decision.waitMs);
      if (signal?.aborted) {
        finish(attempt, 'failed: aborted by the caller');
        throw new LarError(spec.call, 'aborted by the caller', undefined, 'aborted');
      }
    }
  }

  /** The parsed answer, or why there is none: an attempt's failures are returned, never thrown. */
  async #attempt<T>(spec: Spec<T>, timeoutMs: number): Promise<{ readonly value: T; readonly status: number } | AttemptFailure> {
    const headers: Record<string, string> = {
      accept: 'application/json',
      // key/create is a GET that mints: no cache between us and LAR may answer it with a stored (invalidated) key.
      'cache-control': 'no-store',
      'user-agent': USER_AGENT,
    };
    if (spec.body !== undefined) headers['content-type'] = 'application/json';
    if (spec.bearer !== undefined) headers.authorization = `Bearer ${spec.bearer}`;
    const request: Outgoing = {
      method: spec.body === undefined ? 'GET' : 'POST',
      path: spec.path,
      headers,
      body: spec.body === undefined ? null : JSON.stringify(spec.body),
      timeoutMs,
      signal: this.#options.signal,
    };

    const answer = await this.#options.exchange.send(request).catch((error: unknown) => {
      if (error instanceof AttemptFailure) return error;
      throw error;
    });
    if (answer instanceof AttemptFailure) return answer;
    if (answer.status < 200 || answer.status >= 300 || answer.text === undefined) return describeStatus(answer, spec.bearer !== undefined);
    try {
      return { value: spec.parse(answer.text), status: answer.status };
    } catch (error) {
      if (error instanceof GarbledBody) return new AttemptFailure('garbled', `HTTP ${answer.status}, but ${error.message}`, answer.status);
      if (error instanceof UnusableAnswer) return new AttemptFailure('final', `HTTP ${answer.status}, but ${error.message}`, answer.status);
      throw error;
    }
  }
}

const LOGIN_REFUSALS: Readonly<Partial<Record<LoginAnswer['kind'], string>>> = {
  'wrong-credentials': 'answered null: wrong email or password',
  blocked: 'answered "blocked": the account is locked',
};

const CREATE_REFUSALS: Readonly<Record<string, string>> = {
  [CREATE_STATUS.emailExists]: 'refused: email_exists',
  [CREATE_STATUS.nameLooksLikeUrl]: 'refused: the name looks like a URL or email address',
  [CREATE_STATUS.disposable]: 'refused: a disposable email provider',
};

/** Throttled answers are waited out, not counted as failures: the server said it did not act on them. */
function afterEarlierAttempts(failures: number, throttles: number): string {
  const parts = [
    ...(failures > 0 ? [`${failures} failed attempt${failures === 1 ? '' : 's'}`] : []),
    ...(throttles > 0 ? [`${throttles} throttled answer${throttles === 1 ? '' : 's'} waited out`] : []),
  ];
  return parts.length === 0 ? '' : `, after ${parts.join(' and ')}`;
}

function describeStatus({ status, retryAfter }: Exchanged, bearer: boolean): AttemptFailure {
  if (status === 429 || status >= 500) {
    const retryAfterMs = parseRetryAfter(retryAfter, Date.now());
    const kind = status === 429 ? 'throttled' : status === 503 && retryAfterMs !== undefined ? 'unavailable' : 'server';
    return new AttemptFailure(kind, `the server answered HTTP ${status}`, status, retryAfterMs);
  }
  if (status >= 300 && status < 400) {
    // Where it points is not shown: a server can spell anything into a Location, a secret included.
    const detail = `the server answered HTTP ${status}, a redirect; redirects are not followed, so credentials never leave the origin`;
    return new AttemptFailure('final', detail, status);
  }
  const detail =
    bearer && (status === 401 || status === 403)
      ? `the server refused the login token (HTTP ${status})`
      : `the server answered HTTP ${status}`;
  return new AttemptFailure('final', detail, status);
}
