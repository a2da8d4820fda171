import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dotenvValue } from '../../src/core/account-file.ts';
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

describe('the shape of what the server sends', () => {
  it.each([
    ['a newline', 'abc\ndef'],
    ['a carriage return', 'abc\rdef'],
    ['a space', 'abc def'],
    ['a character above U+00FF', 'abc\u0100def'],
    ['a Latin-1 letter', 'abc\u00e9def'],
    ['a NUL', 'abc\u0000def'],
    ['a shell command in quotes', "abc'$(id)'def"],
    ['a backtick', 'abc`id`def'],
    ['a dollar sign', 'abc$HOMEdef'],
    ['an = before the end', 'abc=def'],
    ['a double quote', 'abc"def'],
  ])('refuses a login token or key with %s, as unusable (final), without quoting it', (_, token) => {
    for (const parse of [
      () => parseLogin(`{"id":7,"token":${JSON.stringify(token)}}`),
      () => parseKey(`{"token":${JSON.stringify(`axm_${token}`)}}`),
    ]) {
      expect(parse).toThrow(UnusableAnswer);
      expect(parse).toThrow(/not (?:axm_ followed by )?a bearer token \(token68/);
      try {
        parse();
      } catch (error) {
        expect((error as Error).message).not.toContain('abc');
      }
    }
  });

  it('takes every token68 character, and = at the end', () => {
    const token = 'aZ09-._~+/==';
    expect(parseKey(`{"token":"axm_${token}"}`)).toEqual({ apiKey: `axm_${token}` });
    expect(parseLogin(`{"id":7,"token":"${token}"}`)).toMatchObject({ token });
  });

  it('refuses a key without the axm_ prefix, with nothing after it, or without end', () => {
    for (const key of ['abc', 'AXM_abc', 'axm_', `axm_${'a'.repeat(64 * 1024)}`])
      expect(() => parseKey(JSON.stringify({ token: key }))).toThrow(UnusableAnswer);
  });

  it('refuses a user id that is not a whole number', () => {
    for (const id of ['-7', '"7a"', '"-7"', '1.5', '"1 "'])
      expect(() => parseCreate(`{"id":${id},"email":"a@b.co"}`)).toThrow(UnusableAnswer);
  });

  it('refuses a refresh token with a line break, and takes none at all', () => {
    expect(() => parseLogin('{"id":7,"token":"jwt","refresh_token":"a\\nb"}')).toThrow(UnusableAnswer);
    expect(parseLogin('{"id":7,"token":"jwt"}')).toMatchObject({ refreshToken: '' });
  });

  it('lets through only keys that every output format holds exactly', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'aZ9-._~+/=\'"$`\\ \n#\u00e9'), maxLength: 40 }), (tail) => {
        let apiKey: string;
        try {
          ({ apiKey } = parseKey(JSON.stringify({ token: `axm_${tail}` })));
        } catch {
          return;
        }
        expect(dotenvValue(apiKey)).toBeDefined();
        expect(apiKey).not.toContain("'");
        expect(apiKey).toMatch(/^axm_[A-Za-z0-9\-._~+/]+=*$/);
      }),
    );
  });
});
