// What the post step does, decided by main and saved in the step state. The post step takes every decision from it
// and from nothing else a later step of the job could set: main saves a plan on every path that runs to its end, and
// a state main saved wins over a STATE_ variable appended to GITHUB_ENV. Pure encode/decode, validated like inputs.
import { addressProblem } from '../core/account/email.ts';
import { CONTROL, MAX_TIMEOUT_SECONDS, MIN_TIMEOUT_SECONDS } from '../core/inputs.ts';
import { checkOrigin } from '../core/origin.ts';
import type { RevokeTarget } from '../core/revoke-key.ts';
import { isTrustSnapshot, type TrustSnapshot } from './trust.ts';

export const POST_STATE = 'post';

export type PostPlan =
  | { readonly kind: 'nothing' }
  | { readonly kind: 'handed-off' }
  | {
      readonly kind: 'revoke';
      readonly target: RevokeTarget;
      readonly timeoutMs: number;
      /** The route and trust main reached LAR with: the post step sends the password only through the same. */
      readonly trust: TrustSnapshot;
    };

export function encodePostPlan(plan: PostPlan): string {
  return JSON.stringify(plan);
}

const FINGERPRINT = /^[0-9a-f]{8}$/;

/** `unreadable`: a state main did not write (it always writes one of the plans above, or nothing). */
export function decodePostPlan(text: string): PostPlan | { readonly kind: 'unreadable' } {
  if (text === '') return { kind: 'nothing' };
  let value: Record<string, unknown>;
  try {
    value = JSON.parse(text);
  } catch {
    return { kind: 'unreadable' };
  }
  if (value?.kind === 'nothing' || value?.kind === 'handed-off') return { kind: value.kind };
  if (value?.kind !== 'revoke') return { kind: 'unreadable' };
  const { target, timeoutMs, trust } = value as { target?: Partial<RevokeTarget>; timeoutMs?: unknown; trust?: unknown };
  const { baseUrl, email, password, keyFingerprint } = target ?? {};
  const origin = typeof baseUrl === 'string' ? checkOrigin(baseUrl) : undefined;
  if (
    origin === undefined ||
    !('origin' in origin) ||
    origin.origin !== baseUrl ||
    typeof email !== 'string' ||
    addressProblem(email) !== undefined ||
    typeof password !== 'string' ||
    CONTROL.test(password) ||
    password.trim() === '' ||
    typeof keyFingerprint !== 'string' ||
    !FINGERPRINT.test(keyFingerprint) ||
    typeof timeoutMs !== 'number' ||
    !Number.isInteger(timeoutMs) ||
    timeoutMs < MIN_TIMEOUT_SECONDS * 1000 ||
    timeoutMs > MAX_TIMEOUT_SECONDS * 1000 ||
    !isTrustSnapshot(trust)
  ) {
    return { kind: 'unreadable' };
  }
  return Object.freeze({
    kind: 'revoke',
    target: Object.freeze({ baseUrl: origin.origin, email, password, keyFingerprint }),
    timeoutMs,
    trust: Object.freeze({ ...trust }),
  });
}
