// npm run release -- 1.2.0
// Cuts a release locally: checks the tree, bumps the version, makes sure CHANGELOG.md has the version's section
// (renaming "## Unreleased" when it has to), rebuilds dist/, commits and tags. It pushes nothing: it prints the push
// command, and the pushed tag starts the release workflow (.github/workflows/release.yml).

import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseCommandLine } from '../command-line.ts';
import {
  bumpPackageJson,
  bumpPackageLock,
  compareVersions,
  isoDate,
  majorTag,
  parseVersion,
  prepareChangelog,
  type Version,
} from './changelog.ts';

const RELEASE_BRANCH = 'main';
const root = fileURLToPath(new URL('../../', import.meta.url));
const file = (name: string) => new URL(`../../${name}`, import.meta.url);

function fail(message: string): never {
  process.stderr.write(`release: ${message}\n`);
  process.exit(1);
}

function git(...args: string[]): string {
  return execFileSync('git', args, { cwd: root, encoding: 'utf8' }).trim();
}

function gitOk(...args: string[]): boolean {
  return spawnSync('git', args, { cwd: root, stdio: 'ignore' }).status === 0;
}

const USAGE = `usage: npm run release -- <version>    e.g. npm run release -- 1.2.0

Checks for a clean tree on ${RELEASE_BRANCH}, bumps package.json, makes sure CHANGELOG.md has a section for the
version (renaming "## Unreleased" if needed), runs \`npm run bundle\`, then commits and tags vX.Y.Z.
Nothing is pushed: the command to push is printed at the end.`;
const { positionals, refuse } = parseCommandLine(USAGE, { allowPositionals: true });
if (positionals.length !== 1) refuse(`takes one version, not ${positionals.length} arguments`);

let version: Version;
try {
  version = parseVersion(positionals[0] ?? '');
} catch (error) {
  fail((error as Error).message);
}
const tag = `v${version.text}`;

// 1. Where we are: the release branch, nothing uncommitted, and a tag name that is still free.
const branch = git('rev-parse', '--abbrev-ref', 'HEAD');
if (branch !== RELEASE_BRANCH) fail(`releases are cut from ${RELEASE_BRANCH}, but HEAD is ${branch}.`);
const dirty = git('status', '--porcelain');
if (dirty) fail(`the working tree has uncommitted changes; commit or stash them first:\n${dirty}`);
if (gitOk('rev-parse', '-q', '--verify', `refs/tags/${tag}`)) fail(`the tag ${tag} already exists.`);

// 2. The version only goes forward.
const pkgText = readFileSync(file('package.json'), 'utf8');
const current = parseVersion((JSON.parse(pkgText) as { version: string }).version);
const released = git('tag', '--list', `v${current.text}`) !== '';
const order = compareVersions(version, current);
if (order < 0 || (order === 0 && released))
  fail(`${version.text} is not after the current version ${current.text}${released ? ` (already tagged v${current.text})` : ''}.`);

// 3. The changelog has the section that becomes the release notes.
const prepared = prepareChangelog(readFileSync(file('CHANGELOG.md'), 'utf8'), version, isoDate(new Date()));
if (prepared.kind === 'missing')
  fail(`CHANGELOG.md is not ready: ${prepared.reason}. Write the changes under "## Unreleased" or "## ${tag}" and run again.`);

// 4. Write the new version. If anything below fails, `git checkout -- .` undoes it.
writeFileSync(file('package.json'), bumpPackageJson(pkgText, version));
writeFileSync(file('package-lock.json'), bumpPackageLock(readFileSync(file('package-lock.json'), 'utf8'), version));
if (prepared.kind === 'promoted') writeFileSync(file('CHANGELOG.md'), prepared.changelog);
console.log(
  `release: package.json is ${version.text}; CHANGELOG.md ${prepared.kind === 'promoted' ? `moved "Unreleased" to ${tag}` : `has ${tag}`}.`,
);

// 5. Runners execute dist/, so the release commit carries the bundle built from it.
console.log('release: npm run bundle');
const bundle = spawnSync('npm', ['run', 'bundle'], { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
if (bundle.status !== 0) fail('`npm run bundle` failed; nothing was committed. `git checkout -- .` undoes the version bump.');

// 6. Commit and tag; the tag is annotated so `git describe` and the release workflow see who cut it and when.
git('add', '--', 'package.json', 'package-lock.json', 'CHANGELOG.md', 'dist');
git('commit', '--quiet', '-m', `Release ${tag}`);
git('tag', '-a', tag, '-m', tag);

const major = majorTag(version);
console.log(
  [
    '',
    `release: committed "Release ${tag}" and tagged ${tag}. Check it (git show ${tag}), then push both:`,
    '',
    `  git push --atomic origin ${RELEASE_BRANCH} ${tag}`,
    '',
    `The tag starts the release workflow: it checks dist/, publishes the GitHub release with the ${tag} notes from`,
    `CHANGELOG.md${major ? `, and moves ${major} to this commit` : ' as a prerelease (no major tag moves)'}.`,
    '',
  ].join('\n'),
);
