// An in-memory LAR for the property tests, written from the API page like the stand-in, and an Exchange that
// reaches it through a scripted fault per request, on a virtual clock. Every fault is placed before or after the
// server acts, so a test can hold the client to what the server really did.
import { Deadline } from '../../src/core/lar/deadline.ts';
import { type Exchange, type Exchanged, type Outgoing, TransportFailure } from '../../src/core/lar/exchange.ts';

export const LOCK_AFTER = 29;

export type Fault =
  | 'ok'
  /** The connection is refused: the request never left. */
  | 'refused'
  /** The connection drops before the server reads the request. */
  | 'reset-before'
  /** The server acts, then the connection drops. */
  | 'lost-after'
  /** No answer until the attempt times out; the server never got it, or got it and acted. */
  | 'hang-before'
  | 'hang-after'
  /** HTTP 502 before acting, or 500 after acting. */
  | '5xx-before'
  | '5xx-after'
  /** HTTP 503 with Retry-After, before or after acting. */
  | '503-before'
  | '503-after'
  /** HTTP 429, before acting, with or without Retry-After. */
  | '429'
  | '429-no-retry-after'
  /** A proxy's HTML page instead of the answer; or the server acts and its answer is cut off. */
  | 'garbled-before'
  | 'garbled-after'
  /** The server acts, and answers JSON of the wrong shape. */
  | 'wrong-shape-after';

export const FAULTS: readonly Fault[] = [
  'ok',
  'refused',
  'reset-before',
  'lost-after',
  'hang-before',
  'hang-after',
  '5xx-before',
  '5xx-after',
  '503-before',
  '503-after',
  '429',
  '429-no-retry-after',
  'garbled-before',
  'garbled-after',
  'wrong-shape-after',
];

export interface ModelUser {
  readonly id: number;
  readonly email: string;
  password: string;
  /** Consecutive failed logins: 29 lock the account. */
  failedLogins: number;
  /** Every failed login ever counted. */
  failedLoginsCounted: number;
  /** Every key minted for the account, the valid one last. */
  readonly keys: string[];
  readonly createdAt: number;
}

let secretCounter = 0;
const newSecret = (prefix: string): string =>
  `${prefix}${(++secretCounter).toString(36).padStart(6, '0')}${Math.random().toString(36).slice(2, 14)}`;

export class VirtualClock {
  now = 0;
  readonly sleep = (ms: number): Promise<void> => {
    this.now += ms;
    return Promise.resolve();
  };
  deadline(totalMs: number): Deadline {
    return new Deadline(totalMs, () => this.now);
  }
}

export class ModelLar {
  readonly users = new Map<string, ModelUser>();
  readonly secrets = new Set<string>();
  readonly requests: string[] = [];
  #nextId = 100;
  readonly #jwts = new Map<string, number>();

