// What dist/ is built from, as one digest that npm run bundle writes into dist/. The tests that run dist/ compare it
// with the source before they start: file times say nothing in a fresh clone, so the contents decide. Line endings
// are read as committed, so a checkout with CRLF gives the same digest.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const DIGEST_FILE = 'dist/bundle-inputs.sha256';
const INPUTS = ['package-lock.json', 'scripts/bundle.ts', 'scripts/licenses.ts', 'tsconfig.json', 'tsconfig.build.json'];

/** The digest of src/**\/*.ts and the build's own inputs, under the repository at `root`. */
export function bundleInputsDigest(root: string): string {
  const sources = readdirSync(join(root, 'src'), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .map((file) => `src/${file.replaceAll('\\', '/')}`);
  const hash = createHash('sha256');
  for (const file of [...sources.sort(), ...INPUTS]) {
    hash.update(`${file}\0${readFileSync(join(root, file), 'utf8').replaceAll('\r\n', '\n')}\0`);
  }
  return hash.digest('hex');
}

/** Whether dist/ under `root` was built from the source as it is now. */
export function bundleIsCurrent(root: string): boolean {
  const recorded = join(root, DIGEST_FILE);
  return existsSync(recorded) && readFileSync(recorded, 'utf8').trim() === bundleInputsDigest(root);
}
