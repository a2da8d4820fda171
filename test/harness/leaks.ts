// Judges a step's output the way the runner's masker would treat it. A secret leaks when it shows:
// - on a line printed before its ::add-mask:: (the runner cannot mask a line after the fact);
// - in a form the runner never masks (hex, or a long fragment), at any time;
// - in an annotation, the job summary, or stderr, at any time.
import type { StepRun } from './run-action.ts';
import { mask } from './runner-log.ts';

const FRAGMENT = 12;

export function findLeaks(runs: StepRun | readonly StepRun[], secrets: Iterable<string>): string[] {
  const all = [...new Set(secrets)].filter((s) => s.length >= 8);
  const leaks: string[] = [];
  const label = (s: string): string => `secret …${s.slice(-3)} (${s.length} chars)`;
  const masked = new Set<string>();
  for (const [step, run] of (Array.isArray(runs) ? runs : [runs]).entries()) {
    // Masks are job-wide: a value masked in main stays masked in post.
    for (const [n, line] of run.stdout.split('\n').entries()) {
      const where = `step ${step + 1}, stdout line ${n + 1}`;
      const maskCommand = /^::add-mask::(.*)$/.exec(line);
      if (maskCommand) {
        masked.add(maskCommand[1] ?? '');
        continue;
      }
      const annotation = /^::(error|warning|notice)/.test(line);
      for (const secret of all) {
        if (!masked.has(secret) && containsAnyForm(line, secret))
          leaks.push(`${label(secret)} unmasked on ${where}: printed before its ::add-mask::`);
        if (annotation && containsAnyForm(line, secret)) leaks.push(`${label(secret)} in an annotation on ${where}`);
        if (line.includes(hex(secret))) leaks.push(`${label(secret)} hex-encoded on ${where}`);
        if (containsFragment(mask(line, masked), secret)) leaks.push(`${label(secret)}: a fragment survives masking on ${where}`);
      }
    }
    for (const secret of all) {
      if (containsAnyForm(run.stderr, secret) || containsFragment(run.stderr, secret))
        leaks.push(`${label(secret)} on stderr of step ${step + 1}`);
      if (containsAnyForm(run.summary, secret) || containsFragment(run.summary, secret)) leaks.push(`${label(secret)} in the job summary`);
    }
  }
  return [...new Set(leaks)];
}

/** The forms the runner masks once the value is registered: plain, base64, JSON- and URI-escaped. */
function containsAnyForm(text: string, secret: string): boolean {
  const forms = [secret, Buffer.from(secret).toString('base64'), JSON.stringify(secret).slice(1, -1), encodeURIComponent(secret)];
  return forms.some((form) => text.includes(form));
}

function containsFragment(text: string, secret: string): boolean {
  for (let i = 0; i + FRAGMENT <= secret.length; i++) if (text.includes(secret.slice(i, i + FRAGMENT))) return true;
  return false;
}

const hex = (secret: string): string => Buffer.from(secret).toString('hex');
