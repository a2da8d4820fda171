import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type DoorTraits, type Generators, InputError, readInputs } from '../../src/core/inputs.ts';

const generators: Generators = {
  run: { ci: 'github', runId: '77', runAttempt: '2' },
  randomSuffix: () => 'r4nd0m',
  password: () => 'generated-password-0123456789abcd',
  nowMs: () => 0,
};
const read = (inputs: Record<string, string>) => readInputs((name) => inputs[name] ?? '', generators);
const problemsOf = async (inputs: Record<string, string>): Promise<string[]> => {
  try {
    await read(inputs);
  } catch (error) {
    if (error instanceof InputError) return [...error.problems];
    throw error;
  }
  throw new Error('expected an InputError');
};

describe('readInputs', () => {
  it('resolves defaults, the tagged address and a generated password into a frozen object', async () => {
    const inputs = await read({ email: ' qa@yourco.com ' });
    expect(inputs).toEqual({
      mode: 'create',
      email: 'qa+gh-77-2-r4nd0m@yourco.com',
      password: 'generated-password-0123456789abcd',
      profile: { name: 'CI Test User', company: '', country: '', role: '', campaign: 'axiom-provision', language: 'en-GB' },
      addressUniqueToRun: true,
      baseUrl: 'https://lar.axiom.ai',
      replaceKey: false,
      timeoutMs: 60_000,
      revokeOnExit: true,
      exportEnv: false,
    });
    expect(Object.isFrozen(inputs)).toBe(true);
    expect(Object.isFrozen(inputs.profile)).toBe(true);
  });

  it('trims a trailing newline, as a YAML block scalar (|) leaves one', async () => {
    expect((await read({ email: 'qa@yourco.com\n', mode: 'create\n' })).mode).toBe('create');
  });

  it('keeps a given password exactly, spaces included', async () => {
    expect((await read({ email: 'qa@yourco.com', password: '  pass word  ' })).password).toBe('  pass word  ');
  });

  it('uses the email exactly in existing mode', async () => {
    const inputs = await read({ email: 'fixed+keep@yourco.com', mode: 'existing', password: 'p', 'replace-key': 'TRUE' });
    expect(inputs.email).toBe('fixed+keep@yourco.com');
    expect(inputs.replaceKey).toBe(true);
  });

  it('accepts http only for loopback hosts, and keeps only the origin', async () => {
    for (const url of ['http://localhost:8080', 'http://127.0.0.1:9', 'http://[::1]:3000', 'https://lar.example.com/']) {
      expect((await read({ email: 'qa@yourco.com', 'base-url': url })).baseUrl).toBe(new URL(url).origin);
    }
  });

  it('reports every bad input at once, each by name, and echoes no password', async () => {
    const problems = await problemsOf({
      email: 'not-an-email',
      mode: 'delete',
      'timeout-seconds': 'soon',
      'base-url': 'http://lar.axiom.ai',
      'replace-key': 'yes',
      language: 'english please',
      password: 'hunter2\nsecret',
    });
    expect(problems.map((p) => /^'([a-z-]+)'/.exec(p)?.[1]).sort()).toEqual(
      ['base-url', 'email', 'language', 'mode', 'password', 'replace-key', 'timeout-seconds'].sort(),
    );
    expect(problems.join('\n')).not.toContain('hunter2');
  });

  it.each([
    [{ email: '' }, /'email' is required/],
    [{ email: 'qa@yourco.com\n::set-output name=x::y' }, /'email' contains a control character/],
    [{ email: 'qa@yourco.com', 'base-url': 'ftp://lar.axiom.ai' }, /'base-url' "ftp:\/\/lar.axiom.ai" uses another scheme/],
    [{ email: 'qa@yourco.com', 'base-url': 'http://10.0.0.5' }, /'base-url' .*not loopback/],
    [{ email: 'qa@yourco.com', 'base-url': 'https://lar.axiom.ai/api' }, /'base-url' .*origin only/],
    [{ email: 'qa@yourco.com', 'base-url': 'lar.axiom.ai' }, /'base-url' .*not a URL/],
    [{ email: 'qa@yourco.com', 'base-url': `https://${'a'.repeat(64)}.example` }, /'base-url' .*longer than DNS allows/],
    [{ email: 'qa@yourco.com', 'base-url': `https://${'abcdefgh.'.repeat(30)}example` }, /'base-url' .*longer than DNS allows/],
    [{ email: 'qa@yourco.com', 'email-tag': 'x'.repeat(62) }, /'email-tag' .*does not fit.*64/],
    [{ email: `${'q'.repeat(50)}@yourco.com` }, /'email' .*no room for the generated tag/],
    [{ email: 'qa@yourco.com', 'email-tag': 'a+b' }, /'email-tag' .*letters, digits/],
    [{ email: 'qa@yourco.com', mode: 'existing', 'revoke-on-exit': 'false' }, /'password' is required with mode existing/],
    [
      { email: 'qa@yourco.com', mode: 'existing', password: 'p', 'email-tag': 't', 'revoke-on-exit': 'false' },
      /'email-tag' is for mode create only/,
    ],
    [
      { email: 'qa@yourco.com', mode: 'existing', password: 'p' },
      /'revoke-on-exit' is true with mode existing, but 'replace-key' is false.*Set replace-key: true.*or revoke-on-exit: false/,
    ],
    [{ email: 'qa@yourco.com', name: 'visit example.com' }, /'name' .*looks like a URL or email/],
    [{ email: 'qa@yourco.com', name: 'Ada@Lovelace.Org' }, /'name' .*looks like a URL or email/],
    [{ email: 'qa@yourco.com', 'timeout-seconds': '0' }, /'timeout-seconds' must be a number of seconds from 5 to 3600/],
    [{ email: 'qa@yourco.com', 'timeout-seconds': '4.9' }, /'timeout-seconds' must be a number of seconds from 5/],
    [{ email: 'qa@yourco.com', 'timeout-seconds': '-5' }, /'timeout-seconds' must be a number of seconds/],
    [{ email: 'qa@yourco.com', 'timeout-seconds': '1e3' }, /'timeout-seconds' must be a number of seconds/],
    [{ email: 'qa@yourco.com', password: '   ' }, /'password' is only spaces/],
    [{ email: 'qa@yourco.com', mode: 'existing', password: ' \t ', 'replace-key': 'true' }, /'password' contains a control character/],
    [{ email: 'qa@yourco.com', 'export-env': 'maybe' }, /'export-env' must be true or false/],
    [{ email: 'qa@yourco.com', 'timeout-seconds': '99999999' }, /'timeout-seconds' must be a number of seconds from 5 to 3600/],
    [{ email: 'qa@yourco.com', mode: 'cre\rate' }, /'mode' contains a control character/],
    [{ email: 'qa@yourco.com', 'base-url': 'https://lar.axiom.ai\n::warning::x' }, /'base-url' contains a control character/],
    [{ email: 'qa@yourco.com', 'replace-key': 'tr\nue' }, /'replace-key' contains a control character/],
  ])('refuses %j', async (inputs, problem) => {
    const problems = await problemsOf(inputs);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(problem);
  });

  it('never echoes credentials embedded in base-url', async () => {
    const [problem] = await problemsOf({ email: 'qa@yourco.com', 'base-url': 'https://admin:s3cr3t@lar.axiom.ai' });
    expect(problem).toMatch(/'base-url' must not contain credentials/);
    expect(problem).not.toContain('s3cr3t');
  });

  it.each(['https://admin:s3cr3t@lar.axiom.ai', 'https://s3cr3t@lar.axiom.ai', 'ht tp://admin:s3cr3t@lar axiom ai', 's3cr3t@lar.axiom.ai'])(
    'never echoes a base-url with an @, parsed or not: %s',
    async (url) => {
      const [problem] = await problemsOf({ email: 'qa@yourco.com', 'base-url': url });
      expect(problem).toMatch(/'base-url' must not contain credentials/);
      expect(problem).not.toContain('s3cr3t');
    },
  );

  it('echoes a bad value whole or not at all, never a piece', async () => {
    const long = `${'x'.repeat(30)}!tail-that-must-not-show`;
    for (const name of ['mode', 'language', 'timeout-seconds', 'export-env', 'email', 'email-tag', 'name', 'base-url']) {
      const inputs = { email: 'qa@yourco.com', [name]: name === 'name' ? `${long}.example.com` : long };
      const [problem = ''] = await problemsOf(inputs);
      expect(problem, name).toMatch(new RegExp(`'${name}'`));
      // Whole, where the runner's mask of a misplaced secret matches it, or not at all: never a piece.
      const shown = problem.includes(inputs[name] ?? '');
      if (!shown) for (let i = 0; i + 8 <= long.length; i++) expect(problem, name).not.toContain(long.slice(i, i + 8));
    }
  });

  it('marks the address unique to the run only when it generates the tag, whatever the password', async () => {
    expect((await read({ email: 'qa@yourco.com' })).addressUniqueToRun).toBe(true);
    expect((await read({ email: 'qa@yourco.com', password: 'own-0123456789' })).addressUniqueToRun).toBe(true);
    expect((await read({ email: 'qa@yourco.com', 'email-tag': 'nightly' })).addressUniqueToRun).toBe(false);
    expect((await read({ email: 'qa@yourco.com', 'email-tag': 'nightly', password: 'own-0123456789' })).addressUniqueToRun).toBe(false);
  });

  it('says in the error that nothing was sent', async () => {
    await expect(read({ email: '' })).rejects.toThrow(/No request was sent/);
  });
});

