// The leak check guards every integration test, so it is tested itself: each rule must catch its leak, a clean job
// must pass, and the runner emulation under it must mask what the runner masks, no more.
import { describe, expect, it } from 'vitest';
import { findLeaks } from '../harness/leaks.ts';
import type { StepRun } from '../harness/run-action.ts';
import { parseCommand, renderRunnerLog, SecretMasker } from '../harness/runner-log.ts';

const KEY = 'axm_Zq81mKd02LxPw7RtYv3s';
const PASSWORD = 'Gv3xQ9-kTz2Lw8Rm';
const JWT = 'eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxMDAwIn0.c2lnbmF0dXJlLXBhcnQ';

const step = (stdout: string[], extra: Partial<StepRun> = {}): StepRun => ({
  exitCode: 0,
  signal: null,
  stdout: stdout.join('\n'),
  stderr: '',
  durationMs: 0,
  spawnedAt: 0n,
  exitedAt: 0n,
  outputs: {},
  state: {},
  exportedEnv: {},
  summary: '',
  workDir: '',
  job: 'job-1',
  ...extra,
});
/** The line core.setSecret writes: command data escaped as @actions/core escapes it. */
const addMask = (value: string): string => `::add-mask::${escapeData(value)}`;
const escapeData = (value: string): string => value.replaceAll('%', '%25').replaceAll('\r', '%0D').replaceAll('\n', '%0A');
const leaksOf = (runs: StepRun | StepRun[], secrets: string[] = [KEY]): string => findLeaks(runs, secrets).join('\n');

describe('findLeaks passes', () => {
  it('a clean job: secrets masked before they show, resting in their own outputs, and the action speaking its own words', () => {
    const main = step(
      [
        addMask(PASSWORD),
        `Creating qa+gh-1@yourco.com with password ${PASSWORD}`,
        addMask(JWT),
        addMask(KEY),
        `::debug::key/create answered {"token":"${KEY}"}`,
        'Provisioned qa+gh-1@yourco.com (user 1000) with an API key ending in Yv3s',
        '::warning::wrong email or password for someone@yourco.com',
      ],
      {
        outputs: { 'api-key': KEY, password: PASSWORD, email: 'qa+gh-1@yourco.com', 'user-id': '1000', created: 'true' },
        exportedEnv: { AXIOM_API_KEY: KEY, AXIOM_EMAIL: 'qa+gh-1@yourco.com' },
        state: { revoke: JSON.stringify({ password: PASSWORD }) },
        summary: '| key | …Yv3s |\n',
      },
    );
    expect(findLeaks(main, [KEY, PASSWORD, JWT, 'stored-password-0123'])).toEqual([]);
  });
  it('a piece of 7 characters after the mask: below PIECE, it may be a coincidence', () => {
    expect(leaksOf(step([addMask(KEY), `the key ${KEY.slice(3, 10)}`]))).toBe('');
  });
  it('a blank secret, which the runner cannot mask', () => {
    expect(leaksOf(step(['ok', '    ']), ['   '])).toBe('');
  });
});

