// Judges a job's steps by what the runner would show of them (see runner-log.ts). A secret leaks when:
// - any form the runner masks (plain, base64, escaped …) shows after masking: it was printed before its
//   ::add-mask::, and the runner cannot mask a line after the fact; or its hex form shows, which it never masks;
// - a piece of it survives masking anywhere: a stdout line (debug lines and annotations included), stderr, the job
//   summary, or an output or exported variable other than its own home (see HOMES);
// - any form of it, masked or not, is in an annotation, on stderr or in the job summary, where the action promises
//   never to quote one.
// A piece is any PIECE characters of the secret, a run long enough not to show by chance. Two choices keep that honest:
// - A piece that the shipped bundle itself contains ("password" in the password "stored-password-0123") is text the
//   action may print on its own, so it proves nothing; every other piece counts.
// - The runner masks a secret of any length. One shorter than PIECE is judged whole, and only where it stands
//   alone: inside a longer word ("ada" in "canada") it is far more likely a coincidence than a leak.
// A blank secret is skipped: the runner cannot mask it. The step state is not judged: the runner hands it only to
// the action's own post step and never shows it.
import { readFileSync } from 'node:fs';
import type { StepRun } from './run-action.ts';
import { JobLog, maskedForms, type SecretMasker, splitLines } from './runner-log.ts';

const PIECE = 8;
const ANNOTATIONS: ReadonlySet<string> = new Set(['error', 'warning', 'notice']);

type SecretKind = 'API key' | 'login token' | 'refresh token' | 'password';

/** The only places a secret may rest whole: the output, or exported variable, named for its kind. */
const HOMES: Readonly<Record<'outputs' | 'exportedEnv', Readonly<Record<string, SecretKind>>>> = {
  outputs: { 'api-key': 'API key', password: 'password' },
  exportedEnv: { AXIOM_API_KEY: 'API key' },
};

export function findLeaks(runs: StepRun | readonly StepRun[], secrets: Iterable<string>): string[] {
  const all = [...new Set(secrets)].filter((secret) => secret.trim() !== '');
  const leaks: string[] = [];
  const report = (where: string, text: string, masked: string, { neverQuoted = false, judged = all } = {}): void => {
    for (const secret of judged) {
      const finding = judge(text, masked, secret, neverQuoted);
      if (finding !== undefined) leaks.push(`${label(secret)} ${finding}: ${where}`);
    }
  };
  // Masks are job-wide: a value masked in main stays masked in post, but a job starts with none of another's.
  const logs = new Map<string, JobLog>();
  for (const [index, run] of ([] as StepRun[]).concat(runs).entries()) {
    const step = `step ${index + 1}`;
    const log = logs.get(run.job) ?? new JobLog();
    logs.set(run.job, log);
    for (const [n, line] of splitLines(run.stdout).entries()) {
      const printed = log.read(line);
      if (printed === undefined) continue;
      const { command } = printed;
      // An annotation's title and file show too.
      const text = [printed.text, ...(command ? Object.values(command.properties) : [])].join(' ');
      report(`${step}, stdout line ${n + 1}${command ? ` (::${command.name}::)` : ''}`, text, log.masker.mask(text), {
        neverQuoted: ANNOTATIONS.has(command?.name ?? ''),
      });
    }
    // The runner masks stderr and the summary line by line as it reads them, by which time this step's masks are in.
    report(`${step}, stderr`, run.stderr, maskLines(run.stderr, log.masker), { neverQuoted: true });
    report(`${step}, job summary`, run.summary, maskLines(run.summary, log.masker), { neverQuoted: true });
    for (const place of ['outputs', 'exportedEnv'] as const) {
      for (const [name, value] of Object.entries(run[place])) {
        const judged = all.filter((secret) => !(value === secret && HOMES[place][name] === kindOf(secret)));
        // Nothing masks a value: it reaches later steps as it is.
        report(`${step}, ${place === 'outputs' ? 'output' : 'exported variable'} ${name}`, value, value, { judged });
      }
    }
  }
  return leaks;
}

/** What shows of one secret in one place: `text` as printed, `masked` as the runner shows it. */
function judge(text: string, masked: string, secret: string, neverQuoted: boolean): string | undefined {
  if (shows(text.toLowerCase(), Buffer.from(secret).toString('hex'))) return 'hex-encoded (never masked)';
  const forms = maskedForms(secret);
  if (forms.some((form) => shows(masked, form))) return 'unmasked (printed before its ::add-mask::, or never masked)';
  if (neverQuoted && forms.some((form) => shows(text, form))) return 'quoted, though masked';
  const piece = pieceAt(masked, secret);
  return piece === undefined ? undefined : `in part (characters ${piece + 1}-${piece + PIECE}) after masking`;
}

/** Where a piece of the secret starts, if one shows that the action could not have printed on its own. */
function pieceAt(text: string, secret: string): number | undefined {
  for (let start = 0; start + PIECE <= secret.length; start++) {
    const piece = secret.slice(start, start + PIECE);
    if (text.includes(piece) && !shippedText().includes(piece)) return start;
  }
  return undefined;
}

/** Anywhere for a needle of PIECE characters or more; a shorter one only where no letter, digit or _ adjoins it. */
function shows(text: string, needle: string): boolean {
  if (needle.length >= PIECE) return text.includes(needle);
  const word = /[\p{L}\p{N}_]/u;
  for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) {
    if (!word.test(text[at - 1] ?? '') && !word.test(text[at + needle.length] ?? '')) return true;
  }
  return false;
}

/** Tells a secret's kind by the shapes LAR documents; anything else the server saw came from a client, as a password. */
function kindOf(secret: string): SecretKind {
  if (secret.startsWith('axm_')) return 'API key';
  if (secret.startsWith('eyJ')) return 'login token';
  if (secret.startsWith('def502')) return 'refresh token';
  return 'password';
}

const label = (secret: string): string =>
  `${kindOf(secret)} of ${secret.length} chars${secret.length >= PIECE ? ` ending '${secret.slice(-3)}'` : ''}`;

const maskLines = (text: string, masker: SecretMasker): string =>
  splitLines(text)
    .map((line) => masker.mask(line))
    .join('\n');

let shipped: string | undefined;
/** The bundle the runner executes: every string the action can print without being given it. */
const shippedText = (): string => (shipped ??= readFileSync(new URL('../../dist/lib/index.js', import.meta.url), 'utf8'));