describe("readInputs weighs the door's traits on the value it will use", () => {
  const perWorker = { name: 'the fixture', revokesAtEnd: true, accountPerWorker: { onePerRun: 'Use a global setup' } };
  const existing = { email: 'fixed@yourco.com', password: 'stored-password-0123', 'replace-key': 'true' };
  const problemsFor = async (inputs: Record<string, string>, door: DoorTraits): Promise<string[]> => {
    try {
      await readInputs((name) => inputs[name] ?? '', generators, door);
    } catch (error) {
      if (error instanceof InputError) return [...error.problems];
      throw error;
    }
    return [];
  };
  // Every spelling the rules take as mode existing: 'existing' with any whitespace that trim() removes around it.
  const spacing = fc.string({ unit: fc.constantFrom(' ', '\t', '\n', '\r', '\u00a0', '\u2028', '\ufeff', '\u3000') });
  const existingSpelled = fc.tuple(spacing, spacing).map(([before, after]) => `${before}existing${after}`);

  it('refuses every spelling of mode existing in a door that makes an account per worker', async () => {
    await fc.assert(
      fc.asyncProperty(existingSpelled, async (mode) => {
        expect((await read({ ...existing, mode, 'revoke-on-exit': 'false' })).mode).toBe('existing');
        const problems = await problemsFor({ ...existing, mode }, perWorker);
        expect(problems).toEqual([expect.stringMatching(/^'mode' existing does not fit the fixture: .* Use a global setup$/)]);
      }),
    );
  });

  it('refuses every spelling of mode existing without replace-key in a door that revokes at the end', async () => {
    const revoking = { name: 'the global setup', revokesAtEnd: true };
    await fc.assert(
      fc.asyncProperty(existingSpelled, async (mode) => {
        const problems = await problemsFor({ ...existing, mode, 'replace-key': 'false' }, revoking);
        expect(problems).toEqual([
          expect.stringMatching(/^'mode' existing needs 'replace-key' set to true with the global setup: it revokes the key/),
        ]);
        expect(problems.join()).not.toContain('revoke-on-exit');
        expect(await problemsFor({ ...existing, mode }, revoking)).toEqual([]);
      }),
    );
  });

  it("reads no 'revoke-on-exit' from a door's getter: the door says whether it revokes", async () => {
    const inputs = await readInputs((name) => ({ ...existing, mode: 'existing', 'revoke-on-exit': 'false' })[name] ?? '', generators, {
      name: 'provision()',
      revokesAtEnd: false,
    });
    expect(inputs.revokeOnExit).toBe(false);
    const revoking = await problemsFor(
      { ...existing, mode: 'existing', 'replace-key': 'false', 'revoke-on-exit': 'false' },
      {
        name: 'the global setup',
        revokesAtEnd: true,
      },
    );
    expect(revoking).toHaveLength(1);
  });
});
