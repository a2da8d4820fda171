// npm run release:notes -- v1.2.0
// Prints the CHANGELOG.md section for the version: the GitHub release's notes. Fails, saying what to fix, when the
// tag is not a version, when package.json has another version, or when CHANGELOG.md has no section for it. The
// release workflow runs it before anything gets write access, so a bad tag stops the release early.

import { readFileSync } from 'node:fs';
import { parseCommandLine } from '../command-line.ts';
import { parseVersion, releaseNotes } from './changelog.ts';

const root = new URL('../../', import.meta.url);

function fail(message: string): never {
  // On a runner, an ::error:: line becomes an annotation on the run.
  process.stderr.write(`${process.env.GITHUB_ACTIONS === 'true' ? '::error::' : ''}${message}\n`);
  process.exit(1);
}

const USAGE = `usage: npm run release:notes -- <version or tag, e.g. v1.2.0>

Prints the CHANGELOG.md section for the version: the GitHub release's notes.`;
const { positionals, refuse } = parseCommandLine(USAGE, { allowPositionals: true });
if (positionals.length !== 1) refuse(`takes one version or tag, not ${positionals.length} arguments`);

try {
  const version = parseVersion(positionals[0] ?? '');
  const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as { version?: string };
  if (pkg.version !== version.text)
    fail(`The tag says ${version.text} but package.json says ${pkg.version}. Release with \`npm run release -- ${version.text}\`.`);
  process.stdout.write(`${releaseNotes(readFileSync(new URL('CHANGELOG.md', root), 'utf8'), version)}\n`);
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
}
