// The one real Exchange: undici, with one keep-alive connection for every call of a run.
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { Agent, type Dispatcher, ProxyAgent } from 'undici';
import { AttemptFailure, type Exchange, type Exchanged, type Outgoing } from './exchange.ts';
import type { ProxyChoice } from './proxy.ts';

const MAX_BODY_BYTES = 1 << 20;

// One connection for the run (or to its proxy): a new TLS connection costs two round trips, and the global fetch opens
// one per request. NODE_EXTRA_CA_CERTS works as Node adds it to the default CA store. `connectTimeoutMs` is the step's
// timeout: a connection still opening after the step gave up would keep the process alive.
export function createExchange(
  origin: string,
  proxy: Pick<ProxyChoice, 'proxyUrl'>,
  { connectTimeoutMs }: { readonly connectTimeoutMs: number },
): Exchange {
  let connection = openConnection(proxy.proxyUrl, connectTimeoutMs);
  const proxyUrl = proxy.proxyUrl === undefined ? undefined : new URL(proxy.proxyUrl);
  const route: Route = {
    // The host and port only: the proxy URL may carry a password.
    target: proxyUrl === undefined ? origin : `${origin} through the proxy at ${proxyUrl.host}`,
    proxyCredentials: (proxyUrl?.username ?? '') !== '',
  };
  return {
    send: async (request) => {
      const used = connection;
      const written = watchRequestWritten(request);
      try {
        return await withinTimeout(request.timeoutMs, route.target, request.signal, (signal) =>
          exchange(used.dispatcher, origin, route, request, signal),
        );
      } catch (error) {
        // A failed attempt may leave its connection stalled (a proxy that never answers a CONNECT, a TLS handshake
        // that never ends), and the next request would queue behind it: the retry gets a new connection.
        if (connection === used) {
          void used.destroy().catch(() => undefined);
          connection = openConnection(proxy.proxyUrl, connectTimeoutMs);
        }
        // Not one byte of a request whose headers were never written reached the server: it did nothing with it.
        if (error instanceof AttemptFailure && error.kind === 'lost' && !written.happened) {
          throw new AttemptFailure('unsent', `${error.message}, before the request was sent`);
        }
        throw error;
      } finally {
        written.stop();
      }
    },
    // destroy, not close: close waits for what is pending, and a proxy that never answers a CONNECT keeps a
    // request pending (and the process alive) for undici's own five-minute timeout.
    close: () => connection.destroy(),
  };
}

// undici announces on its documented diagnostics channel that it writes a request's headers, once the connection (and
// any proxy's tunnel, whose CONNECT is a request of its own) is open. One request is in flight, so method and path tell it.
function watchRequestWritten(request: Outgoing): { readonly happened: boolean; stop(): void } {
  const state = { happened: false, stop: () => unsubscribe(SEND_HEADERS, onSend) };
  function onSend(message: unknown): void {
    const sent = (message as { request?: { method?: string; path?: string } }).request;
    if (sent?.method === request.method && sent.path === request.path) state.happened = true;
  }
  subscribe(SEND_HEADERS, onSend);
  return state;
}

const SEND_HEADERS = 'undici:client:sendHeaders';

// A dispatcher's own destroy() does not reach a TLS handshake under way inside a proxy's tunnel (undici holds no such
// socket until the handshake ends); the abort signal, which Node's net.connect and tls.connect take, does.
function openConnection(proxyUrl: string | undefined, connectTimeoutMs: number): { dispatcher: Dispatcher; destroy(): Promise<void> } {
  const abandoned = new AbortController();
  const connect = { timeout: connectTimeoutMs, signal: abandoned.signal };
  const oneConnection = { connections: 1, pipelining: 1 };
  const dispatcher: Dispatcher =
    proxyUrl === undefined
      ? new Agent({ ...oneConnection, connect })
      : new ProxyAgent({ ...oneConnection, uri: proxyUrl, proxyTls: connect, requestTls: connect });
  return {
    dispatcher,
    destroy: () => {
      abandoned.abort();
      return dispatcher.destroy();
    },
  };
}

// undici does not pass a request's signal to the CONNECT it sends a proxy: a proxy that accepts and stays silent would
// hold the attempt for undici's own timeouts.
async function withinTimeout<T>(
  timeoutMs: number,
  target: string,
  callerSignal: AbortSignal | undefined,
  run: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  const { promise: ended, reject } = Promise.withResolvers<never>();
  const end = (failure: AttemptFailure): void => {
    controller.abort();
    reject(failure);
  };
  const timer = setTimeout(() => end(noAnswer(target, timeoutMs)), timeoutMs);
  const onAbort = (): void => end(new AttemptFailure('aborted', 'aborted by the caller'));
  callerSignal?.addEventListener('abort', onAbort, { once: true });
  try {
    if (callerSignal?.aborted) throw new AttemptFailure('aborted', 'aborted by the caller');
    return await Promise.race([run(controller.signal), ended]);
  } finally {
    clearTimeout(timer);
    callerSignal?.removeEventListener('abort', onAbort);
  }
}

