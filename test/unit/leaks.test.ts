// The leak check guards every integration test, so it is tested itself: each rule must catch its leak.
import { describe, expect, it } from 'vitest';
import { findLeaks } from '../harness/leaks.ts';
import type { StepRun } from '../harness/run-action.ts';

const SECRET = 'axm_Zq81mKd02LxPw7RtYv3s';
const step = (stdout: string[], extra: Partial<StepRun> = {}): StepRun => ({
  exitCode: 0,
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
  ...extra,
});

describe('findLeaks', () => {
  it('passes a secret printed only after its mask', () => {
    expect(findLeaks(step([`::add-mask::${SECRET}`, `key is ${SECRET}`, 'key ends …Yv3s']), [SECRET])).toEqual([]);
  });
  it('catches a secret printed before its mask', () => {
    expect(findLeaks(step([`::debug::got ${SECRET}`, `::add-mask::${SECRET}`]), [SECRET])[0]).toMatch(/before its ::add-mask::/);
  });
  it('catches the base64 and URI-escaped forms before the mask', () => {
    expect(findLeaks(step([Buffer.from(SECRET).toString('base64')]), [SECRET])).not.toEqual([]);
    expect(findLeaks(step([encodeURIComponent(`${SECRET}/=`)]), [`${SECRET}/=`])).not.toEqual([]);
  });
  it('catches a hex form or a long fragment even after the mask', () => {
    const hex = Buffer.from(SECRET).toString('hex');
    expect(findLeaks(step([`::add-mask::${SECRET}`, hex]), [SECRET]).join()).toMatch(/hex-encoded/);
    expect(findLeaks(step([`::add-mask::${SECRET}`, SECRET.slice(2, 16)]), [SECRET]).join()).toMatch(/fragment/);
  });
  it('catches a secret in an annotation, the summary or stderr at any time', () => {
    expect(findLeaks(step([`::add-mask::${SECRET}`, `::error::${SECRET}`]), [SECRET]).join()).toMatch(/annotation/);
    expect(findLeaks(step([], { summary: `key ${SECRET}` }), [SECRET]).join()).toMatch(/summary/);
    expect(findLeaks(step([], { stderr: `at ${SECRET}` }), [SECRET]).join()).toMatch(/stderr/);
  });
  it('carries masks from the main step into the post step', () => {
    expect(findLeaks([step([`::add-mask::${SECRET}`]), step([`revoked ${SECRET}`])], [SECRET])).toEqual([]);
  });
});
