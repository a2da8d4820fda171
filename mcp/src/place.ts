// Where an account file may be: inside the working directory the person chose, reached without leaving it, and,
// in a git work tree, ignored by git, so a key never lands in a commit. Refusals name the rule, never a secret.
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, lstatSync, readFileSync, realpathSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve, sep } from 'node:path';
import { AxiomError } from 'axiom-provision';

export const DEFAULT_FILE = '.env.axiom';
/** Plain relative names only: nothing a shell, a .gitignore pattern or a log line reads as anything else. */
export const FILE_PATTERN =
  /^(?!\/)(?:[A-Za-z0-9_][A-Za-z0-9._-]*|\.[A-Za-z0-9_-][A-Za-z0-9._-]*)(?:\/(?:[A-Za-z0-9_][A-Za-z0-9._-]*|\.[A-Za-z0-9_-][A-Za-z0-9._-]*))*$/;

export interface Place {
  /** As given: relative to the working directory. */
  readonly file: string;
  readonly path: string;
}

/** The file's place inside `dir` (a real path), refusing `..`, absolute paths and a parent that resolves outside. */
export function placeIn(dir: string, file: string): Place {
  const refuse = (why: string): never => {
    throw new AxiomError('input', `'file' ${why}. No request was sent.`);
  };
  // Nor inside .git, where git keeps its own files (hooks among them), nor git's own files (.gitignore, which is
  // committed, and would hold the key), in any case: on a case-insensitive volume .Gitignore is .gitignore.
  if (
    isAbsolute(file) ||
    !FILE_PATTERN.test(file) ||
    file.split('/').some((part) => part === '..' || part === '.' || part.toLowerCase().startsWith('.git'))
  ) {
    refuse(
      `must be a relative path inside the working directory, of letters, digits, '.', '_', '-' and '/', without '..' or a name starting .git`,
    );
  }
  const path = resolve(dir, file);
  if (!inside(dir, path)) refuse('resolves outside the working directory');
  let parent: string;
  try {
    parent = realpathSync(dirname(path));
  } catch {
    return refuse('names a folder that does not exist in the working directory');
  }
  // A symlinked folder on the way would put the file somewhere the person did not choose.
  if (parent !== dirname(path) || !inside(dir, parent)) refuse('passes through a symbolic link; name a path inside the working directory');
  return { file, path };
}

/** The place of an existing account file: a regular file, not a symbolic link. */
export function existingFileIn(dir: string, file: string): Place {
  const place = placeIn(dir, file);
  let entry: ReturnType<typeof lstatSync>;
  try {
    entry = lstatSync(place.path);
  } catch {
    throw new AxiomError('input', `${file} does not exist in the working directory. No request was sent.`);
  }
  if (!entry.isFile())
    throw new AxiomError('input', `${file} is not a regular file (a symbolic link is not followed). No request was sent.`);
  return place;
}

/** Whether the path, resolved now, still lies inside `dir`. */
export function isStillInside(dir: string, path: string): boolean {
  try {
    return inside(dir, realpathSync(path));
  } catch {
    return false;
  }
}

const inside = (dir: string, path: string): boolean => path === dir || path.startsWith(dir + sep);

/**
 * In a git work tree, makes sure git ignores the file: adds it to the .gitignore beside it when it does not
 * (Auth0's practice). Asked in the file's own folder, so a work tree below the working directory, or nested in it,
 * is the one that counts. Returns where the line went, as `folder/.gitignore: /name`, or undefined when nothing had
 * to change.
 */
export function keepOutOfGit(place: Place): string | undefined {
  const folder = dirname(place.path);
  const name = basename(place.path);
  const before = gitIgnores(folder, name);
  if (before === 'ignored' || before === 'no work tree') return undefined;
  const line = `/${name}`;
  const gitignore = join(folder, '.gitignore');
  // Appending through a symbolic link would write outside the working directory, and reading a FIFO would hang.
  const entry = lstatSync(gitignore, { throwIfNoEntry: false });
  // A hard link would carry the line to a file elsewhere.
  if (entry !== undefined && (!entry.isFile() || entry.nlink > 1)) {
    throw new AxiomError(
      'input',
      `${place.file} would sit in a git work tree whose .gitignore is not a plain file of its own (a symbolic or hard link is not written through). No request was sent.`,
    );
  }
  const text = existsSync(gitignore) ? readFileSync(gitignore, 'utf8') : '';
  // Without git to ask, a line added on an earlier call is trusted while it is the last rule: one after it could undo it.
  if (before === 'no git to ask' && text.split(/\r?\n/).findLast((rule) => rule.trim() !== '' && !rule.startsWith('#')) === line) {
    return undefined;
  }
  const lead = text === '' || text.endsWith('\n') ? '' : '\n';
  try {
    appendFileSync(gitignore, `${lead}# An account file of axiom-provision-mcp: it holds an API key and a password.\n${line}\n`);
  } catch (error) {
    throw new AxiomError(
      'input',
      `${place.file} would sit in a git work tree, and .gitignore cannot be written (${(error as NodeJS.ErrnoException).code ?? 'error'}) to keep it out of commits. No request was sent.`,
    );
  }
  if (gitIgnores(folder, name) === 'not ignored') {
    throw new AxiomError(
      'input',
      `git still does not ignore ${place.file} after ${line} was added to .gitignore; check .gitignore. No request was sent.`,
    );
  }
  return `${join(dirname(place.file), '.gitignore')}: ${line}`;
}

const GIT_TIMEOUT_MS = 10_000;

type GitVerdict = 'ignored' | 'not ignored' | 'no work tree' | 'no git to ask';

function gitIgnores(dir: string, file: string): GitVerdict {
  // Bounded: a hook or a slow file system must not hold the server, which answers nothing while this waits.
  // A repository the agent wrote could name a command in its config for git to run (core.fsmonitor): none is run.
  const check = spawnSync('git', ['-c', 'core.fsmonitor=false', 'check-ignore', '--quiet', '--', file], {
    cwd: dir,
    stdio: 'ignore',
    timeout: GIT_TIMEOUT_MS,
  });
  if (check.error === undefined && (check.status === 0 || check.status === 1)) return check.status === 0 ? 'ignored' : 'not ignored';
  // No git to ask, no answer in time, or a git that refuses to answer (a repository another user owns): a .git on the
  // way up still means a work tree, and the .gitignore line is added to be safe.
  for (let at = dir; ; at = dirname(at)) {
    if (existsSync(join(at, '.git'))) return 'no git to ask';
    if (dirname(at) === at) return 'no work tree';
  }
}
