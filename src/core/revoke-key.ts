// Makes an API key worthless. LAR has no revoke call, but minting a new key invalidates the old one: log in
// again, mint a replacement, and let it go. The replacement is masked by the client and never returned.
import { keyFingerprint } from './account/secrets.ts';
import { AxiomError } from './errors.ts';
import type { LarAccount } from './flow.ts';
import type { LarApi } from './lar/client.ts';
import { type Connection, connectToLar } from './lar/connect.ts';

export class RevokeError extends AxiomError {}

/** The password is masked by the caller. */
export interface RevokeTarget extends Pick<LarAccount, 'baseUrl' | 'email' | 'password'> {
  readonly keyFingerprint: string;
}

/** Connects to the target's origin, ends its key, closes, and says so: how every door revokes. */
export async function connectAndRevoke(target: RevokeTarget, connection: Omit<Connection, 'baseUrl'>): Promise<void> {
  const client = connectToLar({ ...connection, baseUrl: target.baseUrl });
  try {
    await revokeKey(client, target.email, target.password, target.keyFingerprint);
  } finally {
    await client.close();
  }
  connection.info(`Revoked the API key of ${target.email}: a replacement was minted and discarded.`);
}

/** `handedOut`: the fingerprint of the key to end, so a server that mints the same key again is not taken for a revoke. */
export async function revokeKey(
  client: Pick<LarApi, 'login' | 'mintKey'>,
  email: string,
  password: string,
  handedOut: string,
): Promise<void> {
  // The password worked when the key was minted, but may have changed since: one login that may reach the server.
  const session = await client.login(email, password, { passwordProven: false });
  if (session.kind !== 'session') {
    throw new RevokeError(
      session.kind === 'blocked' ? 'blocked' : 'wrong-password',
      session.kind === 'blocked'
        ? 'login answered "blocked": the account is locked; no further login was sent'
        : 'login answered null: the password no longer works; no further login was sent',
    );
  }
  const replacement = await client.mintKey(session.token);
  if (keyFingerprint(replacement) === handedOut) {
    throw new RevokeError('server', 'key/create answered with the key handed out, not a new one: the server did not replace it');
  }
}
