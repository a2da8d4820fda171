// LAR's rules, written from ../shared/lar-signup-api.md, as state and operations with no I/O: the accounts, what
// create refuses, the 29-failure lock-out and one key per account. The HTTP stand-in (lar-server.ts) and the
// property tests' in-memory model (../model/lar-model.ts) both act through it, so they cannot disagree on what LAR
// does; each adds only how requests reach it. It records every secret it issued or was seeded with, and every failed
// login it counted. It shares no code with src/ on purpose.
import { randomBytes } from 'node:crypto';

export type Route = 'create' | 'login' | 'has-existing' | 'key/create';

/** LAR's routes, by `${method} ${path}`. */
export const ROUTES: Readonly<Record<string, Route>> = {
  'POST /api/user/create': 'create',
  'POST /api/user/login': 'login',
  'GET /api/user/key/has-existing': 'has-existing',
  'GET /api/user/key/create': 'key/create',
};

export const LOCK_AFTER_FAILED_LOGINS = 29;
export const STATUS = Object.freeze({
  emailExists: 'email_exists',
  nameLooksLikeUrl: 'Could not create an account, name field contains a URL or email address',
  disposable: 'To prevent abuse of our free plan, please do not register with an anonymous email provider.',
});
const NAME_LOOKS_LIKE_URL = /[a-z0-9@:%._+~#=]{1,256}\.[a-z0-9()]{1,6}/i;
const DISPOSABLE_DOMAINS = new Set(['mailinator.com', '10minutemail.com', 'guerrillamail.com', 'yopmail.com', 'tempmail.com']);

export interface User {
  readonly id: number;
  readonly email: string;
  /** Mutable so a test can play "someone changed the password mid-job". */
  password: string;
  readonly profile: Readonly<Record<string, string>>;
  /** Failed logins since the last successful one: the count that locks the account at 29. */
  failedLogins: number;
  /** Every failed login counted against the account, never reset: a step's share is the difference across it. */
  failedLoginsCounted: number;
  /** The key that works, if any: always the last of `keys`. */
  apiKey?: string;
  /** Every key minted for the account, oldest first: all but the last were invalidated by the next. */
  readonly keys: string[];
}

/** LAR's answer to a request: an HTTP status and the JSON body. */
export interface Answer {
  readonly status: number;
  readonly body: unknown;
}

export class LarRules {
  readonly users = new Map<string, User>();
  /** Every password, JWT, refresh token and API key this LAR issued, was seeded with or was sent. */
  readonly secrets = new Set<string>();
  #nextId = 1000;
  readonly #jwts = new Map<string, number>();

  /** Registers an account as if someone had signed up earlier (another team, a previous run). */
  seedUser(email: string, password: string, options: { apiKey?: boolean; failedLogins?: number } = {}): User {
    const user = this.#addUser(email, password, {}, options.failedLogins);
    this.secrets.add(password);
    if (options.apiKey) this.#mintKey(user);
    return user;
  }

  /** The accounts, as JSON: the E2E workflow carries them from one job's stand-in to the next job's. */
  saveAccounts(): string {
    return JSON.stringify({ nextId: this.#nextId, users: [...this.users.values()] });
  }

  /** Takes over the accounts an earlier stand-in saved (see saveAccounts). */
  loadAccounts(json: string): this {
    const { nextId, users } = JSON.parse(json) as { nextId: number; users: User[] };
    this.#nextId = Math.max(this.#nextId, nextId);
    for (const user of users) {
      this.users.set(user.email.toLowerCase(), user);
      for (const secret of [user.password, ...user.keys]) this.secrets.add(secret);
    }
    return this;
  }

  /** Whether an API key works: the check a later test step makes with the action's output. */
  keyOwner(apiKey: string): User | undefined {
    return [...this.users.values()].find((user) => user.apiKey !== undefined && user.apiKey === apiKey);
  }

  /**
   * A request's body as `answer` takes it: the parsed JSON, the raw text when it is not JSON, undefined when empty.
   * A password in it is recorded as a secret, whatever becomes of the request.
   */
  receiveBody(text: string): unknown {
    let body: unknown;
    try {
      body = text === '' ? undefined : JSON.parse(text);
    } catch {
      body = text;
    }
    if (isObject(body) && typeof body.password === 'string') this.secrets.add(body.password);
    return body;
  }

  /**
   * Acts on a request as LAR would and returns LAR's answer, given its body from receiveBody; `issueToken` may reshape a login's JWT before it is issued, for a test of tokens no header can carry.
   */
  answer(route: Route, body: unknown, authorization: string | undefined, issueToken = (jwt: string) => jwt): Answer {
    switch (route) {
      case 'create':
        return this.#create(body);
      case 'login':
        return this.#login(body, issueToken);
      case 'has-existing': {
        const user = this.#bearerUser(authorization);
        return user ? { status: 200, body: { result: user.apiKey !== undefined } } : unauthenticated();
      }
      case 'key/create': {
        const user = this.#bearerUser(authorization);
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
    const user = this.#addUser(email, password, profile);
    const { name: n, company, role, country, language } = profile;
    return { status: 200, body: { id: user.id, name: n, email, company, role, country, language } };
  }

  #login(body: unknown, issueToken: (jwt: string) => string): Answer {
    const email = isObject(body) && typeof body.email === 'string' ? body.email : '';
    const password = isObject(body) && typeof body.password === 'string' ? body.password : '';
    const user = this.users.get(email.toLowerCase());
    if (user !== undefined && user.failedLogins >= LOCK_AFTER_FAILED_LOGINS) return { status: 200, body: 'blocked' };
    if (user === undefined || user.password !== password) {
      if (user !== undefined) {
        user.failedLogins++;
        user.failedLoginsCounted++;
      }
      return { status: 200, body: null };
    }
    user.failedLogins = 0;
    const token = issueToken(fakeJwt(user.id));
    const refreshToken = `def50200${randomBytes(48).toString('hex')}`;
    this.#jwts.set(token, user.id);
    this.secrets.add(token).add(refreshToken);
    return { status: 200, body: { id: user.id, name: user.profile.name ?? '', email: user.email, token, refresh_token: refreshToken } };
  }

  #addUser(email: string, password: string, profile: Readonly<Record<string, string>>, failedLogins = 0): User {
    const user: User = { id: this.#nextId++, email, password, profile, failedLogins, failedLoginsCounted: 0, keys: [] };
    this.users.set(email.toLowerCase(), user);
    return user;
  }

  #mintKey(user: User): string {
    // One key per account: minting replaces (and so invalidates) the previous one.
    const key = `axm_${randomBytes(24).toString('base64url')}`;
    user.apiKey = key;
    user.keys.push(key);
    this.secrets.add(key);
    return key;
  }

  #bearerUser(authorization: string | undefined): User | undefined {
    const token = /^Bearer (.+)$/.exec(authorization ?? '')?.[1];
    const id = token === undefined ? undefined : this.#jwts.get(token);
    return [...this.users.values()].find((user) => user.id === id);
  }
}

function fakeJwt(userId: number): string {
  const part = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ typ: 'JWT', alg: 'RS256' })}.${part({ sub: String(userId), jti: randomBytes(12).toString('hex') })}.${randomBytes(32).toString('base64url')}`;
}

function unauthenticated(): Answer {
  return { status: 401, body: { message: 'Unauthenticated.' } };
}

export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
