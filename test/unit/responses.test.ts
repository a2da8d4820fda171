import { describe, expect, it } from 'vitest';
import { GarbledBody, parseCreate, parseHasExisting, parseKey, parseLogin, UnusableAnswer } from '../../src/core/lar/responses.ts';

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
    [`{"id":7,"token":42}`, /without a token/],
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
      expect(error).toBeInstanceOf(GarbledBody);
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
    expect(() => parseHasExisting('{"result":"yes"}')).toThrow(UnusableAnswer);
    expect(() => parseKey('{"key":"axm_abc"}')).toThrow(UnusableAnswer);
    expect(() => parseKey('{"token":""}')).toThrow(UnusableAnswer);
  });
});

describe('a body behind a UTF-8 byte order mark', () => {
  it('parses as the same JSON', () => {
    expect(parseKey('\uFEFF{"token":"axm_abc"}')).toEqual({ apiKey: 'axm_abc' });
    expect(parseLogin('\uFEFFnull')).toEqual({ kind: 'wrong-credentials' });
  });
});

describe('credentials that cannot be sent in a header', () => {
  it.each([
    ['a newline', 'abc\ndef'],
    ['a carriage return', 'abc\rdef'],
    ['a space', 'abc def'],
    ['a character above U+00FF', 'abc\u0100def'],
    ['a Latin-1 letter', 'abc\u00e9def'],
    ['a NUL', 'abc\u0000def'],
  ])('refuse a login token or key with %s, as unusable (final), without quoting it', (_, token) => {
    const json = JSON.stringify(token);
    for (const parse of [() => parseLogin(`{"id":7,"token":${json}}`), () => parseKey(`{"token":${json}}`)]) {
      expect(parse).toThrow(UnusableAnswer);
      expect(parse).toThrow(/cannot be sent in an HTTP header/);
      try {
        parse();
      } catch (error) {
        expect((error as Error).message).not.toContain('abc');
      }
    }
  });
});
