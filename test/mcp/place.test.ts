// Where an account file may go, judged without a client: the rules of mcp/src/place.ts on real folders.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { keepOutOfGit, placeIn } from '../../mcp/src/place.ts';
import { workDir } from './harness.ts';

describe('keeping an account file out of git where git cannot answer', () => {
  it('adds the line again when a later rule undoes it, and trusts it only while it is the last rule', () => {
    const dir = workDir();
    // A .git that git does not take for a repository: the work tree is seen, but git cannot say what it ignores.
    mkdirSync(join(dir, '.git'));
    writeFileSync(join(dir, '.gitignore'), '/.env.axiom\n!/.env.axiom\n');
    const place = placeIn(dir, '.env.axiom');
    expect(keepOutOfGit(place)).toBe('.gitignore: /.env.axiom');
    expect(readFileSync(join(dir, '.gitignore'), 'utf8').endsWith('\n/.env.axiom\n')).toBe(true);
    expect(keepOutOfGit(place)).toBeUndefined();
  });
});

describe('asking git whether it ignores an account file', () => {
  it('runs no command a repository below the working directory names in its config', () => {
    const dir = workDir();
    const marker = join(dir, 'fsmonitor-ran');
    execFileSync('git', ['init', '--quiet'], { cwd: dir });
    mkdirSync(join(dir, 'sub'));
    execFileSync('git', ['init', '--quiet'], { cwd: join(dir, 'sub') });
    execFileSync('git', ['config', 'core.fsmonitor', `touch '${marker}'; false`], { cwd: join(dir, 'sub') });
    expect(keepOutOfGit(placeIn(dir, 'sub/account.env'))).toBe('sub/.gitignore: /account.env');
    expect(existsSync(marker)).toBe(false);
  });
});
