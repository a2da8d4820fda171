// In GitHub Actions the runner masks a secret in the job's log once it has read an `::add-mask::` line for it. The
// package's doors that print (the CLI, the test runners) register each secret that way; the action has setSecret.
import { fstatSync } from 'node:fs';

/** A workflow command's data as the runner unescapes it back: % first, so a secret holding "%0A" stays itself. */
const commandData = (value: string): string => value.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');

export const addMaskLine = (secret: string): string => `::add-mask::${commandData(secret)}\n`;

/** The runner never reads a mask written to a regular file (`2>log`, `> report.json`), which would keep the secret whole. */
export function isRegularFile(fd: number): boolean {
  try {
    return fstatSync(fd).isFile();
  } catch {
    return false;
  }
}
