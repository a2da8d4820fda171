// The bundle's source map, back to src/*.ts, for `npm run coverage`. ncc 0.45 does not read tsc's maps: its own
// map points at build/*.js, one segment per line (webpack's cheap-module-source-map). So the two are composed here:
// each bundle line takes tsc's segments for the build line it came from. Webpack rewrites some lines as it
// concatenates modules (it drops `export`, renames clashing names, calls imports as `(0,module.name)`), so columns
// are carried across by aligning the two lines character by character.
import { posix } from 'node:path';
import { decode, encode, type SourceMapSegment } from '@jridgewell/sourcemap-codec';

export interface RawSourceMap {
  readonly sources: readonly string[];
  readonly mappings: string;
}

/** A compiled file as tsc emitted it, and its map. */
export interface Compiled {
  readonly code: string;
  readonly map: RawSourceMap;
}

/**
 * bundle: ncc's output; nccMap: its map, whose sources are '../' + a path from the project root; compiled: reads
 * one of tsc's outputs by that path. Returns a map for a bundle living in dist/lib/, with only src/ as sources (not
 * their text: the repository has them), so it stays small.
 */
export function bundleToSrcMap(bundle: string, nccMap: RawSourceMap, compiled: (path: string) => Compiled): object {
  const bundleLines = bundle.split('\n');
  const sources: string[] = [];
  const files = new Map<number, { lines: string[]; segments: SourceMapSegment[][]; sourceIndex: number[] } | null>();
  const fileAt = (index: number) => {
    if (!files.has(index)) {
      const path = (nccMap.sources[index] ?? '').replace(/^\.\.\//, '');
      if (!/^(\.\/)?build\//.test(path))
        files.set(index, null); // node_modules and webpack's runtime: not ours
      else {
        const { code, map } = compiled(posix.normalize(path));
        const sourceIndex = map.sources.map((source) => {
          const fromRoot = posix.join(posix.dirname(posix.normalize(path)), source);
          if (!sources.includes(fromRoot)) sources.push(fromRoot);
          return sources.indexOf(fromRoot);
        });
        files.set(index, { lines: code.split('\n'), segments: decode(map.mappings), sourceIndex });
      }
    }
    return files.get(index);
  };

  const mappings = decode(nccMap.mappings).map((segments, line): SourceMapSegment[] => {
    const first = segments[0];
    if (first?.length !== 4 && first?.length !== 5) return [];
    const [, fileIndex, buildLine] = first;
    const file = fileAt(fileIndex);
    if (!file) return [];
    const column = alignColumns(file.lines[buildLine] ?? '', bundleLines[line] ?? '');
    const out: SourceMapSegment[] = [];
    for (const segment of file.segments[buildLine] ?? []) {
      if (segment.length !== 4 && segment.length !== 5) continue;
      const [buildColumn, source, srcLine, srcColumn] = segment;
      const generated = column(buildColumn);
      if (out.at(-1)?.[0] === generated) continue; // two build columns fell on one bundle column: keep the first
      out.push([generated, file.sourceIndex[source] ?? 0, srcLine, srcColumn]);
    }
    return out;
  });
  return { version: 3, file: 'index.js', sources: sources.map((source) => `../../${source}`), names: [], mappings: encode(mappings) };
}

/** Maps a column of `from` to the column of `to` holding the same character (longest common subsequence). */
function alignColumns(from: string, to: string): (column: number) => number {
  if (from === to) return (column) => column;
  const n = from.length;
  const m = to.length;
  // lcs(i, j): the longest common subsequence of from.slice(0, i) and to.slice(0, j).
  const table = new Uint16Array((n + 1) * (m + 1));
  const lcs = (i: number, j: number): number => table[i * (m + 1) + j] ?? 0;
  for (let i = 1; i <= n; i++)
    for (let j = 1; j <= m; j++)
      table[i * (m + 1) + j] = from[i - 1] === to[j - 1] ? lcs(i - 1, j - 1) + 1 : Math.max(lcs(i - 1, j), lcs(i, j - 1));
  // Walked from the end, so each character matches as late as it can: webpack's insertions come before what they
  // wrap (`(0,module.name)`, `seal_open`), and `name` should match the name, not letters of `module`.
  const matched = new Int32Array(n).fill(-1);
  for (let i = n, j = m; i > 0 && j > 0; ) {
    if (from[i - 1] === to[j - 1]) matched[--i] = --j;
    else if (lcs(i, j - 1) >= lcs(i - 1, j)) j--;
    else i--;
  }
  // next[i]: where from[i] went or, if webpack dropped or replaced it, where the next kept character went. So
  // `export function f` lands on `function f`.
  const next = new Int32Array(n + 1).fill(m);
  for (let i = n - 1; i >= 0; i--) {
    const j = matched[i] ?? -1;
    next[i] = j !== -1 ? j : (next[i + 1] ?? m);
  }
  return (column) => next[Math.min(column, n)] ?? m;
}
