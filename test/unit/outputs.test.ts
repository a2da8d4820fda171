// publishAccount (outputs.ts): the key and password masked before anything is set, the exports before the outputs
// (an export can fail, and a failed step must set no api-key), and api-key last.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { publishAccount } from '../../src/action/outputs.ts';

const saved = { ...process.env };
let written: string[];
let dir: string;
let files: { GITHUB_OUTPUT: string; GITHUB_ENV: string };
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'outputs-'));
  files = { GITHUB_OUTPUT: join(dir, 'output'), GITHUB_ENV: join(dir, 'env') };
  for (const file of Object.values(files)) writeFileSync(file, '');
  Object.assign(process.env, files);
  written = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => written.push(String(chunk)) > 0);
});
afterEach(() => {
  process.env = { ...saved };
  vi.restoreAllMocks();
  rmSync(dir, { recursive: true, force: true });
});

const account = {
  email: 'qa+gh-1-1-abc@yourco.com',
  userId: '42',
  apiKey: 'lar_key_0123456789abcdef',
  password: 'the-password-123456',
  baseUrl: 'https://lar.example',
  created: true,
};
const names = (file: string) => [...readFileSync(file, 'utf8').matchAll(/^([\w-]+)<<ghadelimiter/gm)].map((m) => m[1]);

it('masks the key and the password, then sets email, user-id, password and api-key, in that order', () => {
  publishAccount(account, false);
  expect(written).toEqual([`::add-mask::${account.apiKey}\n`, '::add-mask::the-password-123456\n']);
  expect(names(files.GITHUB_OUTPUT)).toEqual(['email', 'user-id', 'password', 'api-key']);
  expect(readFileSync(files.GITHUB_ENV, 'utf8')).toBe('');
});

it('with export-env, exports the key, the email, the user id and the origin, never the password, before any output', () => {
  publishAccount(account, true);
  expect(names(files.GITHUB_ENV)).toEqual(['AXIOM_API_KEY', 'AXIOM_EMAIL', 'AXIOM_USER_ID', 'AXIOM_BASE_URL']);
});

it('sets no output when an export fails', () => {
  process.env.GITHUB_ENV = join(tmpdir(), 'no-such-dir', 'env');
  expect(() => publishAccount(account, true)).toThrow(/Missing file at path/);
  expect(readFileSync(files.GITHUB_OUTPUT, 'utf8')).toBe('');
});
