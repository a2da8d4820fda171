// Once per test run (the root globalSetup in vitest.config.ts): one temporary folder for the whole run, removed at the
// end whether the tests passed or failed, so a run leaves the system's temporary folder as it found it. Pointing
// TMPDIR (TMP and TEMP on Windows) at it before any worker starts sends there everything that asks os.tmpdir(): the
// tests, the harness's step folders, and every process started with the inherited environment (npm, the runners).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const VARIABLES = ['TMPDIR', 'TMP', 'TEMP'] as const;

export default function useOneTempFolder(): () => void {
  const before = VARIABLES.map((name) => [name, process.env[name]] as const);
  const folder = mkdtempSync(join(tmpdir(), 'axiom-provision-test-'));
  for (const name of VARIABLES) process.env[name] = folder;
  const removeIt = (): void => {
    process.off('exit', removeIt);
    rmSync(folder, { recursive: true, force: true, maxRetries: 3 });
    for (const [name, value] of before) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
  // A run stopped by Ctrl-C or a crash may skip the teardown, but it still exits.
  process.on('exit', removeIt);
  return removeIt;
}
