// The integration and stress tests run the committed dist/, not src/. On a bundle older than the source they would
// judge code that is no longer there, so the run stops before any test, with one line that says what to do.
import { fileURLToPath } from 'node:url';
import { bundleIsCurrent } from '../../scripts/bundle-inputs.ts';

export default function refuseAStaleBundle(): void {
  if (bundleIsCurrent(fileURLToPath(new URL('../../', import.meta.url)))) return;
  process.stderr.write('dist/ is stale: run npm run bundle\n');
  process.exit(1);
}
