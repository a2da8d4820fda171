// A stand-in for the LAR signup API, written from ../shared/lar-signup-api.md: the same routes, the same odd
// failure shapes (HTTP 200 with `status`, a bare `null` or "blocked"), the 29-failure lock-out and one key per
// account. It also records what a test needs to judge the action (every request, every connection, every secret
// it issued or received), and takes scripted faults per route. It shares no code with src/ on purpose.
import { randomBytes } from 'node:crypto';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';

export type Route = 'create' | 'login' | 'has-existing' | 'key/create';

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
  | { readonly kind: 'wrong-shape' };

export interface StandInOptions {
  readonly port?: number;
  readonly host?: string;
  readonly tls?: { readonly key: string | Buffer; readonly cert: string | Buffer };
  /** Simulated round trip: this long before every answer. */
  readonly latencyMs?: number;
  /** Simulated connection set-up (TCP + TLS): this much more before the first answer on a new connection. */
  readonly newConnectionMs?: number;
  /**
   * Normal answers go out slowly: 20 extra headers, then the body chunked (Transfer-Encoding: chunked) a few
   * bytes per write, so the client's HTTP parser works through each answer across many reads.
   */
  readonly trickle?: boolean;
}

export interface User {
  readonly id: number;
  readonly email: string;
  /** Mutable so a test can play "someone changed the password mid-job". */
  password: string;
  readonly profile: Readonly<Record<string, string>>;
  failedLogins: number;
  apiKey?: string;
}

export interface RequestRecord {
  readonly route: Route | 'other';
  readonly method: string;
  readonly path: string;
  readonly connection: number;
  readonly authorization?: string;
  readonly cacheControl?: string;
  readonly body?: unknown;
}