async function exchange(dispatcher: Dispatcher, origin: string, route: Route, request: Outgoing, signal: AbortSignal): Promise<Exchanged> {
  let response: Dispatcher.ResponseData;
  try {
    // undici's request() never follows redirects, so credentials cannot leave the origin.
    response = await dispatcher.request({
      origin,
      path: request.path,
      method: request.method,
      headers: request.headers,
      body: request.body,
      signal,
      headersTimeout: request.timeoutMs,
      bodyTimeout: request.timeoutMs,
    });
  } catch (error) {
    throw describeTransportError(error, request.timeoutMs, route.target, route.proxyCredentials);
  }
  const { statusCode: status, headers } = response;
  const retryAfter = headers['retry-after'];
  const answer = { status, retryAfter: Array.isArray(retryAfter) ? retryAfter[0] : retryAfter };
  if (status < 200 || status >= 300) {
    // Discarded unread: a hiccup while reading cannot turn a final answer into a retry, and nothing in it reaches a log.
    await response.body.dump().catch(() => undefined);
    return answer;
  }
  try {
    return { ...answer, text: await readCapped(response.body) };
  } catch (error) {
    if (error instanceof AttemptFailure) throw error;
    const failure = describeTransportError(error, request.timeoutMs, origin);
    // The server answered 2xx, so it acted; only the rest of the body was lost.
    throw new AttemptFailure('garbled', `HTTP ${status}, then ${failure.message} while reading the body`, status);
  }
}

async function readCapped(body: Dispatcher.ResponseData['body']): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) {
      body.destroy();
      throw new AttemptFailure('garbled', `the body is larger than ${MAX_BODY_BYTES} bytes`);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

const noAnswer = (target: string, timeoutMs: number): AttemptFailure =>
  new AttemptFailure('lost', `no answer from ${target} within ${Math.round(timeoutMs / 100) / 10} s`);

const UNSENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);
const TLS_CODE = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|ERR_SSL/;
/** Refused before anything was sent (a header value that cannot be sent, say): the same request fails again. */
const INVALID_CODE = /^(?:UND_ERR_INVALID_ARG|UND_ERR_NOT_SUPPORTED|ERR_INVALID_.*)$/;

/** Where requests go, as errors name it (never with the proxy's credentials), and whether the proxy URL has any. */
interface Route {
  readonly target: string;
  readonly proxyCredentials: boolean;
}

/** How undici's ProxyAgent says the proxy answered CONNECT with another status than 200 (as an AbortError). */
const TUNNEL_REFUSED = /^Proxy response \((\d{3})\) !== 200 when HTTP Tunneling$/;

/** Network failures carry a code (ECONNRESET, UND_ERR_SOCKET …); their messages are never quoted. */
function describeTransportError(error: unknown, timeoutMs: number, target: string, proxyCredentials = false): AttemptFailure {
  const code = errorCode(error);
  const name = error instanceof Error ? error.name : '';
  const refusedWith = error instanceof Error ? TUNNEL_REFUSED.exec(error.message)?.[1] : undefined;
  if (refusedWith === '407') {
    const advice = proxyCredentials
      ? 'it refused the credentials in the proxy URL'
      : 'it wants credentials, which go in the proxy URL (http://user:password@host:port)';
    return new AttemptFailure('final', `the proxy refused the tunnel to ${target} (HTTP 407): ${advice}`);
  }
  if (refusedWith !== undefined) {
    // The proxy never passed the request on, so LAR never saw it: as safe to repeat as a refused connection.
    return new AttemptFailure('unsent', `the proxy refused the tunnel to ${target} (HTTP ${refusedWith})`);
  }
  if (name === 'TimeoutError' || name === 'AbortError' || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') {
    return noAnswer(target, timeoutMs);
  }
  // A bare TypeError or the like is a bug or a refused argument; a retry repeats it.
  if (code === undefined || INVALID_CODE.test(code)) {
    return new AttemptFailure('final', `the request to ${target} could not be made (${code ?? (name || 'unknown error')})`);
  }
  if (TLS_CODE.test(code)) {
    return new AttemptFailure(
      'final',
      `the TLS certificate of ${target} is not trusted (${code}); for a corporate CA, point NODE_EXTRA_CA_CERTS at its PEM file`,
    );
  }
  return UNSENT_CODES.has(code)
    ? new AttemptFailure('unsent', `could not connect to ${target} (${code})`)
    : new AttemptFailure('lost', `the connection to ${target} failed (${code})`);
}

function errorCode(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 4; depth++) {
    const withCode = e as Error & { code?: unknown; errors?: unknown[] };
    if (typeof withCode.code === 'string' && /^[A-Z0-9_]+$/.test(withCode.code)) return withCode.code;
    e = withCode.cause ?? withCode.errors?.[0];
  }
  return undefined;
}
