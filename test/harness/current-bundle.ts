// The integration and stress tests run the committed dist/, not src/. On a bundle older than the source they would
// judge code that is no longer there, so the run stops before any test, with one line that says what to do; in watch
// mode, before any rerun too, since an edit to src/ is what triggers one.
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { bundleIsCurrent } from '../../scripts/bundle-inputs.ts';

function refuseAStaleBundle(): void {
  if (bundleIsCurrent(fileURLToPath(new URL('../../', import.meta.url)))) return;
  process.stderr.write('dist/ is stale: run npm run bundle\n');
  process.exit(1);
}

export default function checkTheBundle(project: TestProject): void {
  refuseAStaleBundle();
  project.onTestsRerun(refuseAStaleBundle);
}
