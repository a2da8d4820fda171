// What one HTTP request/answer is to the client, without undici: the client's rules are tested against fakes of
// this interface, and transport.ts is its only real implementation.
import type { Failure } from './policy.ts';

export interface Outgoing {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | null;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal | undefined;
}

export interface Exchanged {
  readonly status: number;
  readonly retryAfter?: string | undefined;
  /** The body of a 2xx answer; any other answer's body is discarded unread. */
  readonly text?: string | undefined;
}

/** An attempt that gave no usable answer; its kind says what the server may have done with the request. */
export class AttemptFailure extends Error {
  override readonly name = 'AttemptFailure';
  readonly kind: Failure;
  readonly status: number | undefined;
  readonly retryAfterMs: number | undefined;
  constructor(kind: Failure, detail: string, status?: number, retryAfterMs?: number) {
    super(detail);
    this.kind = kind;
    this.status = status;
    this.retryAfterMs = retryAfterMs;
  }
}

export interface Exchange {
  /** Resolves with the answer, or rejects with an AttemptFailure and nothing else. */
  send(request: Outgoing): Promise<Exchanged>;
  close(): Promise<void>;
}
