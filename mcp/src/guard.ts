// What keeps an agent's loop from making an account worse, for the whole life of the server: the logins answered
// "wrong password" or "blocked", or not answered at all (never sent again), one call at a time per address (so a call made at the same
// moment sees the first one's outcome), and the number of accounts it may still create. Plain state, no I/O.
import type { LarAccount } from 'axiom-provision';

/**
 * Logins that must never be repeated with the same password: answered null or "blocked", or ended without an answer
 * after they may have reached LAR (which then may have counted them as failed).
 */
export type LoginRefusal = 'wrong-password' | 'blocked' | 'login-unanswered';

export interface MadeAccount {
  /** The account file, relative to the working directory; undefined when the account's answer was lost. */
  readonly file: string | undefined;
  /** What revoke_key logs in with: a file names the account, but an agent could have written another password into it. */
  readonly account: LarAccount | undefined;
}

export class Guard {
  readonly #refused = new Map<string, LoginRefusal>();
  readonly #tails = new Map<string, Promise<void>>();
  readonly #made: MadeAccount[] = [];
  #reserved = 0;
  readonly maxAccounts: number;

  constructor(maxAccounts: number) {
    this.maxAccounts = maxAccounts;
  }

  /** The refusal a login to this address got earlier in the server's life, if any. */
  refusalOf(address: string): LoginRefusal | undefined {
    return this.#refused.get(address.toLowerCase());
  }

  rememberRefusal(address: string, refusal: LoginRefusal): void {
    this.#refused.set(address.toLowerCase(), refusal);
  }

  /** Runs `work` once every earlier call for the same address has ended. */
  async oneAtATime<T>(address: string, work: () => Promise<T>): Promise<T> {
    const key = address.toLowerCase();
    const before = this.#tails.get(key) ?? Promise.resolve();
    let done = (): void => undefined;
    const tail = before.then(() => new Promise<void>((resolve) => (done = resolve)));
    this.#tails.set(key, tail);
    await before;
    try {
      return await work();
    } finally {
      done();
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    }
  }

  /**
   * Takes one account from the budget, before the create is sent: a create whose answer is lost may still have made
   * the account, so it counts until it is proven that nothing was made. False: none is left.
   */
  reserveAccount(): boolean {
    if (this.#reserved + this.#made.length >= this.maxAccounts) return false;
    this.#reserved++;
    return true;
  }

  /** Gives the reservation back: the call provably made no account (bad input, or LAR refused the create). */
  releaseAccount(): void {
    this.#reserved--;
  }

  /** Turns a reservation into an account made (or possibly made, when its answer was lost). */
  accountMade(account: MadeAccount): void {
    this.#reserved--;
    this.#made.push(account);
  }

  /** Creates sent and not yet answered. */
  get inFlight(): number {
    return this.#reserved;
  }

  /** The accounts this server made or may have made, oldest first. */
  get made(): readonly MadeAccount[] {
    return this.#made;
  }
}
