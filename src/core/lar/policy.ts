// The retry rules per call, and the schedule of waits. Pure: time and randomness come in as arguments.
// The question before every retry is what the first attempt may already have done on the server.

/**
 * Why an attempt gave no usable answer, named for what the server may have done with the request. The transport says
 * what became of the connection; the client adds what the answer's status and body say.
 * - `unsent`: the request provably never reached the server (connection refused, DNS, a proxy refusing the tunnel).
 * - `lost`: the request may have reached the server, which may have acted, but no answer came (reset, timeout).
 * - `garbled`: a 2xx answer whose body was cut off, too large or not JSON: the server acted.
 * - `server`: an HTTP 5xx: the server may have acted before failing.
 * - `throttled`: HTTP 429: the server says it did not act, and when to come back.
 * - `unavailable`: HTTP 503 with Retry-After: by convention not acted on, but a 5xx all the same.
 * - `final`: never retried, as asking again gets the same (untrusted certificate, redirect, other 4xx, unusable answer, bug).
 * - `aborted`: the caller gave up (its AbortSignal fired): never retried.
 */
export type Failure = 'unsent' | 'lost' | 'garbled' | 'server' | 'throttled' | 'unavailable' | 'final' | 'aborted';

/**
 * `login`: this run's own create was answered with the password, so a repeat cannot count as a failed login.
 * `login-unproven`: any other login (mode existing, lost-create recovery, post step, revoke), where a repeat could.
 */
export type PolicyName = 'create' | 'login' | 'login-unproven' | 'has-existing' | 'key/create';

export interface CallPolicy {
  /** Failures retried; each counts toward `maxFailures`. */
  readonly retryOn: ReadonlySet<Failure>;
  /** Throttling: waited out at the server's pace for as long as the deadline allows, never counted as a failure. */
  readonly waitOut: ReadonlySet<Failure>;
  /** Failed attempts at most, the first included. */
  readonly maxFailures: number;
  readonly maxThrottles: number;
  /** Why a failure after which the server may have acted is not retried, when the user should know. */
  readonly whyNotRepeated?: string;
}

const policy = (retryOn: Failure[], waitOut: Failure[], maxFailures: number, more: Partial<CallPolicy> = {}): CallPolicy =>
  Object.freeze({ retryOn: new Set(retryOn), waitOut: new Set(waitOut), maxFailures, maxThrottles: Infinity, ...more });

const LOGIN_NOT_REPEATED =
  'not repeated: the server may have counted that login, and every failed login brings the account closer to the 29 that lock it';

/** A refusal (create's `status`, login's null or "blocked") never reaches this table; a body of the wrong shape is final. */
export const POLICIES: Readonly<Record<PolicyName, CallPolicy>> = Object.freeze({
  create: policy(['unsent', 'lost', 'server'], ['throttled', 'unavailable'], 4),
  login: policy(['unsent', 'lost', 'server'], ['throttled', 'unavailable'], 3),
  // A 429 is trusted not to count a failed login, but only a few times: should whatever answers it count them after
  // all, one step must stay far from the lockout.
  'login-unproven': policy(['unsent'], ['throttled'], 3, { whyNotRepeated: LOGIN_NOT_REPEATED, maxThrottles: 3 }),
  'has-existing': policy(['unsent', 'lost', 'server', 'garbled'], ['throttled', 'unavailable'], 4),
  'key/create': policy(['unsent', 'lost', 'server', 'garbled'], ['throttled', 'unavailable'], 4),
});

const MAY_HAVE_ACTED: ReadonlySet<Failure> = new Set<Failure>(['lost', 'server', 'unavailable', 'garbled']);

export const BACKOFF = Object.freeze({ firstMs: 250, maxMs: 4000 });

/** Exponential backoff with equal jitter: half to all of a ceiling that doubles from BACKOFF.firstMs up to BACKOFF.maxMs. */
export function backoffMs(retries: number, random: number): number {
  const ceiling = Math.min(BACKOFF.maxMs, BACKOFF.firstMs * 2 ** (retries - 1));
  return Math.round(ceiling / 2 + (ceiling / 2) * random);
}

/**
 * Retry-After plus up to half again, so clients told the same second do not all come back in it; never less than the
 * backoff, so a server that keeps asking for no wait at all is not hammered.
 */
export function throttleWaitMs(retryAfterMs: number | undefined, throttles: number, random: number): number {
  const backoff = backoffMs(throttles, random);
  return retryAfterMs === undefined ? backoff : Math.max(backoff, Math.round(retryAfterMs * (1 + random / 2)));
}

/** Retry-After as delta-seconds or an HTTP date (RFC 9110 §10.2.3); undefined when absent or unreadable. */
export function parseRetryAfter(header: string | undefined, nowMs: number): number | undefined {
  if (header === undefined) return undefined;
  const value = header.trim();
  if (/^\d{1,9}$/.test(value)) return Number(value) * 1000;
  // Date.parse reads almost anything ("-1" is a year); an HTTP date always names its weekday or month.
  if (!/[A-Za-z]{3}/.test(value)) return undefined;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

/** A reason not to retry, when the failure was retryable in itself or the policy says why it is not. */
export type Decision = { readonly retry: true; readonly waitMs: number } | { readonly retry: false; readonly why?: string };

export interface AttemptHistory {
  readonly failure: Failure;
  /** Failed attempts so far, this one included; throttled ones are not failures. */
  readonly failures: number;
  /** Throttled attempts so far, this one included. */
  readonly throttles: number;
  readonly retryAfterMs?: number | undefined;
}

/** `remainingMs` is the time left before the deadline; a wait leaving less than `minAttemptMs` for the next attempt is not worth it. */
export function decide(policy: CallPolicy, history: AttemptHistory, remainingMs: number, random: number, minAttemptMs = 500): Decision {
  const { failure, failures, throttles, retryAfterMs } = history;
  let waitMs: number;
  if (policy.waitOut.has(failure)) {
    if (throttles > policy.maxThrottles) {
      return {
        retry: false,
        why: `gave up after ${throttles} throttled attempts, in case whatever throttled them counted them as failed logins`,
      };
    }
    waitMs = throttleWaitMs(retryAfterMs, throttles, random);
  } else if (policy.retryOn.has(failure)) {
    if (failures >= policy.maxFailures) return { retry: false, why: `gave up after ${failures} failed attempts` };
    waitMs = Math.max(retryAfterMs ?? 0, backoffMs(failures, random));
  } else {
    const { whyNotRepeated } = policy;
    return whyNotRepeated !== undefined && MAY_HAVE_ACTED.has(failure) ? { retry: false, why: whyNotRepeated } : { retry: false };
  }
  if (waitMs + minAttemptMs > remainingMs) {
    // The server's ask is named only when it, not the backoff, made the wait this long.
    const asked =
      retryAfterMs !== undefined && waitMs <= retryAfterMs * 1.5
        ? `the server asked to wait ${Math.ceil(retryAfterMs / 1000)} s, but `
        : '';
    return {
      retry: false,
      why: `${asked}the time left before timeout-seconds (${Math.max(0, Math.round(remainingMs / 100) / 10)} s) is too short to try again`,
    };
  }
  return { retry: true, waitMs };
}
