// What one HTTP request/answer is to the client, without undici: the client's rules are tested against fakes of
// this interface, and transport.ts is its only real implementation.

export interface Outgoing {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | null;
  readonly timeoutMs: number;
  /** The caller's: when it fires, the attempt ends at once, and nothing is retried. */
  readonly signal?: AbortSignal | undefined;
}

export interface Exchanged {
  readonly status: number;
  /** Only the headers the client reads. */
  readonly retryAfter?: string | undefined;
  /** The body of a 2xx answer; any other answer's body is discarded unread. */
  readonly text?: string | undefined;
}

/**
 * Why an exchange produced no answer, as far as the server's side is concerned:
 * - `unsent`: the request provably never reached the server (connection refused, DNS): it did nothing.
 * - `lost`: the request may have reached the server, which may have acted on it (reset, timeout, closed socket).
 * - `final`: trying again cannot help (an untrusted certificate, a bug).
 * - `garbled`: a 2xx answer whose body could not be read whole (too large, cut off): the server acted.
 * - `aborted`: the caller gave up (its AbortSignal fired).
 */
export type TransportFailureKind = 'unsent' | 'lost' | 'final' | 'garbled' | 'aborted';

export class TransportFailure extends Error {
  override readonly name = 'TransportFailure';
  readonly kind: TransportFailureKind;
  readonly status: number | undefined;
  constructor(kind: TransportFailureKind, detail: string, status?: number) {
    super(detail);
    this.kind = kind;
    this.status = status;
  }
}

export interface Exchange {
  /** Resolves with the answer, or rejects with a TransportFailure and nothing else. */
  send(request: Outgoing): Promise<Exchanged>;
  close(): Promise<void>;
}
