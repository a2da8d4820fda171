// Entry for both steps of action.yml: one bundle, one start-up cost. main leaves a flag in the step state,
// which the runner hands back only to the post step.
import { getState } from '@actions/core';
import { run as main } from './action/main.ts';
import { run as post } from './action/post.ts';
import { STATE } from './action/state.ts';

void (getState(STATE.isPost) === 'true' ? post() : main());
