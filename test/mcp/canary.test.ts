// The canary: every tool through success and every failure path, with secrets known in advance and every secret the
// stand-in issued or received. None of them, and no 8 characters of one, may show in anything the client received
// (results, errors, notifications) or anything the server logged.
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { startStandIn } from '../stand-in/lar-server.ts';
import { type Session, secretsShown, startSession } from './harness.ts';

// Random, so that no piece of one is a word the server may print on its own ("password", "wrong-pa").
const secret = (): string => randomBytes(24).toString('base64url');
const STORED_PASSWORD = secret();
const HANDOFF_SECRET = secret();

it('no secret, nor any piece of one, reaches the client or the log on any path of any tool', async () => {
  const server = await startStandIn();
  server.seedUser('stored@yourco.com', STORED_PASSWORD, { apiKey: true });
  const env = { LAR_PASSWORD: STORED_PASSWORD, WRONG_PASSWORD: secret(), AXIOM_HANDOFF_SECRET: HANDOFF_SECRET };
  const sessions: Session[] = [];
  const open = async (args: string[]): Promise<Session> => {
    const session = await startSession(server, { args, env });
    sessions.push(session);
    return session;
  };
  const codes: unknown[] = [];
  const call = async (session: Session, name: string, args: Record<string, unknown> = {}): Promise<void> => {
    const result = await session.call(name, args);
    codes.push(result.isError ? ((result.structuredContent as { code?: string } | undefined)?.code ?? 'schema') : 'ok');
  };
  try {
    // Mode create: success, describe, revoke, a budget refusal, and the arguments the schema refuses.
    const create = await open(['--email', 'qa@yourco.com', '--max-accounts', '3']);
    await create.client.listTools();
    await call(create, 'provision_account', { name: 'Canary' });
    await call(create, 'describe_account');
    await call(create, 'revoke_key');
    await call(create, 'provision_account', {
      password: HANDOFF_SECRET,
      handoffSecret: HANDOFF_SECRET,
      baseUrl: `https://x.example/${HANDOFF_SECRET}`,
    });
    await call(create, 'provision_account', { file: `../${HANDOFF_SECRET}` });
    // LAR's own refusals, a hostile server echoing the request (password included), a lost answer, an unusable token.
    server.inject('create', { kind: 'echo-status' });
    await call(create, 'provision_account', { file: 'echo.env' });
    server.inject('create', { kind: 'lost' });
    await call(create, 'provision_account', { file: 'lost.env', emailTag: 'fixed-tag' });
    await call(create, 'provision_account', { file: 'over.env' });
    const unsafe = await open(['--email', 'qa@yourco.com']);
    server.inject('login', { kind: 'unsafe-token', variant: 'newline' });
    await call(unsafe, 'provision_account', { file: 'unsafe.env' });

    // Mode existing: a key that may not be replaced, success, a file with a forged password (never sent), a wrong password.
    const existing = await open(['--email', 'stored@yourco.com', '--password-env', 'LAR_PASSWORD', '--replace-key']);
    await call(existing, 'provision_account', { file: 'stored.env' });
    await call(existing, 'provision_account', { file: 'stored.env', replaceKey: true });
    await call(existing, 'describe_account', { file: 'stored.env' });
    await call(existing, 'describe_account', { file: 'missing.env' });
    await call(existing, 'revoke_key', { file: 'stored.env' });
    writeFileSync(
      join(existing.dir, 'forged.env'),
      `AXIOM_API_KEY=axm_forged\nAXIOM_EMAIL=stored@yourco.com\nAXIOM_USER_ID=1\nAXIOM_PASSWORD=${env.WRONG_PASSWORD}\nAXIOM_BASE_URL=${server.url}\nAXIOM_CREATED=true\n`,
    );
    await call(existing, 'revoke_key', { file: 'forged.env' });
    const wrong = await open(['--email', 'stored@yourco.com', '--password-env', 'WRONG_PASSWORD']);
    await call(wrong, 'provision_account');
    await call(wrong, 'provision_account');
    // A login whose answer is lost, and every call after it.
    server.seedUser('other@yourco.com', secret());
    const unanswered = await open(['--email', 'other@yourco.com', '--password-env', 'WRONG_PASSWORD']);
    server.inject('login', { kind: 'lost' });
    await call(unanswered, 'provision_account');
    await call(unanswered, 'provision_account');
  } finally {
    for (const session of sessions) await session.close();
    await server.stop();
  }
  // Each path above ended as intended, so the check below judged them all.
  expect(codes).toEqual([
    'ok',
    'ok',
    'ok',
    'schema',
    'input',
    'refused',
    'unknown-owner',
    'account-limit',
    'server',
    'key-exists',
    'ok',
    'ok',
    'input',
    'ok',
    'ok',
    'wrong-password',
    'wrong-password',
    'network',
    'login-unanswered',
  ]);
  const secrets = [...server.secrets, STORED_PASSWORD, HANDOFF_SECRET];
  expect(server.secrets.size).toBeGreaterThan(8);
  const seen = sessions.flatMap((session) => [...session.received, ...session.logs]).join('\n');
  expect(secretsShown(seen, secrets)).toEqual([]);
});
