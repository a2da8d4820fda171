/** The bound on the whole step: every wait and every request timeout is cut to what is left of it. */
export class Deadline {
  readonly totalMs: number;
  readonly #startedAt: number;
  readonly #now: () => number;

  constructor(totalMs: number, now: () => number = () => performance.now()) {
    this.totalMs = totalMs;
    this.#now = now;
    this.#startedAt = now();
  }

  elapsedMs(): number {
    return this.#now() - this.#startedAt;
  }

  remainingMs(): number {
    return Math.max(0, this.totalMs - this.elapsedMs());
  }
}
