// The retry policy per call, and the schedule of waits. Pure: time and randomness come in as arguments.
import type { Call } from './errors.ts';

/**
 * What went wrong with one attempt, as far as retrying is concerned.
 * - `unsent`: the connection failed before the request left (refused, DNS): the server did nothing.
 * - `lost`: the request may have reached the server but no answer came back (reset, timeout, closed socket).
 * - `server`: HTTP 5xx. `throttled`: HTTP 429. `unreadable`: a 2xx body that is not the expected JSON.
 */
export type Failure = 'unsent' | 'lost' | 'server' | 'throttled' | 'unreadable';

export interface CallPolicy {
  readonly maxAttempts: number;
  readonly retryOn: ReadonlySet<Failure>;
}

const TRANSIENT: readonly Failure[] = ['unsent', 'lost', 'server', 'throttled'];

/**
 * A `status` answer from create and a `null`/"blocked" from login are answers, not failures: they never reach
 * this table. Login gets one attempt fewer because each attempt that the server counts as failed brings the
 * account closer to its 29-failure lock.
 */
export const POLICIES: Readonly<Record<Call, CallPolicy>> = Object.freeze({
  create: { maxAttempts: 4, retryOn: new Set(TRANSIENT) },
  login: { maxAttempts: 3, retryOn: new Set(TRANSIENT) },
  'has-existing': { maxAttempts: 4, retryOn: new Set<Failure>([...TRANSIENT, 'unreadable']) },
  'key/create': { maxAttempts: 4, retryOn: new Set<Failure>([...TRANSIENT, 'unreadable']) },
});

export const BACKOFF = Object.freeze({ firstMs: 250, maxMs: 4000 });

/** Exponential backoff with equal jitter: attempt 1 waits 125–250 ms, doubling up to 2–4 s. */
export function backoffMs(failedAttempts: number, random: number): number {
  const ceiling = Math.min(BACKOFF.maxMs, BACKOFF.firstMs * 2 ** (failedAttempts - 1));
  return Math.round(ceiling / 2 + (ceiling / 2) * random);
}

/** Retry-After as delta-seconds or an HTTP date (RFC 9110 §10.2.3); undefined when absent or unreadable. */
export function parseRetryAfter(header: string | undefined, nowMs: number): number | undefined {
  if (header === undefined) return undefined;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  // Date.parse reads almost anything ("-1" is a year); an HTTP date always names its weekday or month.
  if (!/[A-Za-z]{3}/.test(value)) return undefined;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

/** Not to retry comes with a reason only when the failure was retryable in itself (attempts or time ran out). */
export type Decision = { readonly retry: true; readonly waitMs: number } | { readonly retry: false; readonly why?: string };

export interface AttemptOutcome {
  readonly failure: Failure;
  readonly attempt: number;
  readonly retryAfterMs?: number | undefined;
}

/**
 * Whether to try again and after how long. `remainingMs` is the time left before the step's deadline; a wait
 * that would leave less than `minAttemptMs` for the next attempt is not worth starting.
 */
export function decide(policy: CallPolicy, outcome: AttemptOutcome, remainingMs: number, random: number, minAttemptMs = 500): Decision {
  if (!policy.retryOn.has(outcome.failure)) return { retry: false };
  if (outcome.attempt >= policy.maxAttempts) return { retry: false, why: `gave up after ${outcome.attempt} attempts` };
  const waitMs = outcome.retryAfterMs ?? backoffMs(outcome.attempt, random);
  if (waitMs + minAttemptMs > remainingMs) {
    const asked = outcome.retryAfterMs !== undefined ? `the server asked to wait ${Math.ceil(waitMs / 1000)} s, but ` : '';
    return {
      retry: false,
      why: `${asked}the time left before timeout-seconds (${Math.max(0, Math.round(remainingMs / 100) / 10)} s) is too short to try again`,
    };
  }
  return { retry: true, waitMs };
}
