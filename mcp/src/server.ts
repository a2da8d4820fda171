// The tools an agent sees. Each result carries its data twice, as text and as structuredContent (the same object),
// and never a secret: the key and the password go to a 0600 file in the working directory, and the result names the
// variables written. Every failure is a result (isError, a stable code, one message), never a thrown stack.
import { lstatSync } from 'node:fs';
import { createRequire } from 'node:module';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import {
  ACCOUNT_FILE_VARIABLES,
  AxiomError,
  claimAccountFile,
  dotenvProblem,
  type FailureCode,
  isStill,
  keyFingerprint,
  type LarAccount,
  plusAddress,
  provision,
  readAccountFile,
  removeAccountFile,
  revoke,
} from 'axiom-provision';
import { z } from 'zod';
import { Guard, type LoginRefusal } from './guard.ts';
import type { Launch } from './launch.ts';
import { DEFAULT_FILE, existingFileIn, isStillInside, keepOutOfGit, type Place, placeIn } from './place.ts';

export interface Surroundings {
  /** Progress lines, for stderr: never a secret. */
  readonly log: (line: string) => void;
  /** Where proxy and CI variables are read. */
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** A code beyond the library's: this server's own refusal. */
type Code = FailureCode | 'account-limit' | 'login-unanswered' | 'internal';

const VERSION = (createRequire(import.meta.url)('../package.json') as { version: string }).version;

const text = (max: number) => z.string().max(max);
const FILE = text(200).describe(`The account file, relative to the working directory (default ${DEFAULT_FILE}).`);
const OUTCOME = {
  ok: z.boolean().describe('false on an error, which also sets isError'),
  message: z.string().describe('What happened, in one sentence or a few; never a secret'),
  code: z
    .string()
    .optional()
    .describe('On an error: its stable code (input, wrong-password, blocked, login-unanswered, account-limit, network, …)'),
};
const ACCOUNT = {
  email: z.string().optional(),
  userId: z.string().optional(),
  baseUrl: z.string().optional(),
  created: z.boolean().optional().describe('true when the account was created by a provision_account call, false for the stored account'),
  file: z.string().optional(),
  keyFingerprint: z.string().optional().describe('8 hex digits of a hash of the API key: tells keys apart, and is no piece of one'),
};

const PROVISION_INPUT = z
  .object({
    mode: z
      .enum(['create', 'existing'])
      .optional()
      .describe(
        'create: a new account (default when the server has no stored account). existing: the stored account the person configured.',
      ),
    email: text(254)
      .optional()
      .describe('Mode create, only when the server was started without --email: the base mailbox, which gets a plus tag.'),
    emailTag: text(64).optional().describe('Mode create: the plus tag; absent or empty: one unique to this call is generated.'),
    name: text(256).optional().describe('Profile: plain words (LAR refuses a name that looks like a URL or an email address).'),
    company: text(256).optional(),
    country: text(256).optional(),
    role: text(256).optional(),
    campaign: text(256).optional().describe('Signup attribution (default axiom-provision-mcp).'),
    language: text(35).optional().describe('A BCP 47 tag (default en-GB).'),
    replaceKey: z.boolean().optional().describe('Mode existing: may replace a key the account already has, which stops that key at once.'),
    file: FILE.optional(),
  })
  .strict();
const PROVISION_OUTPUT = z.object({
  ...OUTCOME,
  ...ACCOUNT,
  variables: z.array(z.string()).optional().describe('The names of the variables written to the file; never their values'),
  gitignore: z
    .string()
    .optional()
    .describe('Where a line was added to keep the file out of git (the .gitignore beside it, and the line), when one was'),
});
const FILE_INPUT = z.object({ file: FILE.optional() }).strict();
const DESCRIBE_OUTPUT = z.object({
  ...OUTCOME,
  ...ACCOUNT,
  writtenAt: z.string().optional().describe('When the file was last written (ISO 8601)'),
  sameOrigin: z.boolean().optional().describe('Whether the account lives on the LAR origin this server uses'),
});
const REVOKE_OUTPUT = z.object({ ...OUTCOME, email: z.string().optional(), file: z.string().optional() });

/** Creates that made no account: the reservation goes back to the budget. */
// The core answers email-exists only when no earlier attempt reached LAR: after one that did (lost, a 5xx, a 429),
// the account may be this call's, and the error is unknown-owner (a fixed tag) or the account is recovered.
const NOTHING_MADE: ReadonlySet<string> = new Set(['input', 'email-exists']);

/** Whether a failure leaves a login that must not be sent again, and why. */
function loginRefusalOf(error: unknown): LoginRefusal | undefined {
  if (!(error instanceof AxiomError)) return undefined;
  if (error.code === 'wrong-password' || error.code === 'blocked') return error.code;
  // The library's LAR errors name their call. A login that ended without a usable answer (lost, timed out, a 5xx,
  // cancelled) may have been counted as failed: one more with a wrong password would be a second.
  return (error as { call?: unknown }).call === 'login' ? 'login-unanswered' : undefined;
}

const CREATES_STOPPED =
  'An earlier call created an account, and the login with the password it had just set was then refused or went unanswered, which LAR does not do: this server sends no further create while it runs. A person must check the LAR origin (--base-url) and restart the server. No request was sent.';

const FIX_AND_RESTART =
  'No login to this address is sent again while this server runs: a person must check the password (the one --password-env names, or the one in the account file), have LAR support unlock a blocked account, and then restart the server.';

/** What a later call is told about an address whose login must not be sent again. */
const remembered = (address: string, refusal: LoginRefusal): string =>
  refusal === 'login-unanswered'
    ? `An earlier login to ${address} may have reached LAR without an answer, and may have counted as failed. ${FIX_AND_RESTART}`
    : `An earlier login to ${address} was refused (${refusal}). ${FIX_AND_RESTART}`;

type Data = { ok: boolean; message: string; code?: Code } & Record<string, unknown>;

function result(data: Data): CallToolResult {
  return { content: [{ type: 'text', text: JSON.stringify(data, null, 2) }], structuredContent: data, ...(!data.ok && { isError: true }) };
}

/** A refusal of this server's own, or the library's error: its code and message, which hold no secret by design. */
class Refusal extends Error {
  readonly code: Code;
  constructor(code: Code, message: string) {
    super(message);
    this.code = code;
  }
}

export function createServer(launch: Launch, { log, env }: Surroundings): McpServer {
  const guard = new Guard(launch.maxAccounts);
  // Fired once a login right behind this server's own create is refused or unanswered: LAR takes the password it was
  // just given, so a server that does not is no LAR to send more signups to. Creates still running stop too.
  const createsStopped = new AbortController();
  const server = new McpServer({ name: 'axiom-provision-mcp', version: VERSION });

  /** Runs a tool's work; anything it throws becomes an error result, and only our own messages are shown. */
  const tool =
    <A>(work: (args: A, signal: AbortSignal) => Promise<Data>) =>
    async (args: A, extra: { signal: AbortSignal }): Promise<CallToolResult> => {
      try {
        return result(await work(args, extra.signal));
      } catch (error) {
        if (error instanceof Refusal || error instanceof AxiomError) return result({ ok: false, code: error.code, message: error.message });
        log(`unexpected ${error instanceof Error ? error.name : typeof error} (not shown: it could hold a secret)`);
        return result({ ok: false, code: 'internal', message: 'An unexpected error stopped the call; its details are not shown.' });
      }
    };

  /**
   * Runs `work` after every earlier call on the address, unless one of them got a login refused, or this call was
   * cancelled while it waited: a login sent with a cancelled signal would end unanswered, and be remembered as such.
   * A login `work` gets refused is remembered for the server's life.
   */
  const afterOthersOn = <T>(address: string, signal: AbortSignal, work: () => Promise<T>): Promise<T> =>
    guard.oneAtATime(address, async () => {
      if (signal.aborted) throw new Refusal('aborted', `Cancelled while it waited for another call on ${address}. No request was sent.`);
      const earlier = guard.refusalOf(address);
      if (earlier !== undefined) throw new Refusal(earlier, remembered(address, earlier));
      try {
        return await work();
      } catch (error) {
        const refusal = loginRefusalOf(error);
        if (refusal === undefined) throw error;
        guard.rememberRefusal(address, refusal);
        throw new Refusal((error as AxiomError).code, `${(error as AxiomError).message} ${FIX_AND_RESTART}`);
      }
    });

  /** An address the file cannot hold is refused before any request, not after the account is made. */
  const refuseUnwritable = (address: string): void => {
    const problem = dotenvProblem(address);
    if (problem !== undefined) throw new Refusal('input', `'email' ${problem}, so no account file could hold it. No request was sent.`);
  };

  /**
   * Claims the file, keeps it out of git, provisions, and writes the account; the file is removed on any failure.
   * `made` is told as soon as an account exists: from then on, a failure must not give the budget back.
   */
  const provisionInto = async (
    place: Place,
    options: Parameters<typeof provision>[0],
    made: (account: LarAccount) => void = () => undefined,
  ): Promise<{ account: LarAccount; gitignore?: string }> => {
    const file = claimAccountFile(place.path);
    let written = false;
    try {
      // A folder swapped for a link between the check and the create would have put the file elsewhere.
      if (!isStillInside(launch.dir, place.path)) {
        throw new Refusal(
          'input',
          `${place.file} is no longer inside the working directory (a folder on its path changed). No request was sent.`,
        );
      }
      const gitignore = keepOutOfGit(place);
      const account = await provision(options);
      made(account);
      try {
        file.write(account);
      } catch {
        throw new Refusal(
          'internal',
          `${account.email} was made, but ${place.file} could not be written; its key is lost. The account counts toward --max-accounts.`,
        );
      }
      written = true;
      return { account, ...(gitignore !== undefined && { gitignore }) };
    } finally {
      if (!written) file.abandon();
    }
  };

  const provisioned = (account: LarAccount, place: Place, gitignore: string | undefined): Data => ({
    ok: true,
    message:
      `${account.created ? 'Created' : 'Logged in to'} ${account.email} and wrote its API key to ${place.file} (mode 0600)` +
      `${gitignore === undefined ? '' : ` (git ignores it: ${gitignore})`}. Do not print or read back that file: load it where the key is needed (node --env-file=${place.file}). Revoke the key with revoke_key when done.`,
    email: account.email,
    userId: account.userId,
    baseUrl: account.baseUrl,
    created: account.created,
    file: place.file,
    variables: [...ACCOUNT_FILE_VARIABLES],
    keyFingerprint: keyFingerprint(account.apiKey),
    ...(gitignore !== undefined && { gitignore }),
  });

  const common = { baseUrl: launch.baseUrl, env, log };

  server.registerTool(
    'provision_account',
    {
      title: 'Provision a LAR account',
      description:
        'Gets a LAR (lar.axiom.ai) account and its API key, and writes them to an account file in the working directory ' +
        `(dotenv, mode 0600, never overwriting a file; default ${DEFAULT_FILE}; added to .gitignore in a git work tree). ` +
        'Returns the names of the variables written, never a value. Never print, cat or read back the file: load it into the ' +
        'program that needs the key. Mode create signs up a new account, and LAR sends a welcome email to its address; this ' +
        'server creates only as many accounts as its launch configuration allows, so reuse an account file (describe_account) ' +
        'before making another. Mode existing logs in to the stored account the person configured. A login refused as a wrong ' +
        'password or a locked account is never sent again: a person must fix it. Revoke the key with revoke_key when done.',
      inputSchema: PROVISION_INPUT,
      outputSchema: PROVISION_OUTPUT,
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
    },
    tool(async (args: z.infer<typeof PROVISION_INPUT>, signal) => {
      const { mode = launch.password === undefined ? 'create' : 'existing', file = DEFAULT_FILE, email, replaceKey, ...profile } = args;
      if (email !== undefined && launch.email !== undefined) {
        throw new Refusal(
          'input',
          `'email' is not taken: this server works for the address it was started with (--email). No request was sent.`,
        );
      }
      if (mode === 'existing') {
        const address = launch.email;
        if (launch.password === undefined || address === undefined) {
          throw new Refusal(
            'input',
            `mode existing needs a stored account, which only the person who starts the server configures (--email and --password-env); this server has none. No request was sent.`,
          );
        }
        if (replaceKey === true && !launch.replaceKey) {
          throw new Refusal(
            'input',
            `'replaceKey' is taken only when the person who starts the server allows it (--replace-key): a new key stops the stored account's key at once. No request was sent.`,
          );
        }
        refuseUnwritable(address);
        return afterOthersOn(address, signal, async () => {
          const place = placeIn(launch.dir, file);
          try {
            const { account, gitignore } = await provisionInto(place, {
              ...common,
              ...profile,
              email: address,
              password: launch.password,
              mode: 'existing',
              ...(replaceKey !== undefined && { replaceKey }),
              signal,
            });
            return provisioned(account, place, gitignore);
          } catch (error) {
            if (error instanceof AxiomError && error.code === 'key-exists') {
              throw new Refusal(
                'key-exists',
                `${address} already has an API key, and a new one would stop it at once, so no key was minted. Reuse the account file that holds it, or ask the person who runs this server whether it may be replaced (--replace-key).`,
              );
            }
            throw error;
          }
        });
      }
      const base = launch.email ?? email;
      if (base === undefined) {
        throw new Refusal('input', `'email' is required: the base mailbox the new account's address is made from. No request was sent.`);
      }
      refuseUnwritable(base);
      const place = placeIn(launch.dir, file);
      const create = async (): Promise<Data> => {
        if (createsStopped.signal.aborted) throw new Refusal('account-limit', CREATES_STOPPED);
        if (!guard.reserveAccount()) throw new Refusal('account-limit', budgetSpent(guard));
        let made = false;
        try {
          const { account, gitignore } = await provisionInto(
            place,
            {
              ...common,
              campaign: 'axiom-provision-mcp',
              ...profile,
              email: base,
              mode: 'create',
              signal: AbortSignal.any([signal, createsStopped.signal]),
            },
            (account) => {
              made = true;
              guard.accountMade({ file: place.file, account });
            },
          );
          return provisioned(account, place, gitignore);
        } catch (error) {
          // Stopped by another call's refused login, not by this call's client.
          const stoppedByAnother = createsStopped.signal.aborted && !signal.aborted;
          if (loginRefusalOf(error) !== undefined) createsStopped.abort();
          if (!made) {
            if ((error instanceof AxiomError || error instanceof Refusal) && NOTHING_MADE.has(error.code)) guard.releaseAccount();
            else guard.accountMade({ file: undefined, account: undefined });
          }
          if (stoppedByAnother) throw new Refusal('account-limit', CREATES_STOPPED);
          throw error;
        }
      };
      // A generated tag is new to each call; a fixed one names one address (trimmed, as the library reads it), whose
      // calls wait for each other.
      const tag = profile.emailTag?.trim();
      const fixed = tag ? plusAddress(base.trim(), tag) : undefined;
      return fixed === undefined ? create() : afterOthersOn(fixed, signal, create);
    }),
  );

  server.registerTool(
    'describe_account',
    {
      title: 'Describe an account file',
      description:
        'Reads an account file in the working directory and returns its email, user id, LAR origin, whether it was created by ' +
        'this tooling, when the file was written, and a fingerprint of its key; never a secret. Use it to reuse an account ' +
        'before provisioning another.',
      inputSchema: FILE_INPUT,
      outputSchema: DESCRIBE_OUTPUT,
      annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    },
    tool(async ({ file = DEFAULT_FILE }: z.infer<typeof FILE_INPUT>) => {
      const place = existingFileIn(launch.dir, file);
      const account = readAccountFile(place.path);
      // The origin only: a URL someone wrote into the file could carry a user name and password.
      const origin = originOf(account.baseUrl) ?? '(not a URL)';
      const sameOrigin = origin === launch.baseUrl;
      return {
        ok: true,
        message: `${place.file} holds ${account.email} (user ${account.userId}) on ${origin}${sameOrigin ? '' : ", not this server's LAR origin"}. Its secrets stay in the file.`,
        email: account.email,
        userId: account.userId,
        baseUrl: origin,
        created: account.created,
        file: place.file,
        keyFingerprint: keyFingerprint(account.apiKey),
        writtenAt: lstatSync(place.path).mtime.toISOString(),
        sameOrigin,
      };
    }),
  );

  server.registerTool(
    'revoke_key',
    {
      title: "Revoke an account file's API key",
      description:
        'Makes the API key in an account file worthless, as `axiom-provision revoke --from FILE` does (LAR has no revoke call: ' +
        'it logs in once and mints a replacement key that it discards), then removes the file if it holds nothing else. The account itself stays: LAR ' +
        'cannot delete it. Call it when the work that needed the key is done.',
      inputSchema: FILE_INPUT,
      outputSchema: REVOKE_OUTPUT,
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
    },
    tool(async ({ file = DEFAULT_FILE }: z.infer<typeof FILE_INPUT>, signal) => {
      const place = existingFileIn(launch.dir, file);
      const before = lstatSync(place.path);
      const account = readAccountFile(place.path);
      if (originOf(account.baseUrl) !== launch.baseUrl) {
        throw new Refusal(
          'input',
          `${place.file} names another LAR origin than this server's (--base-url ${launch.baseUrl}); credentials go to no other. No request was sent.`,
        );
      }
      // Only an account this server made, or the stored one it was started for (ending its key replaces it, which is
      // the person's to allow: --replace-key), and with the password the server knows: a file anyone wrote must not
      // send a login to an address the person never named, nor try a password of its own.
      const stored =
        launch.password !== undefined && launch.replaceKey && account.email === launch.email
          ? { ...account, email: launch.email, password: launch.password, baseUrl: launch.baseUrl }
          : undefined;
      const known = stored ?? guard.made.find((made) => made.account?.email === account.email)?.account;
      if (known === undefined) {
        throw new Refusal(
          'input',
          `${place.file} holds ${account.email}, an account this server did not make (and whose key it was not allowed to replace); a person can end its key with npx axiom-provision revoke --from ${place.file}. No request was sent.`,
        );
      }
      return afterOthersOn(account.email, signal, async () => {
        // A call made at the same moment may have revoked this key and removed the file while this one waited.
        if (!isStill(place.path, before)) {
          throw new Refusal(
            'input',
            `${place.file} was removed or replaced while this call waited for another on ${account.email}. No request was sent.`,
          );
        }
        await revoke(known, { env, log, signal });
        const fate = removeAccountFile(place.path, before, place.file);
        return {
          ok: true,
          message: `Revoked the API key of ${account.email}; ${fate}. The account stays (LAR cannot delete one).`,
          email: account.email,
          file: place.file,
        };
      });
    }),
  );

  return server;
}

function budgetSpent(guard: Guard): string {
  const files = guard.made.flatMap((account) => (account.file === undefined ? [] : [account.file]));
  const lost = guard.made.length - files.length;
  const where = [
    ...(files.length > 0 ? [`it wrote ${files.join(', ')}`] : []),
    ...(lost > 0 ? [`${lost} create${lost === 1 ? '' : 's'} ended without proof that no account was made, with no file`] : []),
    ...(guard.inFlight > 0 ? [`${guard.inFlight} create${guard.inFlight === 1 ? ' is' : 's are'} still running`] : []),
  ].join('; ');
  return (
    `This server may create ${guard.maxAccounts} account${guard.maxAccounts === 1 ? '' : 's'} in its lifetime (--max-accounts, set by the person who started it), ` +
    `and that is spent${where === '' ? '' : `: ${where}`}. Reuse an account file (describe_account reads one without a secret), or ask the person to restart the server with a higher --max-accounts. No request was sent.`
  );
}

function originOf(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}
