// The one HTTP client. It owns the connection, the deadline, the retry policy of each call, and masking: a
// secret is handed to `mask` the moment it is parsed, before anything else can see it.
import type { Profile } from '../action/inputs.ts';
import type { Deadline } from './deadline.ts';
import { type Call, LarError } from './errors.ts';
import { decide, type Failure, POLICIES, parseRetryAfter } from './policy.ts';
import { type CreateAnswer, type LoginAnswer, parseCreate, parseHasExisting, parseKey, parseLogin, UnreadableBody } from './responses.ts';
import { createDispatcher, type Dispatcher, send } from './transport.ts';

/** One call as the job summary shows it. */
export interface CallRecord {
  readonly call: Call;
  readonly attempts: number;
  readonly ms: number;
  readonly outcome: string;
}

export interface ClientOptions {
  readonly baseUrl: string;
  readonly deadline: Deadline;
  readonly mask: (secret: string) => void;
  /** Each attempt's outcome. */
  readonly debug: (line: string) => void;
  /** Retries: worth seeing without debug logging, when a flaky network is what slowed a job. */
  readonly info: (line: string) => void;
  readonly onCall?: (record: CallRecord) => void;
  readonly random?: () => number;
}

interface Spec<T> {
  readonly call: Call;
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly body?: unknown;
  readonly bearer?: string;
  readonly parse: (text: string) => T;
  /** The secrets in a parsed answer, masked before the answer is returned or logged. */
  readonly secrets?: (value: T) => readonly string[];
}

interface Answered<T> {
  readonly value: T;
  /** An earlier attempt may have reached the server and been acted on: its answer was lost or was a 5xx. */
  readonly earlierOutcomeUnknown: boolean;
}

type AttemptResult<T> =
  | { readonly ok: true; readonly value: T; readonly status: number }
  | {
      readonly ok: false;
      readonly failure: Failure | 'final';
      readonly detail: string;
      readonly status?: number;
      readonly retryAfterMs?: number | undefined;
    };

/** Tells LAR's team where the traffic comes from, like the `campaign` field does for signups. */
const USER_AGENT = 'axiom-provision/1';
type FailedAttempt = Extract<AttemptResult<never>, { ok: false }>;

const MAX_BODY_BYTES = 1 << 20;
/** One attempt may use at most this share of timeout-seconds, so a hung server still leaves room to retry. */
const ATTEMPT_SHARE = 1 / 3;
const MIN_ATTEMPT_MS = 2000;

export class LarClient {
  readonly #options: ClientOptions;
  readonly #dispatcher: Dispatcher;

  constructor(options: ClientOptions) {
    this.#options = options;
    this.#dispatcher = createDispatcher();
  }

