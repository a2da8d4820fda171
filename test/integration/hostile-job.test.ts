// The shipped bundle in a job that works against it: a secret in the wrong input, a later step
// of the job that rewrites the post step's environment, a step that fails after minting, and a summary that must
// say how each call really ended.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, onTestFinished } from 'vitest';
import { useStandIn } from '../harness/fixture.ts';
import { errorOf, type StepRun, warningsOf } from '../harness/run-action.ts';
import { JobLog, splitLines } from '../harness/runner-log.ts';
import { TEST_HOST, TestProxy } from '../stand-in/proxy.ts';

const t = useStandIn();
const PIECE = 8;
const HANDOFF_SECRET = 'Q2h5vN8rT1wK6mZ3pL9sD4fG7jB0cX5e';

/** Everything the job shows of a step, masked by a runner that registered `secrets` before the first step. */
function shownWith(run: StepRun, secrets: readonly string[]): string[] {
  const log = new JobLog();
  for (const secret of secrets) log.masker.addMask(secret);
  const shown: string[] = [];
  for (const line of splitLines(run.stdout)) {
    const printed = log.read(line);
    if (printed !== undefined) shown.push(log.masker.mask([printed.text, ...Object.values(printed.command?.properties ?? {})].join(' ')));
  }
  for (const line of [...splitLines(run.summary), ...splitLines(run.stderr)]) shown.push(log.masker.mask(line));
  return shown;
}

const shippedText = readFileSync(new URL('../../dist/lib/index.js', import.meta.url), 'utf8');

/** The pieces of a secret the job shows, but for text the action prints on its own ("https://"). */
function piecesShown(texts: readonly string[], secret: string): string[] {
  const pieces: string[] = [];
  for (let i = 0; i + PIECE <= secret.length; i++) {
    const piece = secret.slice(i, i + PIECE);
    if (texts.some((text) => text.includes(piece)) && !shippedText.includes(piece)) pieces.push(piece);
  }
  return pieces;
}

describe('a secret passed in the wrong input', () => {
  // Markdown and JSON would escape some of these characters: an escaped copy is no longer the value the runner masks.
  const secret = 'Zr7_mT2v|Xk9*qP<w>a`Lb"Nc\\Yd';
  const long = `${secret}${'-s3cr3t'.repeat(20)}`;

  it.each([
    ['email', secret],
    ['email-tag', secret],
    ['timeout-seconds', secret],
    ['base-url', secret],
    ['language', secret],
    ['name', `${secret}.example.com`],
    ['mode', secret],
    ['email', long],
    ['base-url', `ftp://x/${long}`],
  ])("names '%s' and shows no piece of the value once the runner masks it", async (input, value) => {
    const run = await t.main(t.inputs({ [input]: value }));
    expect(run.exitCode).toBe(1);
    expect(errorOf(run)).toMatch(new RegExp(`'${input}'`));
    expect(t.server.requests).toEqual([]);
    const shown = shownWith(run, [value]);
    expect(shown.join('\n')).toContain(`'${input}'`);
    expect(piecesShown(shown, value)).toEqual([]);
  });
});

