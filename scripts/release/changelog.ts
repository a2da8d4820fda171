// Pure helpers for cutting a release: the version a tag names, the CHANGELOG section that becomes the release notes,
// and the version fields of package.json and package-lock.json. Nothing here reads files or runs git, so the release
// workflow and `npm run release` share one tested definition of "the section for v1.2.0".

export interface Version {
  major: number;
  minor: number;
  patch: number;
  /** The part after `-`, e.g. `rc.1`; empty for a normal release. */
  prerelease: string;
  /** `1.2.0` or `1.2.0-rc.1`, without the `v`. */
  text: string;
}

const VERSION = /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?$/;

/** Parses `1.2.0`, `v1.2.0` or `v1.2.0-rc.1`. Throws on anything else, build metadata included. */
export function parseVersion(input: string): Version {
  const m = VERSION.exec(input.trim());
  if (!m) throw new Error(`"${input}" is not a version: expected X.Y.Z or vX.Y.Z, optionally with a -prerelease suffix`);
  const [, major, minor, patch, prerelease = ''] = m;
  const text = `${major}.${minor}.${patch}${prerelease ? `-${prerelease}` : ''}`;
  return { major: Number(major), minor: Number(minor), patch: Number(patch), prerelease, text };
}

/** Semver precedence, enough for release ordering: a prerelease sorts before its release. */
export function compareVersions(a: Version, b: Version): number {
  for (const key of ['major', 'minor', 'patch'] as const) if (a[key] !== b[key]) return a[key] - b[key];
  if (a.prerelease === b.prerelease) return 0;
  if (!a.prerelease) return 1;
  if (!b.prerelease) return -1;
  const pa = a.prerelease.split('.');
  const pb = b.prerelease.split('.');
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i];
    const y = pb[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    if (x === y) continue;
    const nx = /^\d+$/.test(x);
    const ny = /^\d+$/.test(y);
    if (nx && ny) return Number(x) - Number(y);
    if (nx) return -1;
    if (ny) return 1;
    return x < y ? -1 : 1;
  }
  return 0;
}

/** The tag users pin to: `v1` for `1.4.2`. A prerelease moves no major tag, so it has none. */
export function majorTag(version: Version): string | undefined {
  return version.prerelease ? undefined : `v${version.major}`;
}

interface Heading {
  line: number;
  title: string;
}

// Level-2 headings only: `### Added` inside a version's section belongs to that section.
function headings(lines: readonly string[]): Heading[] {
  const found: Heading[] = [];
  let fence = false;
  lines.forEach((line, i) => {
    if (/^\s*(```|~~~)/.test(line)) fence = !fence;
    else if (!fence && /^##\s/.test(line)) found.push({ line: i, title: line.replace(/^##\s+/, '').trim() });
  });
  return found;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Whether a `##` heading names this version. Accepts the common spellings: `v1.2.0 (2026-11-25)`, `1.2.0`,
 * `[1.2.0] - 2026-11-25`, `v1.2.0 — title`. `v1.2.0` does not match `v1.2.0-rc.1` or `v1.2.01`.
 */
export function headingNamesVersion(title: string, version: Version): boolean {
  return new RegExp(`^\\[?v?${escapeRegExp(version.text)}\\]?(?=$|[\\s(—–:-])(?!-[0-9A-Za-z])`).test(title);
}

const UNRELEASED = /^\[?unreleased\]?\s*$/i;

function sectionBody(lines: readonly string[], all: readonly Heading[], index: number): string {
  const start = (all[index]?.line ?? 0) + 1;
  const end = all[index + 1]?.line ?? lines.length;
  return lines.slice(start, end).join('\n').trim();
}

/**
 * The body of the version's section: everything between its `##` heading and the next `##` heading, trimmed, without
 * the heading itself (the release's title is the tag). Undefined when there is no such section.
 */
export function extractSection(changelog: string, version: Version): string | undefined {
  const lines = changelog.split(/\r?\n/);
  const all = headings(lines);
  const index = all.findIndex((h) => headingNamesVersion(h.title, version));
  return index === -1 ? undefined : sectionBody(lines, all, index);
}

/** The release notes for a version, or an error that says what to fix in CHANGELOG.md. */
export function releaseNotes(changelog: string, version: Version): string {
  const body = extractSection(changelog, version);
  if (body === undefined)
    throw new Error(`CHANGELOG.md has no "## v${version.text}" section. Add one (or run \`npm run release -- ${version.text}\`).`);
  if (body === '') throw new Error(`CHANGELOG.md's "## v${version.text}" section is empty. Say what changed.`);
  return body;
}

export type Preparation =
  | { kind: 'present'; changelog: string }
  | { kind: 'promoted'; changelog: string }
  | { kind: 'missing'; reason: string };

/**
 * Makes sure the changelog has a section for the version. An existing non-empty section is kept as it is. Otherwise a
 * non-empty `## Unreleased` section is renamed `## vX.Y.Z (date)`, with a fresh empty `## Unreleased` left above it
 * so the next change has somewhere to go.
 */
export function prepareChangelog(changelog: string, version: Version, date: string): Preparation {
  const existing = extractSection(changelog, version);
  if (existing !== undefined) {
    return existing === '' ? { kind: 'missing', reason: `the "## v${version.text}" section is empty` } : { kind: 'present', changelog };
  }
  const eol = changelog.includes('\r\n') ? '\r\n' : '\n';
  const lines = changelog.split(/\r?\n/);
  const all = headings(lines);
  const index = all.findIndex((h) => UNRELEASED.test(h.title));
  const unreleased = all[index];
  if (!unreleased) return { kind: 'missing', reason: `there is neither a "## v${version.text}" nor a "## Unreleased" section` };
  if (sectionBody(lines, all, index) === '') return { kind: 'missing', reason: 'the "## Unreleased" section is empty' };
  lines.splice(unreleased.line, 1, '## Unreleased', '', `## v${version.text} (${date})`);
  return { kind: 'promoted', changelog: lines.join(eol) };
}

/** package.json with only its top-level `"version"` value changed, so the file's formatting is kept. */
export function bumpPackageJson(text: string, version: Version): string {
  const parsed = JSON.parse(text) as { version?: unknown };
  if (typeof parsed.version !== 'string') throw new Error('package.json has no "version" field');
  // The first "version" key at two spaces of indentation is the top-level one in npm's formatting.
  const bumped = text.replace(/^( {2}"version": *")[^"]*(")/m, `$1${version.text}$2`);
  if ((JSON.parse(bumped) as { version: string }).version !== version.text)
    throw new Error('could not find the top-level "version" line in package.json');
  return bumped;
}

/** package-lock.json with the root package's version changed, in npm's own formatting. */
export function bumpPackageLock(text: string, version: Version): string {
  const lock = JSON.parse(text) as { version?: string; packages?: Record<string, { version?: string }> };
  lock.version = version.text;
  const root = lock.packages?.[''];
  if (root) root.version = version.text;
  return `${JSON.stringify(lock, null, 2)}\n`;
}

/** Today's date as the changelog writes it, in UTC so the result does not depend on the machine's zone. */
export function isoDate(now: Date): string {
  return now.toISOString().slice(0, 10);
}
