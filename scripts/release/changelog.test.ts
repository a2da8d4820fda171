// Unit tests for the release helpers. Run with `npm run test:release` (node's own test runner: the scripts need no
// vitest, and the release workflow runs them with Node alone).

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import {
  bumpPackageJson,
  bumpPackageLock,
  compareVersions,
  extractSection,
  headingNamesVersion,
  isoDate,
  majorTag,
  parseVersion,
  prepareChangelog,
  releaseNotes,
} from './changelog.ts';

const v = parseVersion;

const CHANGELOG = `# Changelog

Intro text.

## Unreleased

- Something new.

## v1.1.0 (2026-12-01)

### Fixed

- A bug.

\`\`\`yaml
## not a heading inside a fence
\`\`\`

## [1.0.1] - 2026-11-30

- Patch.

## v1.0.0 (2026-11-25)

First release.
`;

describe('parseVersion', () => {
  it('accepts a version with or without the v, and a prerelease', () => {
    assert.deepEqual(v('1.2.3'), { major: 1, minor: 2, patch: 3, prerelease: '', text: '1.2.3' });
    assert.equal(v('v10.0.0').text, '10.0.0');
    assert.equal(v(' v1.2.0-rc.1 ').prerelease, 'rc.1');
  });

  it('rejects what is not a version', () => {
    for (const bad of ['', 'v1', '1.2', '1.2.3.4', 'v01.2.3', '1.2.3+build', 'vfoo.bar.baz', '1.2.3-', 'x1.2.3'])
      assert.throws(() => v(bad), /is not a version/, bad);
  });
});

describe('compareVersions', () => {
  it('orders by major, minor, patch, and puts a prerelease before its release', () => {
    const sorted = ['1.0.0', '0.9.9', '1.0.0-rc.2', '1.0.0-rc.10', '1.0.0-beta', '2.0.0', '1.10.0', '1.2.0'].map(v);
    sorted.sort(compareVersions);
    assert.deepEqual(
      sorted.map((x) => x.text),
      ['0.9.9', '1.0.0-beta', '1.0.0-rc.2', '1.0.0-rc.10', '1.0.0', '1.2.0', '1.10.0', '2.0.0'],
    );
    assert.equal(compareVersions(v('1.2.3'), v('v1.2.3')), 0);
  });
});

describe('majorTag', () => {
  it('is vN for a release and nothing for a prerelease', () => {
    assert.equal(majorTag(v('1.4.2')), 'v1');
    assert.equal(majorTag(v('0.3.0')), 'v0');
    assert.equal(majorTag(v('2.0.0-rc.1')), undefined);
  });
});

describe('headingNamesVersion', () => {
  it('matches the usual spellings of a version heading', () => {
    for (const title of ['v1.2.0', '1.2.0', 'v1.2.0 (2026-11-25)', '[1.2.0] - 2026-11-25', 'v1.2.0 — Title', 'v1.2.0: Title'])
      assert.ok(headingNamesVersion(title, v('1.2.0')), title);
  });

  it('does not match another version that starts the same way', () => {
    for (const title of ['v1.2.0-rc.1', 'v1.2.01', 'v1.2.00', 'v11.2.0', 'Unreleased', 'Notes on v1.2.0'])
      assert.ok(!headingNamesVersion(title, v('1.2.0')), title);
    assert.ok(headingNamesVersion('v1.2.0-rc.1 (2026-11-01)', v('1.2.0-rc.1')));
  });
});

describe('extractSection', () => {
  it('returns the body up to the next level-2 heading, keeping ### headings and fenced ## lines', () => {
    assert.equal(extractSection(CHANGELOG, v('1.1.0')), '### Fixed\n\n- A bug.\n\n```yaml\n## not a heading inside a fence\n```');
    assert.equal(extractSection(CHANGELOG, v('1.0.1')), '- Patch.');
    assert.equal(extractSection(CHANGELOG, v('1.0.0')), 'First release.');
  });

  it('is undefined for a version without a section', () => {
    assert.equal(extractSection(CHANGELOG, v('1.3.0')), undefined);
  });

  it('reads CRLF files', () => {
    assert.equal(extractSection(CHANGELOG.replaceAll('\n', '\r\n'), v('1.0.1')), '- Patch.');
  });

  it('finds the section of the committed CHANGELOG.md for the committed package.json version', () => {
    const root = new URL('../../', import.meta.url);
    const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as { version: string };
    const notes = releaseNotes(readFileSync(new URL('CHANGELOG.md', root), 'utf8'), v(pkg.version));
    assert.ok(notes.length > 0);
    assert.ok(!notes.startsWith('## '));
  });
});

