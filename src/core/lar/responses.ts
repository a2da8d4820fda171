// Turns LAR's answers into typed values. Pure, and never quotes a body: a login or key body may hold a token
// that failed to parse and so was never masked.

/** A 2xx body that is not JSON at all (cut off, an HTML page, empty); the message describes its shape only. */
export class GarbledBody extends Error {
  override readonly name = 'GarbledBody';
}

/** A JSON answer that cannot be used (a field missing, a token that cannot be sent): asking again gets the same. */
export class UnusableAnswer extends Error {
  override readonly name = 'UnusableAnswer';
}

export type CreateAnswer =
  | { readonly kind: 'created'; readonly userId: string; readonly email: string }
  | { readonly kind: 'refused'; readonly status: string };

export type LoginAnswer =
  | { readonly kind: 'session'; readonly userId: string; readonly token: string; readonly refreshToken: string }
  | { readonly kind: 'wrong-credentials' }
  | { readonly kind: 'blocked' };

/** `status` strings the API page documents for create. */
export const CREATE_STATUS = Object.freeze({
  emailExists: 'email_exists',
  nameLooksLikeUrl: 'Could not create an account, name field contains a URL or email address',
  disposable: 'To prevent abuse of our free plan, please do not register with an anonymous email provider.',
});

function parseJson(text: string): unknown {
  // A byte order mark is legal before UTF-8 JSON on the wire (RFC 8259 §8.1 lets a parser ignore it); JSON.parse is not.
  const json = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  try {
    return JSON.parse(json);
  } catch {
    const start = json.trimStart().charAt(0);
    if (start === '') throw new GarbledBody('the body is empty');
    if (start === '<') throw new GarbledBody('the body is an HTML page, not JSON');
    if ('{["'.includes(start)) throw new GarbledBody('the body is truncated or malformed JSON');
    throw new GarbledBody('the body is not JSON');
  }
}

// What the server sends is written where users consume it (a shell's eval, a dotenv file), so each value must have a
// plausible shape before anything keeps it. Tokens and keys are bearer credentials: RFC 6750's token68 (letters,
// digits, -._~+/ and a trailing run of =), which a header can carry and no shell or dotenv reader expands. Nothing
// narrower: LAR documents no more than the key's axm_ prefix, and a stricter rule could refuse a real key.
const TOKEN68 = /^[A-Za-z0-9\-._~+/]+=*$/;
/** Far above any real JWT or key, and bounded so an answer cannot fill a header, a file or a log line without end. */
const MAX_CREDENTIAL_LENGTH = 16 * 1024;
const token68 = (v: string): boolean => v.length <= MAX_CREDENTIAL_LENGTH && TOKEN68.test(v);
const apiKeyShaped = (v: string): boolean => v.startsWith('axm_') && token68(v.slice('axm_'.length));
/** The refresh token is only masked, never sent nor written; visible ASCII (no line break a mask would split on). */
const visible = (v: string): boolean => v.length <= MAX_CREDENTIAL_LENGTH && /^[\x21-\x7e]*$/.test(v);

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const nonEmptyString = (v: unknown): v is string => typeof v === 'string' && v !== '';
const userId = (v: unknown): string | undefined =>
  (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) || (typeof v === 'string' && /^\d{1,20}$/.test(v)) ? String(v) : undefined;

export function parseCreate(text: string): CreateAnswer {
  const body = parseJson(text);
  if (!isObject(body)) throw new UnusableAnswer('the body is not a JSON object');
  // The API answers failures with HTTP 200 and a `status` field, which a user object never has.
  if (typeof body.status === 'string') return { kind: 'refused', status: body.status };
  const id = userId(body.id);
  if (id === undefined || !nonEmptyString(body.email)) {
    throw new UnusableAnswer('the body is a JSON object without the user fields id and email');
  }
  return { kind: 'created', userId: id, email: body.email };
}

export function parseLogin(text: string): LoginAnswer {
  const body = parseJson(text);
  if (body === null) return { kind: 'wrong-credentials' };
  if (body === 'blocked') return { kind: 'blocked' };
  if (!isObject(body)) throw new UnusableAnswer('the body is neither null, "blocked", nor a JSON object');
  const id = userId(body.id);
  if (!nonEmptyString(body.token) || id === undefined) {
    throw new UnusableAnswer('the body is a JSON object without a token and user id');
  }
  if (!token68(body.token)) {
    throw new UnusableAnswer('the login token is not a bearer token (token68: letters, digits, -._~+/ and a trailing =)');
  }
  const refreshToken = typeof body.refresh_token === 'string' ? body.refresh_token : '';
  if (!visible(refreshToken)) throw new UnusableAnswer('the refresh token holds a space, a line break or non-ASCII');
  return { kind: 'session', userId: id, token: body.token, refreshToken };
}

export function parseHasExisting(text: string): boolean {
  const body = parseJson(text);
  if (!isObject(body) || typeof body.result !== 'boolean') {
    throw new UnusableAnswer('the body is not a JSON object with a boolean result');
  }
  return body.result;
}

export function parseKey(text: string): { readonly apiKey: string } {
  const body = parseJson(text);
  if (!isObject(body) || !nonEmptyString(body.token)) {
    throw new UnusableAnswer('the body is not a JSON object with a token');
  }
  if (!apiKeyShaped(body.token)) {
    throw new UnusableAnswer('the API key is not axm_ followed by a bearer token (token68: letters, digits, -._~+/ and a trailing =)');
  }
  return { apiKey: body.token };
}