describe('a secret in an input that is used, not refused', () => {
  it('shows a secret email whole in the job summary, where the runner masks it (no Markdown escape inside it)', async () => {
    const email = 'qa_team*owner@yourco.com';
    t.server.seedUser(email, 'stored-password-0123');
    const run = await t.main(t.inputs({ email, mode: 'existing', password: 'stored-password-0123', 'revoke-on-exit': 'false' }));
    expect(run.exitCode, errorOf(run)).toBe(0);
    expect(run.summary).toContain(`| email | \`${email}\` |`);
    expect(piecesShown(shownWith(run, [email]), email)).toEqual([]);
  });

  it.each([
    ['a base-url in upper case', 'base-url', 'https://LAR-Secret-Host-abcdef.test.example'],
    ['a base-url with its default port', 'base-url', 'https://lar-secret-host-abcdef.test.example:443'],
    ['an email with spaces around it', 'email', '  padded-Secret-0123456789abcdef  '],
    ['a timeout with spaces around it', 'timeout-seconds', '  padded-Secret-0123456789abcdef  '],
  ])('quotes %s as given, or refuses it, never a normalised or trimmed piece', async (_, input, value) => {
    const run = await t.main(t.inputs({ [input]: value }));
    expect(run.exitCode).toBe(1);
    expect(t.server.requests).toEqual([]);
    expect(piecesShown(shownWith(run, [value]), value)).toEqual([]);
  });

  it('says in the summary that a step failed after it provisioned, next to the account', async () => {
    const run = await t.main(t.inputs(), { env: { GITHUB_OUTPUT: '/nonexistent/dir/output' } });
    expect(run.exitCode).toBe(1);
    expect(run.summary).toMatch(/\| account \| created by this run \|/);
    expect(run.summary).toMatch(/\*\*Failed:\*\*\n\n```\n/);
  });
});

describe('the post step, after a later step rewrote the job environment', () => {
  it('revokes as main planned, whatever STATE_ variables a later step appended to GITHUB_ENV', async () => {
    const main = await t.main(t.inputs());
    expect(main.exitCode, errorOf(main)).toBe(0);
    const forged = { STATE_handedOff: 'true', STATE_post: JSON.stringify({ kind: 'handed-off' }), STATE_revoke: '' };
    const post = await t.post(main, t.inputs(), { jobEnv: forged });
    expect(post.exitCode).toBe(0);
    expect(post.stdout).toMatch(/Revoked the API key of/);
    expect(t.server.keyOwner(main.outputs['api-key'] ?? '')).toBeUndefined();
  });

  it('sends no credentials when the job changed the CA file main trusted, and only warns', async () => {
    const ca = join(mkdtempSync(join(tmpdir(), 'axiom-provision-ca-')), 'ca.pem');
    onTestFinished(() => rmSync(dirname(ca), { recursive: true, force: true }));
    writeFileSync(ca, 'the CA main trusted');
    const main = await t.main(t.inputs(), { env: { NODE_EXTRA_CA_CERTS: ca } });
    expect(main.exitCode, errorOf(main)).toBe(0);
    writeFileSync(ca, 'a CA a later step wrote');
    const requests = t.server.requests.length;
    const post = await t.post(main, t.inputs(), { env: { NODE_EXTRA_CA_CERTS: ca } });
    expect(post.exitCode).toBe(0);
    expect(errorOf(post)).toBeUndefined();
    expect(warningsOf(post).join('\n')).toMatch(
      /the job changed the content of NODE_EXTRA_CA_CERTS after the main step.*no credentials were sent/,
    );
    expect(t.server.requests.length).toBe(requests);
    expect(t.server.keyOwner(main.outputs['api-key'] ?? '')).toMatchObject(t.accountOf(main));
    expect(post.summary).toMatch(/\*\*Key not revoked:\*\*/);
  });

  it.each([
    ['NODE_TLS_REJECT_UNAUTHORIZED', '0'],
    ['HTTP_PROXY', 'http://127.0.0.1:9'],
  ])('sends no credentials when the job set %s after main', async (name, value) => {
    const main = await t.main(t.inputs());
    const requests = t.server.requests.length;
    const post = await t.post(main, t.inputs(), { jobEnv: { [name]: value } });
    expect(post.exitCode).toBe(0);
    expect(warningsOf(post).join('\n')).toMatch(new RegExp(`the job changed ${name} after the main step`));
    expect(t.server.requests.length).toBe(requests);
    expect(t.server.keyOwner(main.outputs['api-key'] ?? '')).toMatchObject(t.accountOf(main));
  });
});

describe('the post step, after a later step set a proxy', () => {
  const tls = (name: string) => fileURLToPath(new URL(`../fixtures/tls/${name}`, import.meta.url));
  const https = useStandIn({ tls: { key: readFileSync(tls('server.key')), cert: readFileSync(tls('server.crt')) } });
  let proxy: TestProxy;
  let hostile: TestProxy;
  beforeEach(async () => {
    proxy = await new TestProxy().start();
    hostile = await new TestProxy().start();
  });
  afterEach(() => Promise.all([proxy.stop(), hostile.stop()]));

  it('never routes the password through it: no tunnel opened, a warning, and the key left working', async () => {
    const inputs = https.inputs({ 'base-url': https.server.url.replace('127.0.0.1', TEST_HOST) });
    const mainEnv = { NODE_EXTRA_CA_CERTS: tls('ca.crt'), HTTPS_PROXY: proxy.url };
    const main = await https.main(inputs, { env: mainEnv });
    expect(main.exitCode, errorOf(main)).toBe(0);
    const post = await https.post(main, inputs, { env: mainEnv, jobEnv: { https_proxy: hostile.url } });
    expect(post.exitCode).toBe(0);
    expect(warningsOf(post).join('\n')).toMatch(/the job changed https_proxy after the main step/);
    expect([...hostile.tunnels, ...hostile.forwarded]).toEqual([]);
    expect(https.server.keyOwner(main.outputs['api-key'] ?? '')).toMatchObject(https.accountOf(main));
    expect(post.stdout).not.toMatch(/Revoked/);
  });

  it('revokes through the proxy main used when nothing changed', async () => {
    const inputs = https.inputs({ 'base-url': https.server.url.replace('127.0.0.1', TEST_HOST) });
    const mainEnv = { NODE_EXTRA_CA_CERTS: tls('ca.crt'), HTTPS_PROXY: proxy.url };
    const main = await https.main(inputs, { env: mainEnv });
    const post = await https.post(main, inputs, { env: mainEnv });
    expect(post.stdout).toMatch(/Revoked/);
    expect(proxy.tunnels.length).toBe(2);
    expect(https.server.keyOwner(main.outputs['api-key'] ?? '')).toBeUndefined();
  });
});

describe('a main step that mints a key, then fails', () => {
  it('with a handoff: hands nothing off, and its post step revokes the key nobody holds', async () => {
    const run = await t.main(t.inputs({ 'handoff-secret': HANDOFF_SECRET }), { env: { GITHUB_OUTPUT: '/nonexistent/dir/output' } });
    expect(run.exitCode).toBe(1);
    expect(run.outputs.handoff).toBeUndefined();
    const [account] = [...t.server.users.values()];
    const minted = account?.apiKey ?? '';
    expect(minted).not.toBe('');
    const post = await t.post(run, t.inputs({ 'handoff-secret': HANDOFF_SECRET }));
    expect(post.exitCode).toBe(0);
    expect(post.stdout).toMatch(/Revoked the API key of/);
    expect(t.server.keyOwner(minted)).toBeUndefined();
  });

  it('with a handoff that was set: the post step leaves the key to the revoke sub-action', async () => {
    const run = await t.main(t.inputs({ 'handoff-secret': HANDOFF_SECRET }));
    expect(run.exitCode, errorOf(run)).toBe(0);
    await t.post(run, t.inputs({ 'handoff-secret': HANDOFF_SECRET }));
    expect(t.server.keyOwner(run.outputs['api-key'] ?? '')).toMatchObject(t.accountOf(run));
  });
});

describe('mode existing with revoke-on-exit', () => {
  it('refuses replace-key: false before any request, naming the inputs to change', async () => {
    t.server.seedUser('fixed@yourco.com', 'stored-password-0123');
    const run = await t.main(t.inputs({ email: 'fixed@yourco.com', mode: 'existing', password: 'stored-password-0123' }));
    expect(run.exitCode).toBe(1);
    expect(errorOf(run)).toMatch(
      /'revoke-on-exit' is true with mode existing, but 'replace-key' is false.*Set replace-key: true.*revoke-on-exit: false/,
    );
    expect(t.server.requests).toEqual([]);
  });

  it('works on every run with replace-key: true, each run ending its own key', async () => {
    t.server.seedUser('fixed@yourco.com', 'stored-password-0123');
    const inputs = t.inputs({ email: 'fixed@yourco.com', mode: 'existing', password: 'stored-password-0123', 'replace-key': 'true' });
    for (let run = 1; run <= 3; run++) {
      const main = await t.main(inputs);
      expect(main.exitCode, `run ${run}: ${errorOf(main)}`).toBe(0);
      await t.post(main, inputs);
      expect(t.server.keyOwner(main.outputs['api-key'] ?? '')).toBeUndefined();
    }
  });
});

describe('the job summary', () => {
  const existing = (password: string) => t.inputs({ email: 'fixed@yourco.com', mode: 'existing', password, 'revoke-on-exit': 'false' });

  it('says a login answered null, after the throttled answers it waited out, and agrees with the error', async () => {
    t.server.seedUser('fixed@yourco.com', 'stored-password-0123');
    t.server.inject('login', ...Array(3).fill({ kind: 'status', status: 429, retryAfter: '0' }));
    const run = await t.main(existing('a-wrong-password-0123'));
    expect(run.exitCode).toBe(1);
    expect(run.summary).toMatch(
      /\| login \| 4 \| \d+ ms \| `answered null: wrong email or password, after 3 throttled answers waited out` \|/,
    );
    expect(errorOf(run)).toMatch(/wrong email or password .*\(the server answered null\)\. No further login was sent/);
    expect(run.summary).not.toMatch(/\| login \|[^\n]*\| `ok/);
  });

  it('says a login answered "blocked"', async () => {
    t.server.seedUser('fixed@yourco.com', 'stored-password-0123', { failedLogins: 29 });
    const run = await t.main(existing('stored-password-0123'));
    expect(run.summary).toMatch(/\| login \| 1 \| \d+ ms \| `answered "blocked": the account is locked` \|/);
  });

  it('says how a call that failed ended, as the error does', async () => {
    t.server.inject('create', ...Array(4).fill({ kind: 'status', status: 500 }));
    const run = await t.main(t.inputs());
    expect(errorOf(run)).toMatch(/^create: the server answered HTTP 500 \(gave up after 4 failed attempts\)/);
    expect(run.summary).toMatch(
      /\| create \| 4 \| \d+ ms \| `failed: the server answered HTTP 500 \(gave up after 4 failed attempts\)` \|/,
    );
  });
});