  async create(profile: Profile, email: string, password: string): Promise<Answered<CreateAnswer>> {
    return this.#call({
      call: 'create',
      method: 'POST',
      path: '/api/user/create',
      body: { ...profile, email, password },
      parse: parseCreate,
    });
  }

  async login(email: string, password: string): Promise<LoginAnswer> {
    const { value } = await this.#call({
      call: 'login',
      method: 'POST',
      path: '/api/user/login',
      body: { email, password },
      parse: parseLogin,
      secrets: (answer) => (answer.kind === 'session' ? [answer.token, answer.refreshToken] : []),
    });
    return value;
  }

  async hasExistingKey(token: string): Promise<boolean> {
    const { value } = await this.#call({
      call: 'has-existing',
      method: 'GET',
      path: '/api/user/key/has-existing',
      bearer: token,
      parse: parseHasExisting,
    });
    return value;
  }

  /** Mints the account's API key. The server invalidates any key the account had before. */
  async mintKey(token: string): Promise<string> {
    const { value } = await this.#call({
      call: 'key/create',
      method: 'GET',
      path: '/api/user/key/create',
      bearer: token,
      parse: parseKey,
      secrets: (answer) => [answer.apiKey],
    });
    return value.apiKey;
  }

  async close(): Promise<void> {
    await this.#dispatcher.close();
  }

  async #call<T>(spec: Spec<T>): Promise<Answered<T>> {
    if (spec.bearer === '') {
      throw new LarError(spec.call, 'no login token to authenticate with; refusing to send an empty Bearer');
    }
    const policy = POLICIES[spec.call];
    const { deadline, debug, info, random = Math.random } = this.#options;
    const started = performance.now();
    let earlierOutcomeUnknown = false;
    const finish = (attempts: number, outcome: string): void =>
      this.#options.onCall?.({ call: spec.call, attempts, ms: Math.round(performance.now() - started), outcome });

    for (let attempt = 1; ; attempt++) {
      const timeoutMs = Math.floor(Math.min(deadline.remainingMs(), Math.max(MIN_ATTEMPT_MS, deadline.totalMs * ATTEMPT_SHARE)));
      if (timeoutMs <= 0) {
        finish(attempt - 1, 'timed out');
        throw new LarError(spec.call, `not attempted: timeout-seconds (${deadline.totalMs / 1000} s) ran out`);
      }
      const attemptStarted = performance.now();
      const result = await this.#attempt(spec, timeoutMs);
      const took = `${Math.round(performance.now() - attemptStarted)} ms`;
      const label = `${spec.call}: attempt ${attempt}/${policy.maxAttempts}`;

      if (result.ok) {
        // Mask first: the debug line below is the first thing that could print.
        for (const secret of spec.secrets?.(result.value) ?? []) if (secret !== '') this.#options.mask(secret);
        debug(`${label}: HTTP ${result.status} in ${took}`);
        finish(attempt, attempt === 1 ? 'ok' : `ok after ${attempt - 1} retr${attempt === 2 ? 'y' : 'ies'}`);
        return { value: result.value, earlierOutcomeUnknown };
      }

      const decision =
        result.failure === 'final'
          ? ({ retry: false } as const)
          : decide(policy, { failure: result.failure, attempt, retryAfterMs: result.retryAfterMs }, deadline.remainingMs(), random());
      (decision.retry ? info : debug)(
        `${label}: ${result.detail} after ${took}${decision.retry ? `; retrying in ${decision.waitMs} ms` : ''}`,
      );
      if (!decision.retry) {
        finish(attempt, 'failed');
        const why = decision.why === undefined ? '' : ` (${decision.why})`;
        throw new LarError(spec.call, `${result.detail}${why}`, result.status);
      }
      if (result.failure === 'lost' || result.failure === 'server') earlierOutcomeUnknown = true;
      await new Promise((resolve) => setTimeout(resolve, decision.waitMs));
    }
  }

  async #attempt<T>(spec: Spec<T>, timeoutMs: number): Promise<AttemptResult<T>> {
    const headers: Record<string, string> = {
      accept: 'application/json',
      // key/create is a GET that mints: no cache between us and LAR may answer it with a stored (invalidated) key.
      'cache-control': 'no-store',
      'user-agent': USER_AGENT,
    };
    if (spec.body !== undefined) headers['content-type'] = 'application/json';
    if (spec.bearer !== undefined) headers.authorization = `Bearer ${spec.bearer}`;

    // Built outside the try below: only what the network does may count as a network failure.
    const request: Dispatcher.RequestOptions = {
      origin: this.#options.baseUrl,
      path: spec.path,
      method: spec.method,
      headers,
      body: spec.body === undefined ? null : JSON.stringify(spec.body),
      signal: AbortSignal.timeout(timeoutMs),
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    };
    let response: Dispatcher.ResponseData;
    try {
      response = await send(this.#dispatcher, request);
    } catch (error) {
      return describeTransportError(error, timeoutMs);
    }

    const { statusCode: status } = response;
    if (status < 200 || status >= 300) {
      // The status says it all; the body is discarded unread, so a hiccup while reading it cannot turn a final
      // answer into a retry.
      await response.body.dump().catch(() => undefined);
      return describeStatus(status, response.headers, this.#options.baseUrl);
    }

    let text: string;
    try {
      text = await readCapped(response.body);
    } catch (error) {
      const failure = describeTransportError(error, timeoutMs);
      return { ...failure, status, detail: `HTTP ${status}, then ${failure.detail} while reading the body` };
    }
    try {
      return { ok: true, value: spec.parse(text), status };
    } catch (error) {
      if (!(error instanceof UnreadableBody)) throw error;
      return { ok: false, failure: 'unreadable', status, detail: `HTTP ${status}, but ${error.message}` };
    }
  }
}

