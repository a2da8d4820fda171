// The documented flow, create → login → (has-existing) → key, and every decision that protects the account.
// It talks to LAR only through the client, so it runs unchanged against the stand-in and the property tests' model.
import { AxiomError } from './errors.ts';
import { renameInputs } from './inputs.ts';
import type { LarApi } from './lar/client.ts';
import { CREATE_STATUS, type LoginAnswer } from './lar/responses.ts';

export type Mode = 'create' | 'existing';

export interface Profile {
  readonly name: string;
  readonly company: string;
  readonly country: string;
  readonly role: string;
  readonly campaign: string;
  readonly language: string;
}

export interface ProvisionPlan {
  readonly mode: Mode;
  /** The address the run signs up (create: the base, plus-tagged) or logs in to (existing: exactly as given). */
  readonly email: string;
  /** Secret: masked before the plan reaches the core. */
  readonly password: string;
  readonly profile: Profile;
  /**
   * Made up by this run (a generated tag with a random part): only then may a lost create be recovered by logging in.
   * A generated password proves nothing about who owns an address, and a failed login counts toward its owner's lockout.
   */
  readonly addressUniqueToRun: boolean;
  readonly replaceKey: boolean;
  readonly baseUrl: string;
}

/** An account with a working key: what every door hands out, and what a handoff carries. The API key and the password are secrets. */
export interface LarAccount {
  readonly email: string;
  readonly userId: string;
  readonly apiKey: string;
  readonly password: string;
  /** True when this run made the account (also when a lost create answer was recovered), false in mode existing. */
  readonly created: boolean;
  /** The origin the account lives on: revoking talks to it again. */
  readonly baseUrl: string;
}

/** A refusal the user can act on: the message says what happened and what to do, naming inputs as 'email-tag'. */
export class ProvisionError extends AxiomError {
  renamed(nameOf: (input: string) => string): ProvisionError {
    return new ProvisionError(this.code, renameInputs(this.message, nameOf));
  }
}

export async function runFlow(plan: ProvisionPlan, client: LarApi, log: (line: string) => void): Promise<LarAccount> {
  const { email, password } = plan;
  let createdId: string | undefined;
  let recovering = false;

  if (plan.mode === 'create') {
    log(`Creating ${email}`);
    const { value: answer, earlierAttemptSent } = await client.create(plan.profile, email, password);
    if (answer.kind === 'created') {
      createdId = answer.userId;
    } else if (answer.status === CREATE_STATUS.emailExists && earlierAttemptSent) {
      // An earlier attempt may have made the account. That proves nothing about who made it unless no account
      // could have held this address before the run.
      if (!plan.addressUniqueToRun) {
        throw new ProvisionError(
          'unknown-owner',
          `create: an earlier attempt got no usable answer, and ${email} now exists. With a fixed 'email-tag', an earlier run ` +
            `or another matrix leg may hold that account, so there is no telling whether this run made it, and no login was sent to it. ` +
            `Leave 'email-tag' empty, so that the address is unique to each run.`,
        );
      }
      recovering = true;
      log(`An earlier create attempt got no usable answer and ${email} now exists; logging in once to check that it is this run's account`);
    } else {
      throw refusedCreate(answer.status, email);
    }
  }

  log(`Logging in as ${email}`);
  const session = await client.login(email, password, { passwordProven: createdId !== undefined });
  if (session.kind !== 'session') throw refusedLogin(session, email, recovering);
  if (createdId !== undefined && createdId !== session.userId) {
    throw new ProvisionError(
      'wrong-account',
      `login: the server logged in user ${session.userId}, but create made user ${createdId}; stopping before minting a key for the wrong account`,
    );
  }

  if (plan.mode === 'existing' || recovering) {
    const hasKey = await client.hasExistingKey(session.token);
    if (hasKey && recovering) {
      throw new ProvisionError(
        'unknown-owner',
        `${email} already has an API key, so it is not an account this run's create made (a new account has none). ` +
          `No key was minted, so that key keeps working. Leave 'email-tag' empty to get an address unique to each run.`,
      );
    }
    if (hasKey && !plan.replaceKey) {
      throw new ProvisionError(
        'key-exists',
        `${email} already has an API key. Minting a new one would invalidate it at once and break every integration that uses it, so no key was minted. ` +
          `If that key is yours to replace, set 'replace-key' to true.`,
      );
    }
    if (hasKey) log(`Replacing the existing API key of ${email}, as 'replace-key' allows`);
  }

  const apiKey = await client.mintKey(session.token);
  return { email, userId: session.userId, apiKey, password, baseUrl: plan.baseUrl, created: createdId !== undefined || recovering };
}

function refusedCreate(status: string, email: string): ProvisionError {
  switch (status) {
    case CREATE_STATUS.emailExists:
      return new ProvisionError(
        'email-exists',
        `create: ${email} is already registered, and not by this run, so no login was sent to it. ` +
          `Set a different 'email-tag' (or leave it empty to generate one), or use 'mode' existing with that account's password.`,
      );
    case CREATE_STATUS.nameLooksLikeUrl:
      return new ProvisionError(
        'refused',
        `create: LAR refused the input 'name' because it looks like a URL or email address. Use plain words, such as "CI Test User".`,
      );
    case CREATE_STATUS.disposable:
      return new ProvisionError(
        'refused',
        `create: LAR refuses the domain of ${email} as an anonymous (disposable) email provider. Set 'email' to a mailbox on a domain you own.`,
      );
    default:
      // Server text is never quoted: a server that echoes the request would show the password.
      return new ProvisionError(
        'refused',
        `create: LAR refused the account with a status its API page does not list (${status.length} characters, not shown: server text may echo a secret).`,
      );
  }
}

function refusedLogin(answer: Exclude<LoginAnswer, { kind: 'session' }>, email: string, recovering: boolean): ProvisionError {
  if (answer.kind === 'blocked') {
    return new ProvisionError(
      'blocked',
      `login: ${email} is locked ("blocked") after 29 failed logins. It stays locked until LAR support resets it; no further login was sent.`,
    );
  }
  if (recovering) {
    return new ProvisionError(
      'unknown-owner',
      `login: ${email} exists but this run's password does not open it, so someone else registered it. No other login was sent. ` +
        `Set a different 'email-tag' (or leave it empty to generate one).`,
    );
  }
  return new ProvisionError(
    'wrong-password',
    `login: wrong email or password for ${email} (the server answered null). No further login was sent: every failed login counts toward the 29 that lock the account.`,
  );
}
