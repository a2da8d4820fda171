// Inputs and state are read from the environment without loading @actions/core (runner-inputs.ts): they must read
// exactly what core.getInput (untrimmed) and core.getState read, for any name and value.
import * as core from '@actions/core';
import fc from 'fast-check';
import { afterEach, expect, it } from 'vitest';
import { getRawInput, getState } from '../../src/action/runner-inputs.ts';

const saved = { ...process.env };
afterEach(() => {
  process.env = { ...saved };
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