function describeStatus(status: number, headers: Dispatcher.ResponseData['headers'], baseUrl: string): FailedAttempt {
  if (status === 429 || status >= 500) {
    const retryAfterMs = parseRetryAfter(headerValue(headers['retry-after']), Date.now());
    return {
      ok: false,
      failure: status === 429 ? 'throttled' : 'server',
      status,
      detail: `the server answered HTTP ${status}`,
      retryAfterMs,
    };
  }
  if (status >= 300 && status < 400) {
    const location = headerValue(headers.location);
    const target = location === undefined ? '' : ` to ${safeOrigin(location, baseUrl)}`;
    return {
      ok: false,
      failure: 'final',
      status,
      detail: `the server answered HTTP ${status}, a redirect${target}; redirects are not followed, so credentials never leave ${baseUrl}`,
    };
  }
  const detail =
    status === 401 || status === 403 ? `the server refused the login token (HTTP ${status})` : `the server answered HTTP ${status}`;
  return { ok: false, failure: 'final', status, detail };
}

async function readCapped(body: Dispatcher.ResponseData['body']): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) {
      body.destroy();
      throw new UnreadableBody(`the body is larger than ${MAX_BODY_BYTES} bytes`);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

const UNSENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);
const TLS_CODE = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|ERR_SSL/;

function describeTransportError(error: unknown, timeoutMs: number): FailedAttempt {
  if (error instanceof UnreadableBody) return { ok: false, failure: 'unreadable', detail: error.message };
  const code = errorCode(error);
  const name = error instanceof Error ? error.name : '';
  // Network failures carry a code (ECONNRESET, UND_ERR_SOCKET …); a bare TypeError is a bug, and a retry repeats it.
  if (code === undefined && (error instanceof TypeError || error instanceof RangeError || error instanceof ReferenceError)) {
    return { ok: false, failure: 'final', detail: `unexpected error (${name}: ${error.message})` };
  }
  if (name === 'TimeoutError' || name === 'AbortError' || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') {
    return { ok: false, failure: 'lost', detail: `no answer within ${Math.round(timeoutMs / 100) / 10} s` };
  }
  if (code !== undefined && TLS_CODE.test(code)) {
    return {
      ok: false,
      failure: 'final',
      detail: `the server's TLS certificate is not trusted (${code}); for a corporate CA, point NODE_EXTRA_CA_CERTS at its PEM file`,
    };
  }
  const what = code ?? (error instanceof Error ? error.message : String(error));
  return code !== undefined && UNSENT_CODES.has(code)
    ? { ok: false, failure: 'unsent', detail: `could not connect (${what})` }
    : { ok: false, failure: 'lost', detail: `the connection failed (${what})` };
}

function errorCode(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 4; depth++) {
    const withCode = e as Error & { code?: unknown; errors?: unknown[] };
    if (typeof withCode.code === 'string') return withCode.code;
    e = withCode.cause ?? withCode.errors?.[0];
  }
  return undefined;
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** Only the origin of a redirect target is shown: its path or query could carry anything. */
function safeOrigin(location: string, base: string): string {
  try {
    return new URL(location, base).origin;
  } catch {
    return 'an unreadable location';
  }
}
