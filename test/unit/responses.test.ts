import { describe, expect, it } from 'vitest';
import { parseCreate, parseHasExisting, parseKey, parseLogin, UnreadableBody } from '../../src/lar/responses.ts';

const TOKEN = 'eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.secret-part';

describe('parseCreate', () => {
  it('reads the user object', () => {
    expect(parseCreate('{"id":12345,"name":"Ada","email":"ada@example.com"}')).toEqual({
      kind: 'created',
      userId: '12345',
      email: 'ada@example.com',
    });
  });
  it('reads a status refusal (HTTP 200 with a status field)', () => {
    expect(parseCreate('{"status":"email_exists"}')).toEqual({ kind: 'refused', status: 'email_exists' });
  });
  it('refuses an object that is neither', () => {
    expect(() => parseCreate('{"ok":true}')).toThrow(/without the user fields/);
  });
});

describe('parseLogin', () => {
  it('reads null and "blocked" as answers', () => {
    expect(parseLogin('null')).toEqual({ kind: 'wrong-credentials' });
    expect(parseLogin('"blocked"')).toEqual({ kind: 'blocked' });
  });
  it('reads a session', () => {
    expect(parseLogin(`{"id":7,"token":"${TOKEN}","refresh_token":"def502"}`)).toEqual({
      kind: 'session',
      userId: '7',
      token: TOKEN,
      refreshToken: 'def502',
    });
  });
  it.each([
    [`{"id":7,"refresh_token":"def502"}`, /without a token/],
    [`{"id":7,"token":""}`, /without a token/],
    [`{"token":"${TOKEN}"}`, /without a token and user id/],
    ['[1]', /neither null/],
    ['true', /neither null/],
  ])('refuses the wrong shape %s', (text, message) => {
    expect(() => parseLogin(text)).toThrow(message);
  });
  it('describes a broken body without quoting it: it may hold a token', () => {
    const truncated = `{"id":7,"token":"${TOKEN}`;
    for (const [text, message] of [
      [truncated, 'the body is truncated or malformed JSON'],
      ['<html>502</html>', 'the body is an HTML page, not JSON'],
      ['', 'the body is empty'],
      ['Bad Gateway', 'the body is not JSON'],
    ] as const) {
      const error = (() => {
        try {
          parseLogin(text);
        } catch (e) {
          return e;
        }
      })();
      expect(error).toBeInstanceOf(UnreadableBody);
      expect((error as Error).message).toBe(message);
    }
  });
});

describe('parseHasExisting and parseKey', () => {
  it('read their documented shapes', () => {
    expect(parseHasExisting('{"result":true}')).toBe(true);
    expect(parseHasExisting('{"result":false}')).toBe(false);
    expect(parseKey('{"token":"axm_abc"}')).toEqual({ apiKey: 'axm_abc' });
  });
  it('refuse anything else', () => {
    expect(() => parseHasExisting('{"result":"yes"}')).toThrow(UnreadableBody);
    expect(() => parseKey('{"key":"axm_abc"}')).toThrow(UnreadableBody);
    expect(() => parseKey('{"token":""}')).toThrow(UnreadableBody);
  });
});
