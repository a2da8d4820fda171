// The shipped bundle: one file every entry imports, the password-strength dictionaries in chunks beside it (loaded
// only when a handoff secret is checked), one undici, and the licence of every package in any of them; and the
// digest of its inputs, which keeps the tests that run dist/ from running a stale one.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bundleInputsDigest, bundleIsCurrent, DIGEST_FILE } from '../../scripts/bundle-inputs.ts';

const lib = new URL('../../dist/lib/', import.meta.url);
const read = (file: string) => readFileSync(new URL(file, lib), 'utf8');
const chunks = readdirSync(lib).filter((file) => file.endsWith('.js') && file !== 'index.js');

describe('dist/lib', () => {
  it('keeps the dictionaries out of index.js, so a step with no handoff secret never loads them', () => {
    expect(read('index.js')).not.toMatch(/qwertyuiop/);
    expect(chunks.some((chunk) => /qwertyuiop/.test(read(chunk)))).toBe(true);
  });

  it("holds one undici: the @actions/http-client that @actions/core brings resolves the action's own", () => {
    const fromHttpClient = createRequire(new URL('../../node_modules/@actions/http-client/package.json', import.meta.url));
    expect(fromHttpClient.resolve('undici')).toBe(createRequire(import.meta.url).resolve('undici'));
  });

  it('lists the licence of every package, those of the chunks included', () => {
    const licensed = read('licenses.txt').match(/^(?:@[\w-]+\/)?[\w.-]+(?=\n(?:MIT|ISC|BSD|Apache)[\w.-]*\n)/gm);
    expect(licensed).toEqual([
      '@actions/core',
      '@actions/exec',
      '@actions/http-client',
      '@actions/io',
      '@zxcvbn-ts/core',
      '@zxcvbn-ts/dictionary-compression',
      '@zxcvbn-ts/language-common',
      '@zxcvbn-ts/language-en',
      'fastest-levenshtein',
      'tunnel',
      'undici',
    ]);
  });
});

describe('the record of what dist/ was built from', () => {
  const INPUTS = [
    'src/index.ts',
    'src/core/run.ts',
    'package-lock.json',
    'scripts/bundle.ts',
    'scripts/licenses.ts',
    'tsconfig.json',
    'tsconfig.build.json',
  ];
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'bundle-inputs-'));
    for (const file of INPUTS) {
      mkdirSync(dirname(join(root, file)), { recursive: true });
      writeFileSync(join(root, file), `// ${file}\nexport {};\n`);
    }
    mkdirSync(join(root, 'dist'));
    writeFileSync(join(root, DIGEST_FILE), `${bundleInputsDigest(root)}\n`);
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('goes stale on any change to any input, and on a new source file', () => {
    fc.assert(
      fc.property(fc.constantFrom(...INPUTS, 'src/core/new.ts'), fc.string({ minLength: 1 }), (file, text) => {
        const path = join(root, file);
        const before = existsSync(path) ? readFileSync(path, 'utf8') : undefined;
        writeFileSync(path, `${before ?? ''}${text}`);
        try {
          expect(bundleIsCurrent(root)).toBe(false);
        } finally {
          if (before === undefined) rmSync(path);
          else writeFileSync(path, before);
        }
      }),
    );
    expect(bundleIsCurrent(root)).toBe(true);
  });

  it('stays current when the source is checked out with CRLF line endings', () => {
    for (const file of INPUTS) writeFileSync(join(root, file), readFileSync(join(root, file), 'utf8').replaceAll('\n', '\r\n'));
    expect(bundleIsCurrent(root)).toBe(true);
  });

  it('is stale when dist/ holds no record', () => {
    rmSync(join(root, DIGEST_FILE));
    expect(bundleIsCurrent(root)).toBe(false);
  });
});
