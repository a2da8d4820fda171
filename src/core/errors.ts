/**
 * What went wrong, as a caller can branch on it. Stable across versions: a new kind of failure gets a new code.
 * - `input`: a bad option or input; nothing was sent.
 * - `email-exists`: the address is registered, and not by this run.
 * - `unknown-owner`: a create attempt got no usable answer and the address now exists, but this run cannot tell it made it.
 * - `wrong-password`: login answered null.
 * - `blocked`: login answered "blocked": the account is locked.
 * - `key-exists`: the account has a key that may not be replaced.
 * - `refused`: LAR refused the account (a name that looks like a URL, a disposable domain, an unknown status).
 * - `wrong-account`: the server answered for another account than the one this run made.
 * - `network`: no usable answer (refused, reset, timed out, cut off, an untrusted certificate, a proxy).
 * - `server`: LAR answered with an HTTP error, a redirect, or a body of the wrong shape.
 * - `aborted`: the caller's AbortSignal fired.
 * - `handoff`: a handoff that does not open.
 * - `callback`: a callback of the caller's (`log`, `mask`) threw, and the flow stopped there.
 */
export type FailureCode =
  | 'input'
  | 'email-exists'
  | 'unknown-owner'
  | 'wrong-password'
  | 'blocked'
  | 'key-exists'
  | 'refused'
  | 'wrong-account'
  | 'network'
  | 'server'
  | 'aborted'
  | 'handoff'
  | 'callback';

/** Every failure of the core: its message is written to be shown (no secret, no server text), its code to branch on. */
export class AxiomError extends Error {
  readonly code: FailureCode;
  constructor(code: FailureCode, message: string) {
    super(message);
    this.name = new.target.name;
    this.code = code;
  }
}

/** The message of anything thrown: ours are written to be shown; anything else is named, never dumped. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