  seed(email: string, password: string, { hasKey = false, failedLogins = 0 } = {}): ModelUser {
    const user: ModelUser = { id: this.#nextId++, email, password, failedLogins, failedLoginsCounted: 0, keys: [], createdAt: -1 };
    this.users.set(email.toLowerCase(), user);
    this.secrets.add(password);
    if (hasKey) this.#mint(user);
    return user;
  }

  /** Acts on a request as LAR would, and returns its answer. */
  handle(request: Outgoing, now: number): { status: number; body: unknown } {
    const route = `${request.method} ${request.path}`;
    this.requests.push(route);
    const body = request.body === null ? undefined : (JSON.parse(request.body) as Record<string, string>);
    if (body?.password !== undefined) this.secrets.add(body.password);
    switch (route) {
      case 'POST /api/user/create': {
        const email = body?.email ?? '';
        if (this.users.has(email.toLowerCase())) return { status: 200, body: { status: 'email_exists' } };
        const user: ModelUser = {
          id: this.#nextId++,
          email,
          password: body?.password ?? '',
          failedLogins: 0,
          failedLoginsCounted: 0,
          keys: [],
          createdAt: now,
        };
        this.users.set(email.toLowerCase(), user);
        return { status: 200, body: { id: user.id, name: body?.name, email } };
      }
      case 'POST /api/user/login': {
        const user = this.users.get((body?.email ?? '').toLowerCase());
        if (user !== undefined && user.failedLogins >= LOCK_AFTER) return { status: 200, body: 'blocked' };
        if (user === undefined || user.password !== body?.password) {
          if (user !== undefined) {
            user.failedLogins++;
            user.failedLoginsCounted++;
          }
          return { status: 200, body: null };
        }
        user.failedLogins = 0;
        const token = newSecret('jwt.');
        const refresh = newSecret('def502');
        this.#jwts.set(token, user.id);
        this.secrets.add(token).add(refresh);
        return { status: 200, body: { id: user.id, email: user.email, token, refresh_token: refresh } };
      }
      case 'GET /api/user/key/has-existing':
      case 'GET /api/user/key/create': {
        const id = this.#jwts.get((request.headers.authorization ?? '').replace(/^Bearer /, ''));
        const user = [...this.users.values()].find((u) => u.id === id);
        if (user === undefined) return { status: 401, body: { message: 'Unauthenticated.' } };
        return route.endsWith('has-existing')
          ? { status: 200, body: { result: user.keys.length > 0 } }
          : { status: 200, body: { token: this.#mint(user) } };
      }
      default:
        return { status: 404, body: { message: 'not found' } };
    }
  }

  keyOwner(key: string): ModelUser | undefined {
    return [...this.users.values()].find((u) => u.keys.at(-1) === key);
  }

  #mint(user: ModelUser): string {
    const key = newSecret('axm_');
    user.keys.push(key);
    this.secrets.add(key);
    return key;
  }
}

/** Each request takes the next fault of the schedule; once it runs out, every request is answered normally. */
export function faultyExchange(server: ModelLar, clock: VirtualClock, schedule: readonly Fault[], latencyMs = 30): Exchange {
  let next = 0;
  return {
    async send(request: Outgoing): Promise<Exchanged> {
      const fault = schedule[next++] ?? 'ok';
      if (fault === 'refused') {
        clock.now += 1;
        throw new TransportFailure('unsent', 'could not connect to the model (ECONNREFUSED)');
      }
      if (fault === 'hang-before' || fault === 'hang-after') {
        if (fault === 'hang-after') server.handle(request, clock.now);
        clock.now += request.timeoutMs;
        throw new TransportFailure('lost', `no answer within ${request.timeoutMs} ms`);
      }
      clock.now += latencyMs;
      switch (fault) {
        case 'reset-before':
          throw new TransportFailure('lost', 'the connection failed (ECONNRESET)');
        case '5xx-before':
          return { status: 502 };
        case '503-before':
          return { status: 503, retryAfter: '1' };
        case '429':
          return { status: 429, retryAfter: '1' };
        case '429-no-retry-after':
          return { status: 429 };
        case 'garbled-before':
          return { status: 200, text: '<html><body>502 Bad Gateway</body></html>' };
        default:
          break;
      }
      const answer = server.handle(request, clock.now);
      const text = JSON.stringify(answer.body);
      switch (fault) {
        case 'lost-after':
          throw new TransportFailure('lost', 'the connection failed (UND_ERR_SOCKET)');
        case '5xx-after':
          return { status: 500 };
        case '503-after':
          return { status: 503, retryAfter: '1' };
        case 'garbled-after':
          return { status: 200, text: text.slice(0, Math.floor(text.length / 2)) };
        case 'wrong-shape-after':
          return { status: 200, text: '{"unexpected":true}' };
        default:
          return answer.status >= 200 && answer.status < 300 ? { status: answer.status, text } : { status: answer.status };
      }
    },
    close: () => Promise.resolve(),
  };
}
