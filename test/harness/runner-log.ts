// Renders a step's stdout the way the workflow log shows it: masked values as ***, annotations as
// "Error: …", debug lines only in debug mode, and workflow commands hidden.
import type { StepRun } from './run-action.ts';

export function renderRunnerLog(runs: readonly StepRun[], { debug = false } = {}): string[] {
  const masks = new Set<string>();
  const shown: string[] = [];
  for (const run of runs) {
    for (const line of run.stdout.split('\n')) {
      const command = /^::([a-z-]+)(?: [^:]*)?::(.*)$/.exec(line);
      if (command?.[1] === 'add-mask') {
        masks.add(command[2] ?? '');
        continue;
      }
      const text = command ? unescapeCommand(command[2] ?? '') : line;
      const prefix = { error: 'Error: ', warning: 'Warning: ', notice: 'Notice: ', debug: '##[debug]' }[command?.[1] ?? ''] ?? '';
      if (command?.[1] === 'debug' && !debug) continue;
      if (line === '') continue;
      shown.push(mask(prefix + text, masks));
    }
  }
  return shown;
}

export function mask(text: string, masks: ReadonlySet<string>): string {
  let result = text;
  for (const value of [...masks].sort((a, b) => b.length - a.length)) if (value !== '') result = result.split(value).join('***');
  return result;
}

const unescapeCommand = (value: string): string => value.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
