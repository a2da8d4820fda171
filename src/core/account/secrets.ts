import { createHash, randomBytes } from 'node:crypto';

/** 24 random bytes: 192 bits, well past brute force, in 32 URL-safe characters that need no escaping anywhere. */
export function generatePassword(): string {
  return randomBytes(24).toString('base64url');
}

/** Six base-36 characters (~31 bits): enough that two matrix legs of one run never pick the same tag. */
export function randomSuffix(): string {
  return (randomBytes(4).readUInt32BE(0) % 36 ** 6).toString(36).padStart(6, '0');
}

/**
 * What logs and the job summary show of a key: enough to tell two keys apart, and no piece of it (the runner masks no
 * fragment, and "the last four characters" is one). A hash of a 192-bit key gives nothing away.
 */
export function keyFingerprint(apiKey: string): string {
  return createHash('sha256').update(apiKey).digest('hex').slice(0, 8);
}

/** How a line names a key. */
export const keyByFingerprint = (apiKey: string): string => `the API key ${keyFingerprint(apiKey)} (a fingerprint, not part of the key)`;
