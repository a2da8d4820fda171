// Everything the post step needs, and nothing more, passes through the step state. Pure encode/decode.
export const STATE = Object.freeze({ revoke: 'revoke', handedOff: 'handedOff' });

/** What revoking takes: log in again and mint a replacement key, which invalidates the one handed out. */
export interface RevokeState {
  readonly baseUrl: string;
  readonly email: string;
  readonly password: string;
  readonly timeoutMs: number;
  /** Tells the post step whether a "replacement" is really the key handed out again (no piece of it is kept). */
  readonly keyFingerprint: string;
}

export function encodeRevokeState(state: RevokeState): string {
  return JSON.stringify(state);
}

/** Undefined when main minted no key (nothing was saved) or the state is not ours. */
export function decodeRevokeState(text: string): RevokeState | undefined {
  if (text === '') return undefined;
  try {
    const value = JSON.parse(text) as Partial<RevokeState>;
    const { baseUrl, email, password, timeoutMs, keyFingerprint } = value;
    if (
      typeof baseUrl !== 'string' ||
      typeof email !== 'string' ||
      typeof password !== 'string' ||
      typeof timeoutMs !== 'number' ||
      typeof keyFingerprint !== 'string'
    ) {
      return undefined;
    }
    return Object.freeze({ baseUrl, email, password, timeoutMs, keyFingerprint });
  } catch {
    return undefined;
  }
}