describe('findLeaks catches', () => {
  it('a secret printed before its mask, whatever the line', () => {
    expect(leaksOf(step([`::debug::got ${KEY}`, addMask(KEY)]))).toMatch(
      /API key of 24 chars.*unmasked.*step 1, stdout line 1 \(::debug::\)/,
    );
    expect(leaksOf(step([`got ${KEY}`, addMask(KEY)]))).toMatch(/unmasked.*stdout line 1$/);
  });
  it('the base64 (shifted too) and URI-escaped forms before the mask', () => {
    expect(leaksOf(step([Buffer.from(KEY).toString('base64')]))).toMatch(/unmasked/);
    expect(leaksOf(step([Buffer.from(`:${KEY}`).toString('base64')]))).toMatch(/unmasked/);
    expect(leaksOf(step([encodeURIComponent(`${KEY}/=`)]), [`${KEY}/=`])).toMatch(/unmasked/);
  });
  it('a hex form, which the runner never masks, even after the mask', () => {
    expect(leaksOf(step([addMask(KEY), Buffer.from(KEY).toString('hex').toUpperCase()]))).toMatch(/hex-encoded/);
  });
  it.each([
    ['an info line', (piece: string) => step([addMask(KEY), `status: ${piece}…`])],
    ['a debug line', (piece: string) => step([addMask(KEY), `::debug::status: ${piece}`])],
    ['an annotation', (piece: string) => step([addMask(KEY), `::error::create answered ${piece}`])],
    ['an annotation title', (piece: string) => step([addMask(KEY), `::error title=${piece}::create failed`])],
    ['stderr', (piece: string) => step([addMask(KEY)], { stderr: `Error: ${piece}\n    at x` })],
    ['the job summary', (piece: string) => step([addMask(KEY)], { summary: `| status | ${piece} |` })],
  ])('a piece of 8 characters left after masking, in %s', (_, run) => {
    expect(leaksOf(run(KEY.slice(5, 13)))).toMatch(/in part \(characters 6-13\) after masking/);
  });
  it('any form of a secret in an annotation, on stderr or in the job summary, even masked', () => {
    expect(leaksOf(step([addMask(KEY), `::error::${KEY}`]))).toMatch(/quoted, though masked: step 1, stdout line 2 \(::error::\)/);
    expect(leaksOf(step([addMask(KEY)], { stderr: `at ${KEY}` }))).toMatch(/quoted, though masked: step 1, stderr/);
    expect(leaksOf(step([addMask(KEY)], { summary: `key ${KEY}` }))).toMatch(/quoted, though masked: step 1, job summary/);
  });
  it("annotation data as the runner reads it: unescaped, so a secret's escaped form is the secret", () => {
    const secret = 'pct%secret-93xQ';
    expect(leaksOf(step([addMask(secret), `::error::${escapeData(secret)}`]), [secret])).toMatch(/quoted, though masked/);
  });
  it('a secret in an output or exported variable other than its own home', () => {
    const wrongHomes = step([addMask(KEY), addMask(PASSWORD), addMask(JWT)], {
      outputs: { 'api-key': PASSWORD, password: JWT, email: `${KEY}@x`, 'user-id': PASSWORD.slice(4, 12) },
      exportedEnv: { AXIOM_API_KEY: `Bearer ${KEY}`, AXIOM_EMAIL: KEY },
    });
    const leaks = findLeaks(wrongHomes, [KEY, PASSWORD, JWT]);
    expect(leaks).toEqual([
      expect.stringMatching(/^password .* unmasked .*: step 1, output api-key$/),
      expect.stringMatching(/^login token .* unmasked .*: step 1, output password$/),
      expect.stringMatching(/^API key .* unmasked .*: step 1, output email$/),
      expect.stringMatching(/^password .* in part \(characters 5-12\).*: step 1, output user-id$/),
      expect.stringMatching(/^API key .* unmasked .*: step 1, exported variable AXIOM_API_KEY$/),
      expect.stringMatching(/^API key .* unmasked .*: step 1, exported variable AXIOM_EMAIL$/),
    ]);
  });
});

describe('findLeaks masks as the runner does', () => {
  it("undoes @actions/core's %25 escape before registering a mask, in the runner's order", () => {
    // Escaped, "%0A" becomes "%250A": unescaping %25 first would turn it into a line break and mask the wrong value.
    const secret = 'p!ct%0Asecret-93xQ';
    expect(leaksOf(step([addMask(secret), `got ${secret}`]), [secret])).toBe('');
    expect(renderRunnerLog([step([addMask(secret), `got ${secret}`])])).toEqual(['got ***']);
    // Written unescaped, the same text is a two-line value to the runner, which then masks each line on its own.
    expect(renderRunnerLog([step([`::add-mask::${secret}`, 'got p!ct', 'then secret-93xQ'])])).toEqual(['got ***', 'then ***']);
  });
  it('masks a multi-line secret line by line, each line trimmed, %0D and %0A undone', () => {
    const secret = '  first-line-of-secret \r\nsecond-line-of-secret';
    expect(leaksOf(step([addMask(secret), 'first-line-of-secret', 'second-line-of-secret']), [secret])).toBe('');
    expect(leaksOf(step(['second-line-of-secret', addMask(secret)]), [secret])).toMatch(/in part/);
  });
  it('registers nothing while commands are stopped, and masks again once they resume', () => {
    const stopped = step(['::stop-commands::pause-77', addMask(KEY), '::pause-77::', `got ${KEY}`]);
    expect(leaksOf(stopped)).toMatch(/unmasked.*stdout line 2/);
    expect(leaksOf(stopped)).toMatch(/unmasked.*stdout line 4/);
    expect(leaksOf(step(['::stop-commands::pause-77', '::pause-77::', addMask(KEY), `got ${KEY}`]))).toBe('');
  });
  it('splits lines where the runner does: \\r alone ends a line too', () => {
    expect(leaksOf(step([`got it\r${addMask(KEY)}`, KEY]))).toBe('');
  });
  it('carries masks from the main step into the post step', () => {
    expect(leaksOf([step([addMask(KEY)]), step([`revoked ${KEY}`])])).toBe('');
    // Another job starts with no masks: a job that prints the key must mask it itself.
    expect(leaksOf([step([addMask(KEY)]), step([`opened ${KEY}`], { job: 'job-2' })])).toMatch(/unmasked.*step 2, stdout line 1/);
  });
});

