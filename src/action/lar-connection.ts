// How every entry reaches LAR: the proxy's credentials masked before the first connection, and one client for the
// step with the step's deadline.
import * as core from '@actions/core';
import { type CallRecord, LarClient } from '../core/lar/client.ts';
import { Deadline } from '../core/lar/deadline.ts';
import { chooseProxy } from '../core/lar/proxy.ts';
import { createExchange } from '../core/lar/transport.ts';

/** Throws, with the variable named and its value unshown, when a proxy variable does not parse. */
export function connectToLar(baseUrl: string, timeoutMs: number, onCall?: (record: CallRecord) => void): LarClient {
  const proxy = chooseProxy(baseUrl, process.env);
  for (const secret of proxy.secrets) core.setSecret(secret);
  if (proxy.problem !== undefined) throw new Error(`Cannot reach LAR: ${proxy.problem}. No request was sent.`);
  let exchange: ReturnType<typeof createExchange>;
  try {
    exchange = createExchange(baseUrl, proxy, { connectTimeoutMs: timeoutMs });
  } catch {
    // undici's message may quote the proxy URL, credentials included.
    throw new Error(
      'Cannot reach LAR: undici could not use the proxy URL (the value is not shown: it may hold a password). No request was sent.',
    );
  }
  return new LarClient({
    exchange,
    deadline: new Deadline(timeoutMs),
    mask: core.setSecret,
    debug: core.debug,
    info: core.info,
    ...(onCall && { onCall }),
  });
}
