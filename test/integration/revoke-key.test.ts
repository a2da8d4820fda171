// connectAndRevoke, the one way every door ends a key, from src/ against the stand-in over a real connection.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { keyFingerprint } from '../../src/core/account/secrets.ts';
import { connectAndRevoke } from '../../src/core/revoke-key.ts';
import { type StandInLar, startStandIn } from '../stand-in/lar-server.ts';

const PASSWORD = 'a-password-only-this-test-knows';

let lar: StandInLar;
beforeEach(async () => {
  lar = await startStandIn();
});
afterEach(() => lar.stop());

function surroundings() {
  const masked: string[] = [];
  const lines: string[] = [];
  const connection = {
    timeoutMs: 10_000,
    env: {},
    mask: (secret: string) => void masked.push(secret),
    debug: (line: string) => void lines.push(line),
    info: (line: string) => void lines.push(line),
  };
  return { masked, lines, connection };
}

describe('connectAndRevoke', () => {
  it('ends the handed-out key over one connection, masks the replacement before any line, and says so', async () => {
    const user = lar.seedUser('qa@yourco.com', PASSWORD, { apiKey: true });
    const handedOut = user.apiKey ?? '';
    const { masked, lines, connection } = surroundings();

    await connectAndRevoke(
      { baseUrl: lar.url, email: user.email, password: PASSWORD, keyFingerprint: keyFingerprint(handedOut) },
      connection,
    );

    expect(lar.keyOwner(handedOut)).toBeUndefined();
    const replacement = user.apiKey ?? '';
    expect(user.keys).toEqual([handedOut, replacement]);
    expect(masked).toContain(replacement);
    expect(lines.join('\n')).not.toContain(replacement);
    expect(lines.at(-1)).toBe('Revoked the API key of qa@yourco.com: a replacement was minted and discarded.');
    expect(lar.requests.map((request) => request.route)).toEqual(['login', 'key/create']);
    expect(lar.connections).toBe(1);
  });

  it('sends one login and nothing more when the password no longer works, and says nothing was revoked', async () => {
    const user = lar.seedUser('qa@yourco.com', PASSWORD, { apiKey: true });
    const handedOut = user.apiKey ?? '';
    const { lines, connection } = surroundings();

    await expect(
      connectAndRevoke(
        { baseUrl: lar.url, email: user.email, password: `${PASSWORD}-old`, keyFingerprint: keyFingerprint(handedOut) },
        connection,
      ),
    ).rejects.toMatchObject({ code: 'wrong-password' });

    expect(lar.requests.map((request) => request.route)).toEqual(['login']);
    expect(user.failedLoginsCounted).toBe(1);
    expect(lar.keyOwner(handedOut)?.id).toBe(user.id);
    expect(lines.join('\n')).not.toContain('Revoked');
  });
});
