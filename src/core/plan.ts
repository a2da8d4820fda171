// What the core is asked to do, in its own terms. The action layer builds these from inputs (or from a handoff);
// the core never sees where they came from.

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
  /** Secret: the caller masks it before the plan reaches the core. */
  readonly password: string;
  readonly profile: Profile;
  /**
   * Whether the address was made up by this run (a generated tag with a random part), so that no account can have
   * held it before. Only then may a create whose answer was lost be recovered by logging in: a generated password
   * proves nothing about who owns an address, and a failed login there would count toward someone else's lockout.
   */
  readonly addressUniqueToRun: boolean;
  /** Mode existing: whether a key the account already has may be replaced (which invalidates it). */
  readonly replaceKey: boolean;
}

/** An account with a working key: what provisioning yields and what a handoff carries. */
export interface Account {
  readonly email: string;
  readonly userId: string;
  readonly apiKey: string;
  /** True when this run made the account (also when a lost create answer was recovered). */
  readonly created: boolean;
}
