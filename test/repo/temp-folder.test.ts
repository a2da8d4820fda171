// A test run leaves the system's temporary folder as it found it, pass or fail: the tests write under the run's own
// folder (test/harness/temp-folder.ts), and the teardown removes it with all it holds.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import useOneTempFolder from '../harness/temp-folder.ts';

describe('the temporary folder of a test run', () => {
  it("is the run's own, so what a test leaves there goes with it", () => {
    expect(basename(tmpdir())).toMatch(/^axiom-provision-test-/);
  });

  it('is removed at teardown with all it holds, and the variables that named it are restored', () => {
    const outer = tmpdir();
    const teardown = useOneTempFolder();
    const folder = tmpdir();
    try {
      expect(dirname(folder)).toBe(outer);
      mkdirSync(join(folder, 'a-step'));
      writeFileSync(join(folder, 'a-step', 'output'), 'left behind by a failed test');
    } finally {
      teardown();
    }
    expect(existsSync(folder)).toBe(false);
    expect(tmpdir()).toBe(outer);
  });
});
