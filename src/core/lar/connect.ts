// How every door reaches LAR: the proxy chosen from the environment with its credentials masked before the first
// connection, and one client for the whole run, bound by one deadline.
import { AxiomError } from '../errors.ts';
import { type CallRecord, LarClient, startDeadline } from './client.ts';
import { chooseProxy } from './proxy.ts';
import { createExchange } from './transport.ts';

export interface Connection {
  readonly baseUrl: string;
  readonly timeoutMs: number;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Registers a secret with whatever masks the log, before anything can print it. */
  readonly mask: (secret: string) => void;
  readonly debug: (line: string) => void;
  readonly info: (line: string) => void;
  readonly onCall?: ((record: CallRecord) => void) | undefined;
  readonly signal?: AbortSignal | undefined;
}

/** Throws, with the variable named and its value unshown, when a proxy variable does not parse. */
export function connectToLar({ baseUrl, timeoutMs, env, mask, debug, info, onCall, signal }: Connection): LarClient {
  const proxy = chooseProxy(baseUrl, env);
  for (const secret of proxy.secrets) mask(secret);
  if (proxy.problem !== undefined) throw new AxiomError('input', `Cannot reach LAR: ${proxy.problem}. No request was sent.`);
  let exchange: ReturnType<typeof createExchange>;
  try {
    exchange = createExchange(baseUrl, proxy, { connectTimeoutMs: timeoutMs });
  } catch {
    // undici's message may quote the proxy URL, credentials included.
    throw new AxiomError(
      'input',
      'Cannot reach LAR: undici could not use the proxy URL (the value is not shown: it may hold a password). No request was sent.',
    );
  }
  return new LarClient({
    exchange,
    deadline: startDeadline(timeoutMs),
    mask,
    debug,
    info,
    ...(onCall && { onCall }),
    ...(signal && { signal }),
  });
}
