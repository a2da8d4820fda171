// How every door reaches LAR: the proxy chosen from the environment with its credentials masked before the first
// connection, and one client for the whole run, bound by one deadline.
import { AxiomError } from '../errors.ts';
import { type ClientOptions, LarClient, startDeadline } from './client.ts';
import { chooseProxy } from './proxy.ts';
import { createExchange } from './transport.ts';

export interface Connection extends Pick<ClientOptions, 'mask' | 'debug' | 'info' | 'onCall' | 'signal'> {
  readonly baseUrl: string;
  readonly timeoutMs: number;
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** Throws, with the variable named and its value unshown, when a proxy variable does not parse. */
export function connectToLar(connection: Connection): LarClient {
  const { baseUrl, timeoutMs } = connection;
  const proxy = chooseProxy(baseUrl, connection.env);
  for (const secret of proxy.secrets) connection.mask(secret);
  if (proxy.problem !== undefined) throw new AxiomError('input', `Cannot reach LAR: ${proxy.problem}. No request was sent.`);
  try {
    const exchange = createExchange(baseUrl, proxy, { connectTimeoutMs: timeoutMs });
    return new LarClient({ ...connection, exchange, deadline: startDeadline(timeoutMs) });
  } catch {
    // undici's message may quote the proxy URL, credentials included.
    throw new AxiomError(
      'input',
      'Cannot reach LAR: undici could not use the proxy URL (the value is not shown: it may hold a password). No request was sent.',
    );
  }
}