describe('releaseNotes', () => {
  it('says what to fix when the section is missing or empty', () => {
    assert.throws(() => releaseNotes(CHANGELOG, v('9.9.9')), /no "## v9\.9\.9" section/);
    assert.throws(() => releaseNotes('## v1.0.0\n\n## v0.9.0\n\nOld.\n', v('1.0.0')), /is empty/);
  });
});

describe('prepareChangelog', () => {
  it('keeps a changelog that already has the section', () => {
    assert.deepEqual(prepareChangelog(CHANGELOG, v('1.1.0'), '2026-12-24'), { kind: 'present', changelog: CHANGELOG });
  });

  it('renames a non-empty Unreleased section and leaves an empty one above it', () => {
    const result = prepareChangelog(CHANGELOG, v('1.2.0'), '2026-12-24');
    assert.equal(result.kind, 'promoted');
    assert.ok(result.kind === 'promoted');
    assert.match(result.changelog, /## Unreleased\n\n## v1\.2\.0 \(2026-12-24\)\n\n- Something new\.\n\n## v1\.1\.0/);
    assert.equal(extractSection(result.changelog, v('1.2.0')), '- Something new.');
    // The new, empty Unreleased section cannot be promoted again.
    assert.equal(prepareChangelog(result.changelog, v('1.3.0'), '2026-12-25').kind, 'missing');
  });

  it('keeps CRLF line endings when it promotes', () => {
    const result = prepareChangelog(CHANGELOG.replaceAll('\n', '\r\n'), v('1.2.0'), '2026-12-24');
    assert.ok(result.kind === 'promoted');
    assert.ok(!/[^\r]\n/.test(result.changelog));
  });

  it('explains why it cannot prepare the notes', () => {
    const none = prepareChangelog('# Changelog\n\n## v1.0.0\n\nFirst.\n', v('1.1.0'), '2026-12-24');
    assert.deepEqual(none, { kind: 'missing', reason: 'there is neither a "## v1.1.0" nor a "## Unreleased" section' });
    const empty = prepareChangelog('## Unreleased\n\n## v1.0.0\n\nFirst.\n', v('1.1.0'), '2026-12-24');
    assert.deepEqual(empty, { kind: 'missing', reason: 'the "## Unreleased" section is empty' });
    const blank = prepareChangelog('## v1.1.0\n\n## v1.0.0\n\nFirst.\n', v('1.1.0'), '2026-12-24');
    assert.deepEqual(blank, { kind: 'missing', reason: 'the "## v1.1.0" section is empty' });
  });
});

describe('bumpPackageJson', () => {
  it('changes only the top-level version line', () => {
    const text = '{\n  "name": "x",\n  "version": "1.0.0",\n  "dependencies": {\n    "y": "1.0.0"\n  },\n  "z": { "version": "3" }\n}\n';
    assert.equal(bumpPackageJson(text, v('1.2.0')), text.replace('"version": "1.0.0"', '"version": "1.2.0"'));
  });

  it('refuses a package.json without a version', () => {
    assert.throws(() => bumpPackageJson('{\n  "name": "x"\n}\n', v('1.2.0')), /no "version"/);
  });
});

describe('bumpPackageLock', () => {
  it('changes the lockfile version and the root package version, in npm formatting', () => {
    const lock = {
      name: 'x',
      version: '1.0.0',
      lockfileVersion: 3,
      packages: { '': { name: 'x', version: '1.0.0' }, 'node_modules/y': { version: '1.0.0' } },
    };
    const out = JSON.parse(bumpPackageLock(`${JSON.stringify(lock, null, 2)}\n`, v('1.2.0')));
    assert.equal(out.version, '1.2.0');
    assert.equal(out.packages[''].version, '1.2.0');
    assert.equal(out.packages['node_modules/y'].version, '1.0.0');
    assert.ok(bumpPackageLock(JSON.stringify(lock), v('1.2.0')).endsWith('}\n'));
  });
});

describe('isoDate', () => {
  it('is the UTC date', () => {
    assert.equal(isoDate(new Date('2026-12-31T23:30:00-05:00')), '2027-01-01');
  });
});
