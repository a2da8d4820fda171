// Inputs and state are read from the environment without loading @actions/core (runner-inputs.ts): they must read
// exactly what core.getInput (untrimmed) and core.getState read, for any name and value.
import { mkdtempSync, writeFileSync } from 'node:fs';
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

it('requireStateFile: refuses a GITHUB_STATE that names no file, before anything is sent', () => {
  const dir = mkdtempSync(join(tmpdir(), 'state-'));
  process.env.GITHUB_STATE = join(dir, 'missing');
  expect(() => requireStateFile()).toThrow(
    `Missing file at path: ${join(dir, 'missing')} (GITHUB_STATE, the step state). No request was sent.`,
  );
  writeFileSync(join(dir, 'state'), '');
  process.env.GITHUB_STATE = join(dir, 'state');
  expect(() => requireStateFile()).not.toThrow();
  delete process.env.GITHUB_STATE; // outside a runner, main saves no state at all
  expect(() => requireStateFile()).not.toThrow();
});
