// What decides the route to LAR and whom the connection trusts, outside the action's inputs: the proxy variables,
// the extra CA file and its content, and the switches that loosen TLS. A later step of a job can change any of them
// for the steps after it (GITHUB_ENV), so a step that sends credentials long after the one that first reached LAR
// compares them first. Only digests are kept: a proxy URL may hold a password. Pure: the file reader comes in.
import { createHash } from 'node:crypto';
import { PROXY_VARIABLES } from '../core/lar/proxy.ts';

const TRUST_VARIABLES = [
  ...PROXY_VARIABLES,
  'no_proxy',
  'NO_PROXY',
  'NODE_EXTRA_CA_CERTS',
  'NODE_TLS_REJECT_UNAUTHORIZED',
  'NODE_USE_SYSTEM_CA',
  'NODE_USE_ENV_PROXY',
  'NODE_OPTIONS',
  'SSL_CERT_FILE',
  'SSL_CERT_DIR',
] as const;

/** A digest per setting; a setting that is unset has none. */
export type TrustSnapshot = Readonly<Record<string, string>>;

const digest = (value: string | Buffer): string => createHash('sha256').update(value).digest('hex');

export function trustSnapshot(env: Readonly<Record<string, string | undefined>>, readFile: (path: string) => Buffer): TrustSnapshot {
  const snapshot: Record<string, string> = {};
  for (const name of TRUST_VARIABLES) {
    const value = env[name];
    if (value !== undefined && value !== '') snapshot[name] = digest(value);
  }
  const caFile = env.NODE_EXTRA_CA_CERTS;
  if (caFile) {
    try {
      snapshot['the content of NODE_EXTRA_CA_CERTS'] = digest(readFile(caFile));
    } catch {
      snapshot['the content of NODE_EXTRA_CA_CERTS'] = 'unreadable';
    }
  }
  return Object.freeze(snapshot);
}

export function changedTrust(before: TrustSnapshot, now: TrustSnapshot): string[] {
  return [...new Set([...Object.keys(before), ...Object.keys(now)])].filter((name) => before[name] !== now[name]).sort();
}

export function isTrustSnapshot(value: unknown): value is TrustSnapshot {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.entries(value).every(([name, d]) => name.length <= 64 && typeof d === 'string' && /^(?:[0-9a-f]{64}|unreadable)$/.test(d))
  );
}
