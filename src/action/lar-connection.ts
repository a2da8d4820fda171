// How every entry reaches LAR: the proxy's credentials masked before the first connection, one client for the step
// with the step's deadline, and @actions/core loaded while the first answer is awaited (workflow-commands.ts).
import { type CallRecord, LarClient } from '../core/lar/client.ts';
import { Deadline } from '../core/lar/deadline.ts';
import { chooseProxy } from '../core/lar/proxy.ts';
import { createExchange } from '../core/lar/transport.ts';
import { debug, info, setSecret, startLoadingCore } from './workflow-commands.ts';

/**
 * Through a proxy, or on a slow network, no event says the first request is out: @actions/core then loads this long
 * after the client is made, so the live log is never blank for longer.
 */
const LOAD_CORE_AT_THE_LATEST_MS = 200;

/** Throws, with the variable named and its value unshown, when a proxy variable does not parse. */
export function connectToLar(baseUrl: string, timeoutMs: number, onCall?: (record: CallRecord) => void): LarClient {
  const proxy = chooseProxy(baseUrl, process.env);
  for (const secret of proxy.secrets) setSecret(secret);
  if (proxy.problem !== undefined) throw new Error(`Cannot reach LAR: ${proxy.problem}. No request was sent.`);
  let exchange: ReturnType<typeof createExchange>;
  try {
    exchange = createExchange(baseUrl, proxy, { connectTimeoutMs: timeoutMs, onFirstRequestSent: startLoadingCore });
    setTimeout(startLoadingCore, LOAD_CORE_AT_THE_LATEST_MS).unref();
  } catch {
    // undici's message may quote the proxy URL, credentials included.
    throw new Error(
      'Cannot reach LAR: undici could not use the proxy URL (the value is not shown: it may hold a password). No request was sent.',
    );
  }
  return new LarClient({
    exchange,
    deadline: new Deadline(timeoutMs),
    mask: setSecret,
    debug,
    info,
    ...(onCall && { onCall }),
  });
}
