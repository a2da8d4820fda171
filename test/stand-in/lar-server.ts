// A stand-in for the LAR signup API over HTTP(S): LAR's rules (lar-rules.ts) behind the same routes and the same odd
// failure shapes (HTTP 200 with `status`, a bare `null` or "blocked"). It also records what a test needs to judge
// the action (every request, every connection, every secret it received), takes scripted faults per route or per
// request, and can throttle by concurrency. It shares no code with src/ on purpose.
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { isObject, LarRules, ROUTES, type Route } from './lar-rules.ts';

export type Fault =
  /** An HTTP error answer before any work: 5xx or 429, with an optional Retry-After. */
  | { readonly kind: 'status'; readonly status: number; readonly retryAfter?: string }
  /** The connection is reset before the request is handled: the server did nothing. */
  | { readonly kind: 'reset' }
  /** The work is done (account created, key minted …), then the connection drops before the answer. */
  | { readonly kind: 'lost' }
  /** No answer, ever. */
  | { readonly kind: 'hang' }
  /** The work is done and half of the JSON answer is sent, framed as if it were whole. */
  | { readonly kind: 'truncated' }
  /** A proxy's HTML error page instead of JSON. */
  | { readonly kind: 'html'; readonly status?: number }
  /** A redirect to another origin, before any work. */
  | { readonly kind: 'redirect'; readonly location: string }
  /** The work is done and the answer is a JSON object missing the field the client needs. */
  | { readonly kind: 'wrong-shape' }
  /** The work is done (account created, failed login counted, key minted …), then an HTTP error (5xx) instead of the result. */
  | { readonly kind: 'done-then-status'; readonly status: number; readonly retryAfter?: string }
  /** The work is done, then no answer, ever. */
  | { readonly kind: 'hang-after' }
  /** Create only: a hostile server's HTTP 200 `{ "status": <the raw request body> }`, password included; nothing is created. */
  | { readonly kind: 'echo-status' }
  /** The work is done and the normal answer comes behind a UTF-8 byte order mark. */
  | { readonly kind: 'bom' }
  /**
   * Login only: a successful login whose token no HTTP header can carry (a newline, or a character above U+00FF).
   * The server issued it, so it counts as a secret. A login that fails answers as usual.
   */
  | { readonly kind: 'unsafe-token'; readonly variant: 'newline' | 'non-latin1' }
  /** Key only: a key is minted, and the answer carries `token` instead (a hostile server's shell command, say). */
  | { readonly kind: 'forged-key'; readonly token: string };

/** Which request a schedule is asked about: throttled requests are not handled, so they take no place in the count. */
export interface ScheduledRequest {
  readonly route: Route;
  /** 0 for the first request the server handles, on any route. */
  readonly index: number;
  /** 0 for the first request the server handles on this route. */
  readonly routeIndex: number;
}

/** Picks the fault for each handled request, or none: `({ index }) => faults[index]` plays a fixed schedule. */
export type FaultSchedule = (request: ScheduledRequest) => Fault | undefined;

export interface StandInOptions {
  readonly port?: number;
  readonly host?: string;
  readonly tls?: { readonly key: string | Buffer; readonly cert: string | Buffer };
  /** Simulated round trip: this long before every answer. */
  readonly latencyMs?: number;
  /** Simulated connection set-up (TCP + TLS): this much more before the first answer on a new connection. */
  readonly newConnectionMs?: number;
  /**
   * A throttle by concurrency: while this many API requests are being handled, another one is answered 429 with
   * Retry-After, before any work (so a throttled login is never counted as failed). No limit when unset.
   */
  readonly maxInFlight?: number;
  /** The Retry-After of a throttled answer. Default '1'. */
  readonly throttleRetryAfter?: string;
  /** Called each time a request may have changed an account, after the work and before the answer. */
  readonly onAccountsChanged?: () => void;
  /**
   * Normal answers go out slowly: 20 extra headers, then the body chunked (Transfer-Encoding: chunked) a few
   * bytes per write, so the client's HTTP parser works through each answer across many reads.
   */
  readonly trickle?: boolean;
}

export interface RequestRecord {
  readonly route: Route | 'other';
  readonly method: string;
  readonly path: string;
  readonly connection: number;
  readonly authorization?: string;
  readonly cacheControl?: string;
  readonly body?: unknown;
  /** Answered 429 by the concurrency throttle, before any work. */
  readonly throttled?: true;
}

/** Faults that only make sense on one route's answer. */
const ONLY_ON: Readonly<Partial<Record<Fault['kind'], Route>>> = {
  'echo-status': 'create',
  'unsafe-token': 'login',
  'forged-key': 'key/create',
};