export const LOCK_AFTER_FAILED_LOGINS = 29;
export const STATUS = Object.freeze({
  emailExists: 'email_exists',
  nameLooksLikeUrl: 'Could not create an account, name field contains a URL or email address',
  disposable: 'To prevent abuse of our free plan, please do not register with an anonymous email provider.',
});
const NAME_LOOKS_LIKE_URL = /[a-z0-9@:%._+~#=]{1,256}\.[a-z0-9()]{1,6}/i;
const DISPOSABLE_DOMAINS = new Set(['mailinator.com', '10minutemail.com', 'guerrillamail.com', 'yopmail.com', 'tempmail.com']);
const ROUTES: Readonly<Record<string, Route>> = {
  'POST /api/user/create': 'create',
  'POST /api/user/login': 'login',
  'GET /api/user/key/has-existing': 'has-existing',
  'GET /api/user/key/create': 'key/create',
};

interface Answer {
  readonly status: number;
  readonly body: unknown;
}

export class StandInLar {
  readonly users = new Map<string, User>();
  readonly requests: RequestRecord[] = [];
  /** Every password, JWT, refresh token and API key that crossed this server. */
  readonly secrets = new Set<string>();
  connections = 0;
  url = '';

  readonly #options: StandInOptions;
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();
  readonly #answeredOn = new WeakSet<Socket>();
  readonly #faults = new Map<Route, Fault[]>();
  readonly #jwts = new Map<string, number>();
  #nextId = 1000;
  readonly #connectionIds = new WeakMap<Socket, number>();
  #connectionsSeen = 0;

  constructor(options: StandInOptions = {}) {
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
    for (const socket of this.#sockets) socket.destroy();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  /** Queues faults for a route: each request to it takes the next one, and answers normally once they run out. */
  inject(route: Route, ...faults: Fault[]): this {
    this.#faults.set(route, [...(this.#faults.get(route) ?? []), ...faults]);
    return this;
  }

  /** Registers an account as if someone had signed up earlier (another team, a previous run). */
  seedUser(email: string, password: string, options: { apiKey?: boolean; failedLogins?: number } = {}): User {
    const user: User = { id: this.#nextId++, email, password, profile: {}, failedLogins: options.failedLogins ?? 0 };
    this.users.set(email.toLowerCase(), user);
    this.secrets.add(password);
    if (options.apiKey) this.#mintKey(user);
    return user;
  }

  count(route: Route): number {
    return this.requests.filter((r) => r.route === route).length;
  }

  /** Whether an API key works: the check a later test step makes with the action's output. */
  keyOwner(apiKey: string): User | undefined {
    return [...this.users.values()].find((user) => user.apiKey !== undefined && user.apiKey === apiKey);
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://stand-in');
    const route = ROUTES[`${req.method} ${url.pathname}`];
    const socket = req.socket;
    let body: unknown;
    try {
      body = raw === '' ? undefined : JSON.parse(raw);
    } catch {
      body = raw;
    }
    this.requests.push({
      route: route ?? 'other',
      method: req.method ?? '',
      path: url.pathname,
      connection: this.#connectionId(socket),
      ...(req.headers.authorization !== undefined && { authorization: req.headers.authorization }),
      ...(req.headers['cache-control'] !== undefined && { cacheControl: req.headers['cache-control'] }),
      ...(body !== undefined && { body }),
    });
    if (isObject(body) && typeof body.password === 'string') this.secrets.add(body.password);

    const delay = (this.#options.latencyMs ?? 0) + (this.#answeredOn.has(socket) ? 0 : (this.#options.newConnectionMs ?? 0));
    this.#answeredOn.add(socket);
    if (delay > 0) await sleep(delay);

    if (route === undefined) return this.#extras(req, url, res);
    const fault = this.#faults.get(route)?.shift();
    switch (fault?.kind) {
      case 'status':
        return send(
          res,
          fault.status,
          { message: `stand-in fault ${fault.status}` },
          fault.retryAfter ? { 'retry-after': fault.retryAfter } : {},
        );
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
      default:
        break;
    }
    const answer = this.#answer(route, req, body);
    if (fault?.kind === 'lost') return void socket.destroy();
    if (fault?.kind === 'truncated') {
      const text = JSON.stringify(answer.body);
      return send(res, answer.status, undefined, {}, text.slice(0, Math.ceil(text.length / 2)));
    }
    if (fault?.kind === 'wrong-shape' && isObject(answer.body)) {
      const { token: _token, id: _id, ...rest } = answer.body;
      return send(res, answer.status, rest);
    }
    if (this.#options.trickle) return trickle(res, answer.status, answer.body);
    send(res, answer.status, answer.body);
  }

  #answer(route: Route, req: IncomingMessage, body: unknown): Answer {
    switch (route) {
      case 'create':
        return this.#create(body);
      case 'login':
        return this.#login(body);
      case 'has-existing': {
        const user = this.#bearerUser(req);
        return user ? { status: 200, body: { result: user.apiKey !== undefined } } : unauthenticated();
      }
      case 'key/create': {
        const user = this.#bearerUser(req);
        return user ? { status: 200, body: { token: this.#mintKey(user) } } : unauthenticated();
      }
    }
  }

  #create(body: unknown): Answer {
    if (!isObject(body)) return { status: 400, body: { message: 'invalid JSON' } };
    const { name, email, password } = body;
    if (typeof name !== 'string' || typeof email !== 'string' || typeof password !== 'string' || !name || !email || !password) {
      return { status: 200, body: { status: 'name, email and password are required' } };
    }
    if (NAME_LOOKS_LIKE_URL.test(name)) return { status: 200, body: { status: STATUS.nameLooksLikeUrl } };
    if (DISPOSABLE_DOMAINS.has(email.slice(email.lastIndexOf('@') + 1).toLowerCase())) {
      return { status: 200, body: { status: STATUS.disposable } };
    }
    if (this.users.has(email.toLowerCase())) return { status: 200, body: { status: STATUS.emailExists } };
    const profile = Object.fromEntries(
      ['name', 'company', 'country', 'role', 'campaign', 'language'].map((field) => [
        field,
        typeof body[field] === 'string' ? body[field] : '',
      ]),
    );
    const user: User = { id: this.#nextId++, email, password, profile, failedLogins: 0 };
    this.users.set(email.toLowerCase(), user);
    const { name: n, company, role, country, language } = profile;
    return { status: 200, body: { id: user.id, name: n, email, company, role, country, language } };
  }

  #login(body: unknown): Answer {
    const email = isObject(body) && typeof body.email === 'string' ? body.email : '';
    const password = isObject(body) && typeof body.password === 'string' ? body.password : '';
    const user = this.users.get(email.toLowerCase());
    if (user !== undefined && user.failedLogins >= LOCK_AFTER_FAILED_LOGINS) return { status: 200, body: 'blocked' };
    if (user === undefined || user.password !== password) {
      if (user !== undefined) user.failedLogins++;
      return { status: 200, body: null };
    }
    user.failedLogins = 0;
    const token = fakeJwt(user.id);
    const refreshToken = `def50200${randomBytes(48).toString('hex')}`;
    this.#jwts.set(token, user.id);
    this.secrets.add(token).add(refreshToken);
    return { status: 200, body: { id: user.id, name: user.profile.name ?? '', email: user.email, token, refresh_token: refreshToken } };
  }

  #mintKey(user: User): string {
    // One key per account: minting replaces (and so invalidates) the previous one.
    user.apiKey = `axm_${randomBytes(24).toString('base64url')}`;
    this.secrets.add(user.apiKey);
    return user.apiKey;
  }

  #bearerUser(req: IncomingMessage): User | undefined {
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const id = token === undefined ? undefined : this.#jwts.get(token);
    return [...this.users.values()].find((user) => user.id === id);
  }

  /** Routes LAR does not have, for tests and demos: whoami proves a key works, stats reports what happened. */
  #extras(req: IncomingMessage, url: URL, res: ServerResponse): void {
    if (req.method === 'GET' && url.pathname === '/stand-in/whoami') {
      const key = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      const user = key === undefined ? undefined : this.keyOwner(key);
      if (user) send(res, 200, { id: user.id, email: user.email });
      else send(res, 401, { message: 'invalid API key' });
    } else if (req.method === 'GET' && url.pathname === '/stand-in/stats') {
      send(res, 200, { connections: this.connections, requests: this.requests.map(({ route, connection }) => ({ route, connection })) });
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

function fakeJwt(userId: number): string {
  const part = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ typ: 'JWT', alg: 'RS256' })}.${part({ sub: String(userId), jti: randomBytes(12).toString('hex') })}.${randomBytes(32).toString('base64url')}`;
}

function unauthenticated(): Answer {
  return { status: 401, body: { message: 'Unauthenticated.' } };
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

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export async function startStandIn(options: StandInOptions = {}): Promise<StandInLar> {
  return new StandInLar(options).start();
}
