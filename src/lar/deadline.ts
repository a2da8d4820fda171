/** The bound on the whole step: every wait and every request timeout is cut to what is left of it. */
export class Deadline {
  readonly totalMs: number;
  readonly #endsAt: number;
  readonly #now: () => number;

  constructor(totalMs: number, now: () => number = () => performance.now()) {
    this.totalMs = totalMs;
    this.#now = now;
    this.#endsAt = now() + totalMs;
  }

  remainingMs(): number {
    return Math.max(0, this.#endsAt - this.#now());
  }
}