export class StandInLar extends LarRules {
  readonly requests: RequestRecord[] = [];
  connections = 0;
  /** How many requests the concurrency throttle answered 429. */
  throttled = 0;
  url = '';

  readonly #options: StandInOptions;
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();
  readonly #answeredOn = new WeakSet<Socket>();
  readonly #faults = new Map<Route, Fault[]>();
  #schedule: FaultSchedule | undefined;
  readonly #handledPerRoute = new Map<Route, number>();
  #handled = 0;
  #inFlight = 0;
  readonly #connectionIds = new WeakMap<Socket, number>();
  #connectionsSeen = 0;

  constructor(options: StandInOptions = {}) {
    super();
    this.#options = options;
    const handler = (req: IncomingMessage, res: ServerResponse): void => void this.#handle(req, res);
    this.#server = options.tls ? createHttpsServer({ ...options.tls }, handler) : createHttpServer(handler);
    this.#server.on('connection', (socket: Socket) => {
      this.connections++;
      this.#sockets.add(socket);
      socket.on('close', () => this.#sockets.delete(socket));
    });
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.#server.listen(this.#options.port ?? 0, this.#options.host ?? '127.0.0.1', resolve));
    const { port } = this.#server.address() as AddressInfo;
    this.url = `${this.#options.tls ? 'https' : 'http'}://${this.#options.host ?? '127.0.0.1'}:${port}`;
    return this;
  }

  async stop(): Promise<void> {
    // Stop accepting first, so no connection slips in between the sweep and the close and holds the close open.
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    for (const socket of this.#sockets) socket.destroy();
    await closed;
  }

  /** Queues faults for a route: each request to it takes the next one, and answers normally once they run out. */
  inject(route: Route, ...faults: Fault[]): this {
    for (const fault of faults) assertFaultFits(route, fault);
    this.#faults.set(route, [...(this.#faults.get(route) ?? []), ...faults]);
    return this;
  }

  /** Asks `schedule` for the fault of each handled request that has none queued for its route (see inject). */
  schedule(schedule: FaultSchedule): this {
    this.#schedule = schedule;
    return this;
  }

  /** Drops every queued fault and the schedule: from here on, every request is answered normally. */
  clearFaults(): this {
    this.#faults.clear();
    this.#schedule = undefined;
    return this;
  }

  count(route: Route): number {
    return this.requests.filter((r) => r.route === route).length;
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    const route = ROUTES[`${req.method} ${url.pathname}`];
    // The throttle judges a request as it arrives, as a front proxy would, before anything reads its body.
    const throttled = route !== undefined && !this.#admit(res);
    const raw = await readBody(req);
    const socket = req.socket;
    const body = this.receiveBody(raw);
    this.requests.push({
      route: route ?? 'other',
      method: req.method ?? '',
      path: url.pathname,
      connection: this.#connectionId(socket),
      ...(req.headers.authorization !== undefined && { authorization: req.headers.authorization }),
      ...(req.headers['cache-control'] !== undefined && { cacheControl: req.headers['cache-control'] }),
      ...(body !== undefined && { body }),
      ...(throttled && { throttled }),
    });

    const delay = (this.#options.latencyMs ?? 0) + (this.#answeredOn.has(socket) ? 0 : (this.#options.newConnectionMs ?? 0));
    this.#answeredOn.add(socket);
    if (delay > 0) await sleep(delay);

    if (route === undefined) return this.#extras(req, url, res);
    if (throttled) {
      this.throttled++;
      return send(res, 429, { message: 'Too Many Attempts.' }, { 'retry-after': this.#options.throttleRetryAfter ?? '1' });
    }
    const fault = this.#nextFault(route);
    switch (fault?.kind) {
      case 'status':
        return sendStatusFault(res, fault);
      case 'reset':
        return void socket.destroy();
      case 'hang':
        return;
      case 'html':
        res.writeHead(fault.status ?? 200, { 'content-type': 'text/html' });
        return void res.end('<html><body><h1>502 Bad Gateway</h1></body></html>');
      case 'redirect':
        res.writeHead(307, { location: fault.location });
        return void res.end();
      case 'echo-status':
        return send(res, 200, { status: raw });
      default:
        break;
    }
    const issueToken = fault?.kind === 'unsafe-token' ? (jwt: string) => headerUnsafe(jwt, fault.variant) : undefined;
    const answer = this.answer(route, body, req.headers.authorization, issueToken);
    this.#options.onAccountsChanged?.();
    switch (fault?.kind) {
      case 'lost':
        return void socket.destroy();
      case 'hang-after':
        return;
      case 'done-then-status':
        return sendStatusFault(res, fault);
      case 'truncated': {
        const text = JSON.stringify(answer.body);
        return send(res, answer.status, undefined, {}, text.slice(0, Math.ceil(text.length / 2)));
      }
      case 'bom':
        return send(res, answer.status, undefined, {}, `\uFEFF${JSON.stringify(answer.body)}`);
      case 'forged-key':
        return send(res, answer.status, { token: fault.token });
      case 'wrong-shape':
        if (isObject(answer.body)) {
          const { token: _token, id: _id, ...rest } = answer.body;
          return send(res, answer.status, rest);
        }
        break;
      default:
        break;
    }
    if (this.#options.trickle) return trickle(res, answer.status, answer.body);
    send(res, answer.status, answer.body);
  }

  /** Takes a place among the requests in flight, or refuses when the throttle is full. */
  #admit(res: ServerResponse): boolean {
    const limit = this.#options.maxInFlight;
    if (limit === undefined) return true;
    if (this.#inFlight >= limit) return false;
    this.#inFlight++;
    // 'close' comes once the answer is sent or the connection is gone, so a hung request holds its place until then.
    res.once('close', () => this.#inFlight--);
    return true;
  }

  #nextFault(route: Route): Fault | undefined {
    const request: ScheduledRequest = { route, index: this.#handled++, routeIndex: this.#handledPerRoute.get(route) ?? 0 };
    this.#handledPerRoute.set(route, request.routeIndex + 1);
    const fault = this.#faults.get(route)?.shift() ?? this.#schedule?.(request);
    if (fault) assertFaultFits(route, fault);
    return fault;
  }

  /** Routes LAR does not have, for tests and demos: whoami proves a key works, stats reports what happened. */
  #extras(req: IncomingMessage, url: URL, res: ServerResponse): void {
    if (req.method === 'GET' && url.pathname === '/stand-in/whoami') {
      const key = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      const user = key === undefined ? undefined : this.keyOwner(key);
      if (user) send(res, 200, { id: user.id, email: user.email });
      else send(res, 401, { message: 'invalid API key' });
    } else if (req.method === 'GET' && url.pathname === '/stand-in/stats') {
      send(res, 200, {
        connections: this.connections,
        throttled: this.throttled,
        requests: this.requests.map(({ route, connection }) => ({ route, connection })),
      });
    } else {
      send(res, 404, { message: 'not found' });
    }
  }

  /** Numbers connections in the order they first carried a request (req.socket is the TLS socket under https). */
  #connectionId(socket: Socket): number {
    let id = this.#connectionIds.get(socket);
    if (id === undefined) {
      id = ++this.#connectionsSeen;
      this.#connectionIds.set(socket, id);
    }
    return id;
  }
}

type UnsafeTokenVariant = Extract<Fault, { kind: 'unsafe-token' }>['variant'];

/** A JWT with a character no HTTP header may carry spliced into its signature, leaving long runs on both sides. */
function headerUnsafe(jwt: string, variant: UnsafeTokenVariant): string {
  const cut = jwt.length - 16;
  return `${jwt.slice(0, cut)}${variant === 'newline' ? '\n' : '\u20ac'}${jwt.slice(cut)}`;
}

function assertFaultFits(route: Route, fault: Fault): void {
  const only = ONLY_ON[fault.kind];
  if (only !== undefined && only !== route) throw new Error(`stand-in: fault '${fault.kind}' applies to ${only} only, not ${route}`);
}

function sendStatusFault(res: ServerResponse, fault: { readonly status: number; readonly retryAfter?: string }): void {
  send(res, fault.status, { message: `stand-in fault ${fault.status}` }, fault.retryAfter ? { 'retry-after': fault.retryAfter } : {});
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}, rawText?: string): void {
  const text = rawText ?? JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

async function trickle(res: ServerResponse, status: number, body: unknown): Promise<void> {
  const text = JSON.stringify(body);
  const padding = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`x-stand-in-${i}`, 'x'.repeat(40)]));
  res.socket?.setNoDelay(true);
  res.writeHead(status, { 'content-type': 'application/json', ...padding });
  res.flushHeaders();
  for (let at = 0; at < text.length; at += 7) {
    await sleep(1);
    res.write(text.slice(at, at + 7));
  }
  res.end();
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export async function startStandIn(options: StandInOptions = {}): Promise<StandInLar> {
  return new StandInLar(options).start();
}
