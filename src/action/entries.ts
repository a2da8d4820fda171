// The bundle: every step of every action.yml runs one of these. ncc builds this file into dist/lib/index.js, once,
// and each entry file in dist/ (index.js, open.js, revoke.js) calls one export: one bundle, one start-up cost.
import { getState } from '@actions/core';
import { run as main } from './main.ts';
import { run as open } from './open.ts';
import { run as post } from './post.ts';
import { run as revoke } from './revoke.ts';
import { STATE } from './state.ts';

/** action.yml runs the same file for main and post: main leaves a flag in the step state, which only post gets back. */
export function mainOrPost(): Promise<void> {
  return getState(STATE.isPost) === 'true' ? post() : main();
}

export { open, revoke };
