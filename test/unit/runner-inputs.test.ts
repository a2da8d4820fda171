// Inputs and state are read from the environment without loading @actions/core (runner-inputs.ts): they must read
// exactly what core.getInput (untrimmed) and core.getState read, for any name and value.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as core from '@actions/core';
import fc from 'fast-check';
import { afterEach, expect, it, vi } from 'vitest';
import { getRawInput, getState, maskSecretInputs, requireStateFile } from '../../src/action/runner-inputs.ts';
import { commandsWritten } from '../../src/action/workflow-commands.ts';

const saved = { ...process.env };
afterEach(() => {
  process.env = { ...saved };
  vi.restoreAllMocks();
});

const name = fc.stringMatching(/^[A-Za-z][\w -]{0,15}$/);
const value = fc.oneof(fc.constant(''), fc.string(), fc.constantFrom(' padded ', 'line\n', '\ttab'));

it('getRawInput reads what core.getInput reads with trimWhitespace false', () => {
  fc.assert(
    fc.property(name, fc.option(value, { nil: undefined }), (input, given) => {
      const key = `INPUT_${input.replace(/ /g, '_').toUpperCase()}`;
      if (given === undefined) delete process.env[key];
      else process.env[key] = given;
      expect(getRawInput(input)).toBe(core.getInput(input, { trimWhitespace: false }));
    }),
  );
});

it('getState reads what core.getState reads', () => {
  fc.assert(
    fc.property(name, fc.option(value, { nil: undefined }), (state, given) => {
      if (given === undefined) delete process.env[`STATE_${state}`];
      else process.env[`STATE_${state}`] = given;
      expect(getState(state)).toBe(core.getState(state));
    }),
  );
});

it('masks each secret input that is given, and no blank one (the runner cannot mask it)', async () => {
  const written: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => written.push(String(chunk)) > 0);
  process.env.INPUT_PASSWORD = ' a given password\n';
  process.env['INPUT_HANDOFF-SECRET'] = '   ';
  maskSecretInputs('password', 'handoff-secret', 'not-given');
  await commandsWritten();
  expect(written).toEqual(['::add-mask:: a given password%0A\n']);
});

it('requireStateFile: refuses a state file that cannot take the state, before anything is sent', () => {
  const dir = mkdtempSync(join(tmpdir(), 'state-'));
  const refusal = (path: string | undefined) => {
    if (path === undefined) delete process.env.GITHUB_STATE;
    else process.env.GITHUB_STATE = path;
    try {
      requireStateFile();
      return undefined;
    } catch (error) {
      return (error as Error).message;
    }
  };
  const noRevoke = 'so the post step could not revoke the key. No request was sent.';
  expect(refusal(join(dir, 'missing'))).toBe(`Missing file at path: ${join(dir, 'missing')} (GITHUB_STATE, the step state), ${noRevoke}`);
  expect(refusal(dir)).toBe(`The step state file ${dir} (GITHUB_STATE) is not a regular file, ${noRevoke}`);
  expect(refusal(undefined)).toMatch(/^revoke-on-exit is true, but this runner gives the step no state file \(GITHUB_STATE\)/);
  expect(refusal('')).toMatch(/^revoke-on-exit is true/);
  writeFileSync(join(dir, 'state'), 'kept');
  expect(refusal(join(dir, 'state'))).toBeUndefined();
  expect(readFileSync(join(dir, 'state'), 'utf8')).toBe('kept');
  if (process.platform !== 'win32') {
    // Opening a FIFO for writing would block until a reader came: it must be refused without being opened.
    execFileSync('mkfifo', [join(dir, 'fifo')]);
    expect(refusal(join(dir, 'fifo'))).toBe(`The step state file ${join(dir, 'fifo')} (GITHUB_STATE) is not a regular file, ${noRevoke}`);
    chmodSync(join(dir, 'state'), 0o444);
    if (process.getuid?.() !== 0) expect(refusal(join(dir, 'state'))).toMatch(/cannot be written \(EACCES\)/);
  }
});