describe('findLeaks on secrets of any length the runner masks', () => {
  it('judges a secret shorter than PIECE whole, where it stands alone, and passes it inside a longer word', () => {
    const short = 'pw-12';
    expect(leaksOf(step([`login with "${short}"`, addMask(short)]), [short])).toMatch(/password of 5 chars unmasked/);
    expect(leaksOf(step(['login with pw-123 then xpw-12']), [short])).toBe('');
    expect(leaksOf(step([addMask(short), `login with "${short}"`]), [short])).toBe('');
    expect(leaksOf(step(['ok'], { outputs: { email: short } }), [short])).toMatch(/output email/);
  });
  it('passes a piece that the shipped bundle itself contains, and catches one it does not', () => {
    const secret = 'stored-password-0123';
    expect(leaksOf(step([addMask(secret), 'wrong email or password for qa@yourco.com']), [secret])).toBe('');
    expect(leaksOf(step([addMask(secret), 'create answered {"password":"stored-passw']), [secret])).toMatch(/in part \(characters 1-8\)/);
  });
});

describe('runner emulation', () => {
  it('parses commands as the runner does: leading blanks, any case, properties and data unescaped', () => {
    expect(parseCommand('  ::ERROR title=a%3Ab%2Cc,file=x.ts::line%0Anext%25')).toEqual({
      name: 'error',
      properties: { title: 'a:b,c', file: 'x.ts' },
      data: 'line\nnext%',
    });
    expect(parseCommand('::made-up::x')).toBeUndefined();
    expect(parseCommand('text ::error::x')).toBeUndefined();
  });
  it('ignores a blank mask, and masks the forms the runner registers', () => {
    const masker = new SecretMasker();
    masker.addMask(' \n ');
    expect(masker.mask('a \n b')).toBe('a \n b');
    const value = `it's <"${PASSWORD}">`;
    masker.addMask(value);
    for (const form of [
      Buffer.from(value).toString('base64'),
      Buffer.from(`x${value}`).toString('base64').slice(4),
      `it's <\\"${PASSWORD}\\">`,
      `it''s <"${PASSWORD}">`,
      `it%27s%20%3C%22${PASSWORD}%22%3E`,
      `it&apos;s &lt;&quot;${PASSWORD}&quot;&gt;`,
    ])
      expect(masker.mask(`[${form}]`)).toBe('[***]');
  });
  it('masks overlapping and touching matches as one ***', () => {
    const masker = new SecretMasker();
    masker.addMask('abcdef');
    masker.addMask('defghi');
    masker.addMask('jklmno');
    expect(masker.mask('1 abcdefghijklmno 2 abcdef')).toBe('1 *** 2 ***');
  });
  it('renders the log: commands hidden, annotations prefixed, debug lines only in debug mode', () => {
    const run = step([addMask(KEY), `key ${KEY}`, `::error::bad ${KEY}`, '::debug::detail']);
    expect(renderRunnerLog([run])).toEqual(['key ***', 'Error: bad ***']);
    expect(renderRunnerLog([run], { debug: true })).toEqual(['key ***', 'Error: bad ***', '##[debug]detail']);
  });
});
